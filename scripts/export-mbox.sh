#!/bin/bash
# Write the series (the fork tree's commits since the base tag, in sync
# with patches/) as one mbox for git send-email or b4: a [PATCH 0/N] cover
# letter (COVER_FILE: subject line, blank line, text; then the base, each
# patch's Upstream-Status, shortlog and diffstat), the patches threaded to
# it. Deterministic: Message-Ids and the cover date follow the head commit.
# Then b4 must read it back (offline) with every author, message and diff
# intact, or the export fails.
# Usage: export-mbox.sh WORK OUT_MBOX COVER_FILE   (REROLL=N: [PATCH vN])
. "$(dirname "$0")/lib.sh"
stage export-mbox

work=$1 out=$2 cover=$3
tree=$work/linux
tag=$(fork_tag "$work")
"$PMDSAFE_ROOT/scripts/fork-guard.sh" "$tree" ||
	die "the mbox is made from patches/ as applied in $tree; sync them first (see above)"
[ -z "$(git -C "$tree" rev-list --merges "$tag..HEAD")" ] || die "$tree: the series must be linear"
mapfile -t commits < <(git -C "$tree" rev-list --reverse "$tag..HEAD")
n=${#commits[@]}
[ "$n" -gt 0 ] || die "$tree has no commits since $tag: nothing to export"
[ -f "$cover" ] || die "cover letter text $cover does not exist"
subject=$(head -n 1 "$cover")
[ -n "$subject" ] && [ -z "$(sed -n 2p "$cover")" ] ||
	die "$cover: first line must be the cover subject, then a blank line"

version=$(sed -n 's/^BASE_VERSION=//p' "$work/base.resolved")
package=$(sed -n 's/^BASE_PACKAGE=//p' "$work/base.resolved")
blurb=$(
	tail -n +3 "$cover"
	echo
	echo "Base: Debian ${package:-tarball} $version, imported unchanged as one"
	echo "commit (base-commit below; tag $tag)."
	echo
	echo "Upstream status:"
	i=0
	for c in "${commits[@]}"; do
		i=$((i + 1))
		st=$(git -C "$tree" log -1 --format='%(trailers:key=Upstream-Status,valueonly,unfold,separator=%x3B )' "$c")
		printf '  %d/%d %s\n' "$i" "$n" "${st:-(not stated)}"
	done
)

tmp=$(mktemp -d)
trap 'rc=$?; rm -rf "$tmp"; stage_end "$rc"' EXIT
head_date=$(git -C "$tree" log -1 --format=%cD HEAD)
GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_SYSTEM=/dev/null \
	GIT_COMMITTER_NAME=pmdsafe GIT_COMMITTER_EMAIL=pmdsafe@localhost \
	GIT_COMMITTER_DATE=$head_date \
	git -C "$tree" -c core.abbrev=12 format-patch --stdout --cover-letter --thread=shallow \
	--numbered --zero-commit --no-signature --stat=80 --full-index --base="$tag" \
	${REROLL:+--reroll-count="$REROLL"} "$tag..HEAD" >"$tmp/raw.mbox"

# In the header blocks: the cover subject; Subject lines unfolded (b4 0.12
# crashes on a folded Subject read from an mbox file: "Header values may
# not contain linefeed"); Message-Ids from the head commit, not the clock.
# In the cover body: the text.
SUBJECT=$subject BLURB=$blurb TS=$(git -C "$tree" log -1 --format=%ct HEAD) \
	HEAD12=$(git -C "$tree" rev-parse --short=12 HEAD) perl -ne '
	if (/^From [0-9a-f]{40} Mon Sep 17 00:00:00 2001$/) { $h = 1 } elsif ($h && /^$/) { $h = 0 }
	if ($h && $subj && s/^[ \t]+//) { $buf =~ s/\n$/ /; $buf .= $_; next }
	print $buf if defined $buf;
	$subj = $h && /^Subject:/;
	if ($h) {
		s/\*\*\* SUBJECT HERE \*\*\*/$ENV{SUBJECT}/;
		s/\.\d+\.git\.pmdsafe\@localhost>/.$ENV{TS}.git.pmdsafe\@localhost>/g;
		s/<cover\./<cover.$ENV{HEAD12}./g;
	}
	s/^\*\*\* BLURB HERE \*\*\*$/$ENV{BLURB}/;
	$buf = $_;
	END { print $buf if defined $buf }' "$tmp/raw.mbox" >"$tmp/out.mbox"
grep -q 'SUBJECT HERE\|BLURB HERE' "$tmp/out.mbox" && die "cover letter placeholders left in the mbox"

# Round trip through b4: one am-ready mbox whose messages give back each
# commit's author, date, subject, body and diff (b4 0.12 rewrites some
# messages, e.g. it moves a trailer's continuation line out of the trailers).
mkdir "$tmp/b4"
# b4 runs as the project identity (as `make import` does) and without
# user git config.
if ! (cd "$tmp" && GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_SYSTEM=/dev/null GIT_CONFIG_COUNT=2 \
	GIT_CONFIG_KEY_0=user.name GIT_CONFIG_VALUE_0=pmdsafe \
	GIT_CONFIG_KEY_1=user.email GIT_CONFIG_VALUE_1=pmdsafe@localhost \
	b4 --offline-mode -n am -m "$tmp/out.mbox" -o "$tmp/b4") >"$tmp/b4.log" 2>&1; then
	tail -n 20 "$tmp/b4.log" >&2
	die "b4 am does not accept the mbox"
fi
ams=("$tmp"/b4/*.mbx)
[ ${#ams[@]} = 1 ] && [ -f "${ams[0]}" ] || die "b4 am wrote no am-ready mbox (see $tmp/b4.log)"
mkdir "$tmp/split"
got=$(git mailsplit -o"$tmp/split" "${ams[0]}")
[ "$got" = "$n" ] || die "b4 gives $got patches from the mbox, the series has $n"
bad=0 i=0
for c in "${commits[@]}"; do
	i=$((i + 1))
	m=$tmp/split/$(printf %04d "$i")
	git mailinfo "$tmp/msg" "$tmp/patch" <"$m" >"$tmp/info"
	want=$(git -C "$tree" log -1 --format='Author: %an%nEmail: %ae%nSubject: %s%nDate: %aD' "$c")
	# b4 writes the day of month with two digits, git with one: the same date.
	have=$(grep -E '^(Author|Email|Subject|Date): ' "$tmp/info" |
		sed -E 's/^(Date: [A-Z][a-z]{2}, )0([1-9] )/\1\2/')
	if [ "$have" != "$want" ] || [ "$(cat "$tmp/msg")" != "$(git -C "$tree" log -1 --format=%b "$c")" ] ||
		[ "$(git patch-id --stable <"$m" | cut -d' ' -f1)" != \
		"$(git -C "$tree" show "$c" | git patch-id --stable | cut -d' ' -f1)" ]; then
		echo "pmdsafe: patch $i/$n $(git -C "$tree" log -1 --format=%s "$c"): b4 changes it:" >&2
		diff -u <(echo "$want"; printf '%s\n' "$(git -C "$tree" log -1 --format=%b "$c")") \
			<(echo "$have"; cat "$tmp/msg") | tail -n +3 | head -n 20 >&2 || true
		bad=$((bad + 1))
	fi
done
[ "$bad" = 0 ] || die "$bad of $n patches do not survive b4 am unchanged (see above; b4 0.12" \
	"moves a trailer's continuation lines out of the trailers: keep each trailer on one line)"

mkdir -p "$(dirname "$out")"
mv "$tmp/out.mbox" "$out"
note "wrote $out: cover + $n patches ($tag..$(git -C "$tree" rev-parse --short=12 HEAD)); b4 am gives them back unchanged"
