#!/bin/bash
# make check: the project's own tests. Fast tooling tests first, then the
# main job (`make`: build, boot, guest tests), then the checks that need
# its kernel. Ends with "N passed, N failed" over all assertions.
cd "$(dirname "$0")/.." || exit 1
passed=0 failed=0 t0=$(date +%s)

tally() {	# NAME LOGFILE RC
	local p f
	p=$(grep -c '^  ok: ' "$2" || true)
	f=$(grep -c '^  FAILED: ' "$2" || true)
	# A script that died without reporting an assertion is a failure too.
	if [ "$3" != 0 ] && [ "$f" = 0 ]; then f=1; fi
	passed=$((passed + p)) failed=$((failed + f))
	printf '%-18s %3d passed, %d failed (%ss)\n' "$1" "$p" "$f" "$(($(date +%s) - t))"
}

# The tests use the project's toolchain (shellcheck, spatch, qemu...): on a
# fresh machine it has to be installed first.
make --no-print-directory deps || { echo "0 passed, 1 failed"; exit 1; }

# suite NAME SCRIPT: run one test script, show its failures, count it.
suite() {
	echo "=== $1"
	t=$(date +%s)
	bash "$2" >"/tmp/pmdsafe-$1.log" 2>&1
	local rc=$?
	grep -E '^  FAILED' -A 25 "/tmp/pmdsafe-$1.log" || true
	tally "$1" "/tmp/pmdsafe-$1.log" "$rc"
}

for name in t-lint t-base-conf t-fork t-formats t-verdict t-selftests-mm; do
	suite "$name" "tests/$name.sh"
done

echo "=== main job (make)"
t=$(date +%s)
if make --no-print-directory; then
	echo "  ok: make: the main job passes" >/tmp/pmdsafe-main.log
	tally main-job /tmp/pmdsafe-main.log 0
else
	echo "  FAILED: make: the main job failed" | tee /tmp/pmdsafe-main.log
	tally main-job /tmp/pmdsafe-main.log 1
fi

suite t-series tests/t-series.sh
suite t-formats-real tests/t-formats-real.sh
suite t-cocci tests/cocci/run.sh
for name in t-coccicheck t-build-config t-guest t-sparse t-build-alt t-build-cross t-series-gate t-distro-check t-deb t-bench; do
	suite "$name" "tests/$name.sh"
done

echo "make check: $(($(date +%s) - t0))s"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
