#!/bin/bash
# Judge a guest run from its console log: every planned test must report
# ok (a SKIP fails unless allowed), the guest must power off by itself,
# lockdep must still be on, and any kernel splat fails the run even when
# all tests passed. Ends with the line "N passed, N failed".
# Usage: verdict.sh LOG PLAN_FILE   (env: ALLOW_SKIP=1 or "name name...",
#                                   ALLOW_FAIL="name name...": known failures,
#                                   VERDICT_LOCKDEP=0: a kernel without lockdep)
. "$(dirname "$0")/lib.sh"
stage tests

log=$1 planfile=$2
status=$(cat "$log.status" 2>/dev/null || echo "unknown")
pass=0 fail=0
check() {	# OK? DESCRIPTION
	if [ "$1" = 1 ]; then
		pass=$((pass + 1))
		echo "PASS $2"
	else
		fail=$((fail + 1))
		echo "FAIL $2"
	fi
}
tail_log() {
	echo "---- console tail ($log) ----"
	tail -n "${1:-25}" "$log" | sed 's/^/| /'
	echo "----"
}

# What a failed test printed: each failed subtest with the diagnostics
# ("# # ...") just before it, or the output's last lines when it has none.
failure_detail() {	# NAME
	awk -v name="$1" '
		/^(not )?ok [0-9]+ / {
			if (($1 == "not" ? $4 : $3) == name) { m = n; for (i = 0; i < n; i++) keep[i] = sec[i] }
			n = 0
			next
		}
		{ sec[n++] = $0 }
		END {
			shown = 0
			for (i = 0; i < m && shown < 40; i++) {
				if (keep[i] !~ /^# not ok /) continue
				for (j = i; j > 0 && i - j < 8 && keep[j - 1] ~ /^# # /; j--) ;
				for (; j <= i; j++) { print "| " keep[j]; shown++ }
			}
			if (!shown)
				for (i = (m > 10 ? m - 10 : 0); i < m; i++) print "| " keep[i]
		}' "$log"
}

# Planned tests, each judged by init's top-level TAP line.
while read -r name _; do
	case $name in '' | '#'*) continue ;; esac
	line=$(grep -aE "^(not )?ok [0-9]+ $name( |$)" "$log" | tail -n 1 || true)
	if [ -z "$line" ]; then
		check 0 "$name: no result (the guest never finished it)"
	elif [[ $line == "not ok"* ]]; then
		if [[ " ${ALLOW_FAIL:-} " == *" $name "* ]]; then
			check 1 "$name: known failure (allowed): ${line#*# }"
		else
			check 0 "$name: ${line#*# }"
			failure_detail "$name"
		fi
	elif [[ $line == *"# SKIP"* ]]; then
		if [ "${ALLOW_SKIP:-0}" = 1 ] || [[ " ${ALLOW_SKIP:-} " == *" $name "* ]]; then
			check 1 "$name: skipped (allowed)"
		else
			check 0 "$name: SKIPPED, which proves nothing (ALLOW_SKIP=$name to allow)"
		fi
	else
		check 1 "$name (${line##*# })"
	fi
done <"$planfile"

# Kernel splats. Patterns are the kernel's own report headers.
splat_re='BUG: |kernel BUG at|WARNING:|Oops|general protection fault|'
splat_re+='possible circular locking|inconsistent lock state|possible recursive locking|'
splat_re+='suspicious RCU usage|INFO: possible irq lock inversion|lock held when returning|'
splat_re+='turning off the locking correctness validator|debug_locks: +0|'
splat_re+='KASAN:|UBSAN:|bad pmd|bad pud|Bad page state|Bad page map|Bad rss-counter|'
splat_re+='Kernel panic|detected stall|blocked for more than'
first=$(grep -anE "$splat_re" "$log" | head -n 1 | cut -d: -f1 || true)
if [ -n "$first" ]; then
	check 0 "kernel log has $(grep -acE "$splat_re" "$log") splat line(s); the first:"
	sed -n "${first},$((first + 14))p" "$log" | sed 's/^/| /'
else
	check 1 "kernel log has no splat"
fi

if [ "$status" = exited ] && grep -aq '^pmdsafe: poweroff' "$log"; then
	check 1 "guest powered off by itself"
else
	case $status in
	timeout*) check 0 "guest hit the wall-clock limit ($status)" ;;
	*) check 0 "guest did not power off normally (status: $status)" ;;
	esac
	tail_log 30
fi

# /proc/lockdep_stats as relayed by init: coverage and the debug_locks flag
# (VERDICT_LOCKDEP=0: a kernel built without lockdep, e.g. make bench's).
if [ "${VERDICT_LOCKDEP:-1}" = 0 ]; then
	note "lockdep not checked (VERDICT_LOCKDEP=0)"
elif grep -aq '^# lockdep: ' "$log"; then
	classes=$(sed -n 's/^# lockdep: *lock-classes: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
	chains=$(sed -n 's/^# lockdep: *dependency chains: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
	dl=$(sed -n 's/^# lockdep: *debug_locks: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
	note "lockdep: ${classes:-?} lock classes, ${chains:-?} dependency chains, debug_locks ${dl:-?}"
	check "$([ "$dl" = 1 ] && echo 1 || echo 0)" "lockdep still on at the end (debug_locks ${dl:-missing})"
elif grep -aq '^pmdsafe: poweroff' "$log"; then
	check 0 "no /proc/lockdep_stats in the log (is PROVE_LOCKING on?)"
fi

echo "full log: $(readlink -f "$log")"
# Stage times of this run (PMDSAFE_TIMES, written by each stage), then the
# closing line last of all.
trap - EXIT
stage_end "$([ "$fail" = 0 ] && echo 0 || echo 1)"
if [ -s "${PMDSAFE_TIMES:-}" ]; then
	echo "stage times (s):"
	awk -F'\t' '{ t[$1] = $2; if (!($1 in seen)) { seen[$1] = 1; order[n++] = $1 } }
		END { for (i = 0; i < n; i++) printf "  %-10s %8s\n", order[i], t[order[i]] }' "$PMDSAFE_TIMES"
fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
