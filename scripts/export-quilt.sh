#!/bin/bash
# Write the series (the fork tree's commits since the base tag, in sync
# with patches/) as a Debian-style quilt directory: OUT/series naming
# OUT/pmdsafe/NNNN-*.patch, the way debian/patches/ groups its patches
# (bugfix/, features/, debian/). The patch files are the export of
# patches/ itself. `QUILT_PATCHES=OUT quilt push -a` in the unpacked
# base source gives the fork tree.
# Usage: export-quilt.sh WORK OUT_DIR
. "$(dirname "$0")/lib.sh"
stage export-quilt

work=$1 out=$2
tree=$work/linux
group=pmdsafe
marker="# pmdsafe quilt export"
tag=$(fork_tag "$work")
"$PMDSAFE_ROOT/scripts/fork-guard.sh" "$tree" ||
	die "the quilt series is made from patches/ as applied in $tree; sync them first (see above)"
# OUT is ours alone: never write over somebody's debian/patches.
if [ -n "$(ls -A "$out" 2>/dev/null)" ] && ! head -n 1 "$out/series" 2>/dev/null | grep -qF "$marker"; then
	die "$out exists and is not a pmdsafe quilt export (its series does not start with '$marker')"
fi

tmp=$(mktemp -d)
trap 'rc=$?; rm -rf "$tmp"; stage_end "$rc"' EXIT
"$PMDSAFE_ROOT/scripts/export.sh" "$work" "$tmp/p" >/dev/null
mapfile -t names <"$tmp/p/series"
[ ${#names[@]} -gt 0 ] || die "$tree has no commits since $tag: nothing to export"
# quilt applies with GNU patch, which knows git's renames and modes but
# not its binary diffs.
for name in "${names[@]}"; do
	! grep -q '^GIT binary patch$' "$tmp/p/$name" ||
		die "$name has a binary diff, which quilt (GNU patch) cannot apply"
done

version=$(sed -n 's/^BASE_VERSION=//p' "$work/base.resolved")
package=$(sed -n 's/^BASE_PACKAGE=//p' "$work/base.resolved")
mkdir -p "$tmp/q/$group"
{
	echo "$marker: ${#names[@]} patches for Debian ${package:-tarball} $version"
	echo "# (pmdsafe tag $tag). In the unpacked source: QUILT_PATCHES=<this dir> quilt push -a"
	for name in "${names[@]}"; do
		mv "$tmp/p/$name" "$tmp/q/$group/"
		echo "$group/$name"
	done
} >"$tmp/q/series"

mkdir -p "$out"
rm -rf "${out:?}/$group" "$out/series"
mv "$tmp/q/$group" "$tmp/q/series" "$out/"
note "wrote $out: series + ${#names[@]} patches in $group/ ($tag..$(git -C "$tree" rev-parse --short=12 HEAD))"
