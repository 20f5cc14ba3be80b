#!/bin/bash
# Turn base + patches/series into the fork tree, one commit per patch.
# Incremental: nothing happens while the series is unchanged since the
# last sync; a changed series resets the tree to the base tag and
# re-applies it, but never over uncommitted or unexported work.
# Usage: fork.sh WORK PATCHES_DIR BASE_NAME
. "$(dirname "$0")/lib.sh"
stage fork

work=$1 patches=$2 base=$3
tree=$work/linux
state=$tree/.git/pmdsafe
[ -d "$tree/.git" ] || die "no base tree in $tree (run 'make base')"
tag=$(sed -n 's/^BASE_TAG=//p' "$work/base.resolved")
[ -n "$tag" ] || die "$work/base.resolved names no base tag"

read_series "$patches" "$base"
files=("${SERIES_FILES[@]}")
want=$(series_hash "$tag")
have=$(cat "$state/series" 2>/dev/null || true)
head=$(git -C "$tree" rev-parse HEAD)
if [ "$want" = "$have" ]; then
	synced=$(cat "$state/head")
	if [ "$head" = "$synced" ]; then
		note "fork tree up to date: $tag + ${#files[@]} patches"
	else
		note "series unchanged; tree has local commits since the last sync (keeping them)"
	fi
	exit 0
fi

if ! "$PMDSAFE_ROOT/scripts/fork-guard.sh" "$tree"; then
	[ "${FORCE:-0}" = 1 ] || die "patches/ changed but $tree holds work not in patches/ (see above)"
	[ -z "$(git -C "$tree" status --porcelain --ignored)" ] ||
		die "FORCE=1 keeps refusing to drop uncommitted changes in $tree"
fi
if [ "$head" != "$(git -C "$tree" rev-parse "$tag^{commit}")" ]; then
	backup=refs/pmdsafe/backup/$(date -u +%Y%m%dT%H%M%SZ)
	git -C "$tree" update-ref "$backup" "$head"
	note "old head kept as $backup"
fi

mkdir -p "$state"
rm -f "$state/series"
git -C "$tree" checkout -q -B master "$tag"
git -C "$tree" rev-parse HEAD >"$state/head"
i=0
for f in "${files[@]}"; do
	i=$((i + 1))
	# Committer = the project identity, committer date = author date: the
	# same series always yields the same commit ids.
	if ! out=$(git -C "$tree" -c user.name=pmdsafe -c user.email=pmdsafe@localhost \
		am -q --committer-date-is-author-date "$(realpath "$f")" 2>&1); then
		git -C "$tree" am --abort >/dev/null 2>&1 || true
		git -C "$tree" rev-parse HEAD >"$state/head"
		echo "$out" | head -n 15 >&2
		die "patch $i/${#files[@]} $(basename "$f") ($f) does not apply;" \
			"tree left at the last good commit: $(git -C "$tree" log -1 --format='%h %s')"
	fi
done
git -C "$tree" rev-parse HEAD >"$state/head"
echo "$want" >"$state/series"
note "fork tree: $tag + ${#files[@]} patches, head $(git -C "$tree" log -1 --format='%h %s')"
