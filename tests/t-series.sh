#!/bin/bash
# The real series: exact round trip through the fork tree, and
# checkpatch --strict clean (and the check itself catches a bad patch).
. "$(dirname "$0")/lib.sh"

B=${BASE:-debian-6.12}
W=$ROOT/work/$B
[ -d "$W/linux/.git" ] || { bad "no fork tree in $W (run make fork first)"; finish; exit 1; }
run "$S/series-check.sh" "$W" "$ROOT/patches"
expect_rc 0 "patches/ round-trips exactly through the fork tree"
run "$S/checkpatch.sh" "$W/linux" "$ROOT/patches" "$B"
expect_rc 0 "every patch is checkpatch --strict clean"

mkdir -p "$T/p"
sed 's/^+-pmdsafe$/+-pmdsafe   /' "$ROOT"/patches/0001-*.patch >"$T/p/0001-x.patch"
echo 0001-x.patch >"$T/p/series"
run "$S/checkpatch.sh" "$W/linux" "$T/p" "$B"
expect_rc nonzero "a patch adding trailing whitespace fails checkpatch"
expect_out "TRAILING_WHITESPACE" "and the reason is shown"
finish
