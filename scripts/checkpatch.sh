#!/bin/bash
# scripts/checkpatch.pl --strict on every patch of the series: 0 errors,
# 0 warnings, 0 checks, except the types patches/checkpatch.ignore lists
# for that patch (each with its reason).
# Usage: checkpatch.sh TREE PATCHES_DIR BASE
. "$(dirname "$0")/lib.sh"

tree=$1 patches=$2 base=$3
read_series "$patches" "$base"
bad=0
for f in "${SERIES_FILES[@]}"; do
	name=$(basename "$f")
	types=$(checkpatch_ignores "$patches/checkpatch.ignore" "$f")
	if out=$(checkpatch_patch "$tree" "$f" "$types"); then
		echo "  checkpatch clean: $name${types:+ (ignoring $types)}"
	else
		echo "  checkpatch FAILED: $name" >&2
		echo "$out" | sed 's/^/    /' >&2
		bad=$((bad + 1))
	fi
done
[ "$bad" = 0 ] || die "$bad patch(es) not checkpatch --strict clean"
note "${#SERIES_FILES[@]} patches checkpatch --strict clean"
