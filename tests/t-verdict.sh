#!/bin/bash
# The verdict on synthetic console logs: each way a run can go wrong must
# fail it, and a clean run must pass (so the check is not always red).
. "$(dirname "$0")/lib.sh"
shopt -s lastpipe # judge ends pipelines and must set $out and $rc here
shopt -s lastpipe  # judge runs at the end of pipelines and sets $out/$rc

cat >"$T/p.plan" <<'PLAN'
# two tests
alpha 10 /bin/alpha
beta  10 /bin/beta
PLAN
good() {
	cat <<'LOG'
[    0.000000] Linux version 6.12.57-pmdsafe
TAP version 13
1..2
# TAP version 13
# ok 1 inner
ok 1 alpha # time=1.0s
# ok 1 inner
ok 2 beta # time=2.0s
# lockdep:  lock-classes:                          1000 [max: 8192]
# lockdep:  dependency chains:                     2000 [max: 65536]
# lockdep:  debug_locks:                              1
pmdsafe: poweroff
[    9.000000] reboot: Power down
LOG
}
judge() {	# NAME  (log from stdin, status in $status)
	cat >"$T/$1.log"
	echo "${status:-exited}" >"$T/$1.log.status"
	run "$S/verdict.sh" "$T/$1.log" "$T/p.plan"
}

good | judge clean
expect_rc 0 "clean run passes"
expect_out "^5 passed, 0 failed$" "closing line counts tests and checks"
expect_out "lockdep: 1000 lock classes, 2000 dependency chains, debug_locks 1" "lockdep coverage shown"

good | sed 's/^ok 2 beta.*/[    5.1] WARNING: CPU: 1 PID: 70 at mm\/huge_memory.c:2900 foo+0x1\/0x2\nok 2 beta # time=2.0s/' | judge warn
expect_rc nonzero "a WARNING fails the run although every test passed"
expect_out "splat line.*the first:" "splat reported"
expect_out "WARNING: CPU: 1 PID: 70 at mm/huge_memory.c" "its first lines shown"

for s in "BUG: Bad page state in process x" "kernel BUG at mm/huge_memory.c:1:" \
	"WARNING: possible circular locking dependency detected" "BUG: sleeping function called from invalid context" \
	"mm/pgtable-generic.c:53: bad pmd 00000000deadbeef(8000000000000e7)" "Oops: general protection fault" \
	"WARNING: suspicious RCU usage" "BUG: KASAN: use-after-free in foo" "Kernel panic - not syncing: Fatal exception" \
	"WARNING: inconsistent lock state"; do
	good | sed "s|^pmdsafe: poweroff|[    8.0] $s\npmdsafe: poweroff|" | judge splat
	expect_rc nonzero "splat fails: $s"
done

good | sed 's/debug_locks: *1/debug_locks:                              0/' | judge dl0
expect_rc nonzero "debug_locks dropping to 0 fails"

good | sed 's/^ok 2 beta.*/not ok 2 beta # exit=1 (2.0s)/' | judge notok
expect_rc nonzero "a failed test fails"
expect_out "^FAIL beta: exit=1" "the failed test is named"

good | sed 's/^ok 2 beta.*/# # RUN beta.case\n# # beta.c:12:case:Expected 0 (0) == x (1)\n# not ok 2 beta.case\n# ok 3 beta.other\nnot ok 2 beta # exit=1 (2.0s)/' |
	judge notok-detail
expect_rc nonzero "a failed subtest fails"
expect_out "^\| # # beta.c:12:case:Expected 0 \(0\) == x \(1\)$" "its diagnostics are shown"
expect_out "^\| # not ok 2 beta.case$" "with the failed subtest"
expect_no_out "beta.other|# ok 1 inner" "but not the subtests that passed, nor other tests' output"

good | sed '/^ok 2 beta/d' | judge missing
expect_rc nonzero "a planned test with no result fails"
expect_out "FAIL beta: no result" "and is named"

good | sed 's/^ok 2 beta.*/ok 2 beta # SKIP (0.1s)/' | judge skip
expect_rc nonzero "a SKIP fails by default"
expect_out "beta: SKIPPED" "the skipped test is named"
good | sed 's/^ok 2 beta.*/ok 2 beta # SKIP (0.1s)/' >"$T/skip2.log"
echo exited >"$T/skip2.log.status"
run env ALLOW_SKIP=beta "$S/verdict.sh" "$T/skip2.log" "$T/p.plan"
expect_rc 0 "ALLOW_SKIP=beta allows that skip"
good | sed 's/^ok 2 beta.*/not ok 2 beta # exit=1 (2.0s)/' >"$T/fail2.log"
echo exited >"$T/fail2.log.status"
run env ALLOW_FAIL=alpha "$S/verdict.sh" "$T/fail2.log" "$T/p.plan"
expect_rc nonzero "ALLOW_FAIL=alpha does not allow beta's failure"
run env ALLOW_FAIL=beta "$S/verdict.sh" "$T/fail2.log" "$T/p.plan"
expect_rc 0 "ALLOW_FAIL=beta allows that known failure"
expect_out "PASS beta: known failure \(allowed\): exit=1" "and names it"

good | sed '/^pmdsafe: poweroff/,$d' | judge nopoweroff
expect_rc nonzero "a guest that never powers off fails"
expect_out "console tail" "the console tail is shown"

status="timeout 600s" judge timeout < <(good | sed '/^ok 2/,$d')
expect_rc nonzero "a boot that hit the wall-clock limit fails"
expect_out "wall-clock limit" "and says so"

good | sed '/# lockdep:/d' | judge nolockdep
expect_rc nonzero "a run without lockdep stats fails"
finish
