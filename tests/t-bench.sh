#!/bin/bash
# `make bench` in smoke mode (BENCH_SMOKE=1: one boot per side of plan
# bench-smoke on the kernel the main job built, coccicheck over two small
# directories, no warm loop): it runs and its results file is well formed.
# The committed bench/results.json of the last full run is checked too.
. "$(dirname "$0")/lib.sh"

B=${BASE:-debian-6.12}
W=$ROOT/work/$B
[ -f "$W/obj/arch/x86/boot/bzImage" ] || { bad "no kernel in $W (run make first)"; finish; exit 1; }
rules=$(for r in "$W"/linux/scripts/coccinelle/mm/*.cocci; do basename "$r" .cocci; done)
check() {	# RESULTS_JSON MODE
	# shellcheck disable=SC2086 # one argument per rule
	run env PATH="/usr/bin:$PATH" python3 "$ROOT/tests/bench-check.py" "$1" "$2" $rules
	echo "$out"
	[ "$rc" = 0 ] || failures=$((failures + 1))
}

# Under icount (scripts/boot.sh), which the other guests of make check
# do not use: its QEMU options work and the report counts instructions.
run env BENCH_SMOKE=1 ACCEL=icount "$S/bench.sh" "$W" "$T/out" default "$ROOT"/configs/*.config
expect_rc 0 "make bench BENCH_SMOKE=1 ACCEL=icount runs"
expect_out "results: $T/out/results.md" "it names its results"
check "$T/out/results.json" smoke
run grep -c "^- \`fsdax_fault_pmd\`: base [0-9.]*, fork [0-9.]* ([-+][0-9.]*, [-+][0-9.]*%)$" "$T/out/results.md"
expect_out "^1$" "the report gives instructions per fault under icount"
run python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["micro"]["accelerator"])' "$T/out/results.json"
expect_out "^\['icount'\]$" "and records the accelerator"
[ ! -e "$ROOT/bench/results.json" ] || ! grep -q '"mode": "smoke"' "$ROOT/bench/results.json" &&
	ok "the committed results are not a smoke run" || bad "bench/results.json is a smoke run"

# The checker itself rejects a results file that lacks a figure.
PATH=/usr/bin:$PATH python3 - "$T/out/results.json" "$T/bad/results.json" <<'PY'
import json, os, sys
r = json.load(open(sys.argv[1]))
r["micro"]["benchmarks"] = r["micro"]["benchmarks"][1:]
os.makedirs(os.path.dirname(sys.argv[2]), exist_ok=True)
json.dump(r, open(sys.argv[2], "w"))
PY
cp "$T/out/results.md" "$T/bad/results.md"
# shellcheck disable=SC2086
run env PATH="/usr/bin:$PATH" python3 "$ROOT/tests/bench-check.py" "$T/bad/results.json" smoke $rules
expect_rc 1 "a results file missing a figure is refused"

if [ -f "$ROOT/bench/results.json" ]; then
	check "$ROOT/bench/results.json" full
fi
finish
