#!/bin/bash
# Write the fork tree's commits since the base tag as numbered
# format-patch files plus a quilt-style series. Output depends only on the
# commits: no user git config, no version signature, zero From hashes.
# Usage: export.sh WORK OUT_DIR
. "$(dirname "$0")/lib.sh"

work=$1 out=$2
tree=$work/linux
tag=$(sed -n 's/^BASE_TAG=//p' "$work/base.resolved" 2>/dev/null || true)
[ -n "$tag" ] || die "no fork tree in $work (run 'make fork')"
[ -z "$(git -C "$tree" status --porcelain --ignored --untracked-files=all)" ] ||
	die "$tree has uncommitted changes; commit them (git add -f for new files) before exporting"
[ -z "$(git -C "$tree" rev-list --merges "$tag..HEAD")" ] ||
	die "$tree has merge commits since $tag; the series must be linear"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_SYSTEM=/dev/null \
	git -C "$tree" -c core.abbrev=12 format-patch -q --zero-commit --no-signature \
	--no-numbered --stat=80 --full-index -o "$tmp" "$tag..HEAD" >/dev/null
(cd "$tmp" && ls -1 -- *.patch 2>/dev/null || true) >"$tmp/series"

mkdir -p "$out"
changed=0
for f in "$out"/[0-9][0-9][0-9][0-9]-*.patch; do
	[ -e "$f" ] || continue
	if [ ! -e "$tmp/$(basename "$f")" ]; then
		rm -f "$f"
		echo "  removed $(basename "$f")"
		changed=$((changed + 1))
	fi
done
for f in "$tmp"/*.patch "$tmp/series"; do
	[ -e "$f" ] || continue
	if ! cmp -s "$f" "$out/$(basename "$f")"; then
		cp "$f" "$out/"
		echo "  wrote $(basename "$f")"
		changed=$((changed + 1))
	fi
done
note "exported $(($(wc -l <"$tmp/series"))) patches from $tag..HEAD to $out ($changed files changed)"
# When exporting into the series fork reads, tree and series now agree:
# record it so that the next fork has nothing to do.
if [ -n "${SYNC_BASE:-}" ]; then
	read_series "$out" "$SYNC_BASE"
	mkdir -p "$tree/.git/pmdsafe"
	git -C "$tree" rev-parse HEAD >"$tree/.git/pmdsafe/head"
	series_hash "$tag" >"$tree/.git/pmdsafe/series"
fi
