#!/bin/bash
# Apply a patch series from a local mbox (as saved from a mailing list
# archive) to the fork tree with b4 (offline), one commit per patch, then
# export the tree to patches/. b4 keeps each patch's author and trailers,
# adds the trailers given in replies (to the cover letter: to every patch)
# and a Link: to the patch's Message-Id (b4.linkmask, or LINKMASK=).
# A patch that does not apply is named; the tree stays at the last good
# commit and patches/ is not touched.
# Usage: import.sh WORK PATCHES_DIR MBOX BASE_NAME   (DROP_TRAILERS=1: see below)
. "$(dirname "$0")/lib.sh"
stage import

work=$1 patches=$2 mbox=$3 base=$4
tree=$work/linux
tag=$(fork_tag "$work")
[ -f "$mbox" ] && [ -r "$mbox" ] || die "mbox '$mbox' does not exist or is not readable"
"$PMDSAFE_ROOT/scripts/fork-guard.sh" "$tree" ||
	die "import applies on top of patches/ as applied in $tree; sync them first (see above)"

tmp=$(mktemp -d)
trap 'rc=$?; rm -rf "$tmp"; stage_end "$rc"' EXIT
# b4 runs outside the tree, as the project identity and without user git
# config: the result must not depend on who imports (b4 moves "my own"
# Signed-off-by below the trailers it adds).
b4cfg=(GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_SYSTEM=/dev/null GIT_CONFIG_COUNT=3
	GIT_CONFIG_KEY_0=user.name GIT_CONFIG_VALUE_0=pmdsafe
	GIT_CONFIG_KEY_1=user.email GIT_CONFIG_VALUE_1=pmdsafe@localhost
	GIT_CONFIG_KEY_2=b4.linkmask "GIT_CONFIG_VALUE_2=${LINKMASK:-https://lore.kernel.org/r/%s}")
# The mbox goes in on stdin: with -m FILE b4 0.12 reads it with Python's
# compat32 parser and crashes on a folded Subject ("Header values may not
# contain linefeed"), which list archives are full of.
mkdir "$tmp/b4"
if ! (cd "$tmp" && env "${b4cfg[@]}" b4 --offline-mode -n am -l -t -m - -o "$tmp/b4") \
	<"$mbox" >"$tmp/b4.log" 2>&1; then
	tail -n 15 "$tmp/b4.log" >&2
	die "b4 am cannot make a series of $mbox"
fi
ams=("$tmp"/b4/*.mbx)
[ -f "${ams[0]}" ] || { cat "$tmp/b4.log" >&2; die "b4 finds no patch series in $mbox"; }
if grep -q 'Thread incomplete' "$tmp/b4.log"; then
	grep -A3 'Thread incomplete\|MISSING' "$tmp/b4.log" >&2 || true
	die "the series in $mbox is incomplete (b4: 'Thread incomplete'); not importing part of it"
fi
mkdir "$tmp/split" "$tmp/orig"
n=$(git mailsplit -o"$tmp/split" "${ams[0]}")

# Every trailer a reply gives (Reviewed-by, Acked-by, Tested-by...) must
# reach a patch. b4 0.12 drops some silently: an address without a dot in
# its domain (user@localhost), or one that is not the reply's sender.
git mailsplit -o"$tmp/orig" "$mbox" >/dev/null
dropped=
for m in "$tmp"/orig/*; do
	git mailinfo -k "$tmp/msg" "$tmp/patch" <"$m" >"$tmp/info" 2>/dev/null || continue
	subject=$(sed -n 's/^Subject: //p' "$tmp/info")
	grep -qiE '^(re|aw|sv):' <<<"$subject" || continue
	while IFS= read -r tr; do
		grep -qxF -- "$tr" "${ams[0]}" || dropped+="  '$tr' in '$subject'"$'\n'
	done < <(grep -E '^[A-Z][a-z]+(-[a-z]+)*-by: .*[^[:space:]]' "$tmp/msg" |
		grep -v '^Signed-off-by:' | sed 's/[[:space:]]*$//' || true)
done
if [ -n "$dropped" ]; then
	printf '%s' "$dropped" >&2
	[ "${DROP_TRAILERS:-0}" = 1 ] ||
		die "b4 drops the reply trailers above (it ignores addresses without a dot in" \
			"the domain, and trailers not from the reply's sender); nothing imported." \
			"Fix the mbox, or import without them: DROP_TRAILERS=1"
	warn "importing without the reply trailers above (DROP_TRAILERS=1)"
fi

old=$(git -C "$tree" rev-parse HEAD)
for i in $(seq 1 "$n"); do
	f=$tmp/split/$(printf %04d "$i")
	git mailinfo "$tmp/msg" "$tmp/patch" <"$f" >"$tmp/info"
	subject=$(sed -n 's/^Subject: //p' "$tmp/info")
	msgid=$(sed -n 's/^Message-I[dD]: *//p' "$f" | head -n 1)
	# Committer and dates as fork.sh makes them: once exported, the next
	# `make fork` rebuilds these very commits.
	if ! out=$(git -C "$tree" -c user.name=pmdsafe -c user.email=pmdsafe@localhost \
		am -q --committer-date-is-author-date "$f" 2>&1); then
		git -C "$tree" am --abort >/dev/null 2>&1 || true
		echo "$out" | head -n 15 >&2
		die "patch $i/$n '$subject' $msgid from $mbox does not apply;" \
			"tree left at the last good commit: $(git -C "$tree" log -1 --format='%h %s');" \
			"patches/ untouched. The $((i - 1)) patches before it are committed, not exported:" \
			"'make export' keeps them, 'git -C $tree reset --hard ${old:0:12}' drops them"
	fi
done

SYNC_BASE=$base "$PMDSAFE_ROOT/scripts/export.sh" "$work" "$patches"
note "imported $n patches from $mbox:"
git -C "$tree" log --reverse --format='  %h %s (%an <%ae>)' "$old..HEAD"
