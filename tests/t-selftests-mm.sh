#!/bin/bash
# make selftests-mm's own judge, on synthetic logs: a run as expected
# passes; another result, a timeout, one more skipped sub-test or a missing
# test fails it. And the real plans and guest/selftests-mm.expect agree.
. "$(dirname "$0")/lib.sh"
shopt -s lastpipe # judge ends pipelines and must set $out and $rc here

run "$S/selftests-mm.sh" --check
expect_rc 0 "every test of the selftests-mm plans has one expectation"

cat >"$T/p.plan" <<'PLAN'
#@extra selftests-mm
alpha 10 /bin/mm/alpha
beta  10 /bin/mm/beta
gamma 10 /bin/mm/gamma
PLAN
cat >"$T/e.expect" <<'EXP'
alpha pass   2  two cases need something the guest lacks
beta  fail   0  config: a known failure
gamma signal 0  test bug: killed by its own signal
EXP
good() {
	tr -d '\r' <<'LOG' | sed 's/$/\r/'
TAP version 13
1..3
# TAP version 13
# ok 1 first
# ok 2 # SKIP no such thing
# ok 3 # SKIP no such thing either
ok 1 alpha # time=1.5s
# Testing x on anon... done
# Testing x on shmem... failed [reason: y]
not ok 2 beta # exit=1 (0.2s)
not ok 3 gamma # killed by signal 7
pmdsafe: poweroff
LOG
}
judge() {	# NAME  (log on stdin)
	cat >"$T/$1.log"
	run env SELFTESTS_MM_EXPECT="$T/e.expect" SELFTESTS_MM_PLANFILE="$T/p.plan" \
		"$S/selftests-mm.sh" --judge "$T/$1.log"
}

good | judge clean
expect_rc 0 "a run as expected passes"
expect_out "^alpha +pass +1.5 +1 +0 +2  ok" "results table: result, seconds, sub-tests"
expect_out "^beta +fail +0.2 +1 +1 +0  ok" "uffd-unit-tests done/failed lines count as sub-tests"
[ -s "$T/clean.log.results" ] && ok "the table is written next to the log" || bad "no $T/clean.log.results"

good | sed 's/^# ok 1 first/# ok 1 # SKIP and another/' | judge moreskips
expect_rc nonzero "one more skipped sub-test fails"
expect_out "alpha .*UNEXPECTED: 3 sub-test skips, at most 2" "and says how many"

good | sed 's/^not ok 2 beta.*/ok 2 beta # time=0.2s/' | judge nowpasses
expect_rc nonzero "a known failure that passes fails (the list wants updating)"
expect_out "beta .*UNEXPECTED: pass, expected fail" "and is named"

good | sed 's/^not ok 2 beta.*/not ok 2 beta # TIMEOUT after 10s/' | judge timeout
expect_rc nonzero "a timeout is not the expected failure"
expect_out "beta +timeout +10 " "the timeout is named with its limit"

good | sed 's/^not ok 3 gamma.*/not ok 3 gamma # exit=1 (0.1s)/' | judge exitnotsignal
expect_rc nonzero "an exit status where a signal is expected fails"

good | sed '/^not ok 3 gamma/d' | judge missing
expect_rc nonzero "a test without a result fails"
expect_out "gamma +none .*UNEXPECTED: no result" "and is named"
finish
