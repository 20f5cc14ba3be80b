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

for name in t-lint t-base-conf t-fork t-verdict; do
	echo "=== $name"
	t=$(date +%s)
	bash "tests/$name.sh" >"/tmp/pmdsafe-$name.log" 2>&1
	rc=$?
	grep -E '^  (ok|FAILED)' "/tmp/pmdsafe-$name.log" | grep -v '^  ok' || true
	tally "$name" "/tmp/pmdsafe-$name.log" "$rc"
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

for name in t-series t-cocci t-coccicheck t-build-config t-guest; do
	echo "=== $name"
	t=$(date +%s)
	script=tests/$name.sh
	[ "$name" != t-cocci ] || script=tests/cocci/run.sh
	bash "$script" >"/tmp/pmdsafe-$name.log" 2>&1
	rc=$?
	grep -E '^  FAILED' -A 25 "/tmp/pmdsafe-$name.log" || true
	tally "$name" "/tmp/pmdsafe-$name.log" "$rc"
done

echo "make check: $(($(date +%s) - t0))s"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
