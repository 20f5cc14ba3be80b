#!/bin/bash
# The build refuses a config that lost fragment options, naming each one.
# Uses the fork tree of the main job, with a scratch object dir.
. "$(dirname "$0")/lib.sh"

W=$ROOT/work/${BASE:-debian-6.12}
[ -d "$W/linux/.git" ] || { bad "no fork tree in $W (run make fork first)"; finish; exit 1; }
mkdir -p "$T/w"
ln -s "$W/linux" "$T/w/linux"
cat >"$T/bad.config" <<'FRAG'
# deliberately impossible: an unknown symbol, and TEST_HMM without its deps
CONFIG_PMDSAFE_NO_SUCH_OPTION=y
CONFIG_TEST_HMM=y
FRAG
run env CCACHE_DIR="$T/ccache" "$S/build.sh" "$T/w" "$ROOT/configs/qemu-guest.config" "$T/bad.config"
expect_rc nonzero "build with unsatisfiable fragment options fails"
expect_out "CONFIG_PMDSAFE_NO_SUCH_OPTION=y \(got: unset, from bad.config\)" "unknown option named"
expect_out "CONFIG_TEST_HMM=y \(got: unset, from bad.config\)" "option with unmet dependencies named"
expect_out "2 config fragment option\(s\) missing" "count given"
[ ! -e "$T/w/obj/vmlinux" ] && ok "nothing was built" || bad "built anyway"
finish
