#!/bin/bash
# Guests that misbehave on purpose (test-only plans in guest/plans/selftest-*)
# must fail the run with a clear report; needs the main job's kernel.
. "$(dirname "$0")/lib.sh"

W=$ROOT/work/${BASE:-debian-6.12}
[ -f "$W/obj/arch/x86/boot/bzImage" ] || { bad "no kernel in $W (run make first)"; finish; exit 1; }
guest() {	# PLAN [ENV...]
	local plan=$1
	shift
	set +e
	out=$(env "$@" "$S/boot.sh" "$W" "$plan" 2>&1 &&
		env "$@" "$S/verdict.sh" "$W/logs/$plan.log" "$ROOT/guest/plans/$plan.plan" 2>&1)
	rc=$?
	set -e
}

guest selftest-warn BOOT_TIMEOUT=180
expect_rc nonzero "a kernel WARNING fails the run"
expect_out "PASS provoke-warning" "even though the test itself passed"
expect_out "\| .*WARNING: CPU: [0-9]+ PID: [0-9]+ at .*lkdtm" "the splat is shown with its first lines"
expect_out "full log: $W/logs/selftest-warn-" "the full log is kept"

guest selftest-panic BOOT_TIMEOUT=180
expect_rc nonzero "a guest panic fails the run"
expect_out "Kernel panic - not syncing" "the panic is shown"
expect_out "FAIL after-panic: no result" "tests after the panic are reported missing"
expect_out "console tail" "the console tail is shown"

guest selftest-hang BOOT_TIMEOUT=25
expect_rc nonzero "a hung guest fails the run"
expect_out "wall-clock limit \(timeout 25s\)" "the time limit is named"
expect_out "\| # # sleeping forever" "the console tail shows where it hung"
[ -s "$W/logs/selftest-hang.log" ] && ok "its log is kept" || bad "hang log missing"

guest selftest-skip BOOT_TIMEOUT=180
expect_rc nonzero "a planned test that skips fails the run"
expect_out "skipper: SKIPPED" "the skip is named"
guest selftest-skip BOOT_TIMEOUT=180 ALLOW_SKIP=skipper
expect_rc 0 "the same run passes when that skip is allowed"

# Guest memory comes from MEM_PER_NODE or the plan's "#@mem": a size QEMU
# or the plans' memory maps cannot use is refused before anything boots.
guest probe MEM_PER_NODE=12G
expect_rc nonzero "a guest memory size out of range is refused"
expect_out "memory per node '12G': want 1G-8G" "and named"
guest probe ACCEL=hvf
expect_rc nonzero "an unknown accelerator is refused"
expect_out "ACCEL=hvf: want kvm, tcg or icount" "and named"
finish
