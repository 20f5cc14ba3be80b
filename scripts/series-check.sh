#!/bin/bash
# Round trip: exporting the fork tree must reproduce patches/ byte for byte.
# Usage: series-check.sh WORK PATCHES_DIR
. "$(dirname "$0")/lib.sh"

work=$1 patches=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$PMDSAFE_ROOT/scripts/export.sh" "$work" "$tmp" >/dev/null
fail=0
while IFS= read -r name; do
	if ! cmp -s "$tmp/$name" "$patches/$name"; then
		echo "pmdsafe: $name: export differs from $patches/$name" >&2
		diff -u "$patches/$name" "$tmp/$name" | head -n 20 >&2 || true
		fail=1
	fi
done <"$tmp/series"
if ! cmp -s "$tmp/series" "$patches/series"; then
	echo "pmdsafe: series differs:" >&2
	diff -u "$patches/series" "$tmp/series" >&2 || true
	fail=1
fi
[ "$fail" = 0 ] || die "series round trip failed: tree and $patches disagree"
note "series round trip exact: $(wc -l <"$tmp/series") patches"
