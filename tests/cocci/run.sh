#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run every Coccinelle rule of pmdsafe against its test corpus.
#
#   tests/cocci/run.sh [RULES_DIR]      (default: the fork tree's scripts/coccinelle/mm)
#
# For a rule RULES_DIR/<rule>.cocci the corpus is tests/cocci/<rule>/:
#   pos_*.c   must be reported (each line listed in `expected`)
#   neg_*.c   must not be reported at all
#   expected  the exact, sorted list of `file:line` report mode must print
#   patch.expected  (optional) the exact diff patch mode must print
#
# spatch runs in report mode with the options coccicheck would use.  The
# run fails if spatch errors, if it scanned no file, if a rule has no test
# directory or no expected file, or if the reports differ from `expected`.
set -euo pipefail

RULES_DIR=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/work/${BASE:-debian-6.12}/linux/scripts/coccinelle/mm}
TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SPATCH=${SPATCH:-spatch}

fail=0
nrules=0

if [ ! -d "$RULES_DIR" ]; then
	echo "  FAILED: rules directory $RULES_DIR does not exist"
	exit 1
fi
command -v "$SPATCH" >/dev/null || { echo "  FAILED: $SPATCH not found"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

shopt -s nullglob
for rule in "$RULES_DIR"/*.cocci; do
	name=$(basename "$rule" .cocci)
	nrules=$((nrules + 1))
	dir="$TESTS_DIR/$name"
	if [ ! -d "$dir" ] || [ ! -f "$dir/expected" ]; then
		echo "  FAILED: $name: no test directory or expected file ($dir)"
		fail=1
		continue
	fi
	files=("$dir"/pos_*.c "$dir"/neg_*.c)
	npos=$(ls "$dir"/pos_*.c 2>/dev/null | wc -l)
	nneg=$(ls "$dir"/neg_*.c 2>/dev/null | wc -l)
	if [ "${#files[@]}" -eq 0 ] || [ "$npos" -eq 0 ] || [ "$nneg" -eq 0 ]; then
		echo "  FAILED: $name: needs both pos_*.c and neg_*.c test files (pos=$npos neg=$nneg)"
		fail=1
		continue
	fi

	out="$tmp/$name.out"
	err="$tmp/$name.err"
	rc=0
	(cd "$dir" && "$SPATCH" --very-quiet -D report --no-includes --include-headers \
		--sp-file "$rule" "${files[@]##*/}") >"$out" 2>"$err" || rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "  FAILED: $name: spatch exited with $rc"
		sed 's/^/    /' "$err" | grep -v 'type defaults to' | tail -n 20
		fail=1
		continue
	fi
	# spatch reports Python and parse failures on stderr without failing.
	if grep -Eq 'Python failure|Python error|parse error|Fatal error|exception|Traceback' "$err"; then
		echo "  FAILED: $name: spatch reported an error"
		grep -E 'Python|parse error|Fatal|exception|Traceback|File' "$err" | head -n 20 | sed 's/^/    /'
		fail=1
		continue
	fi
	# Prove the files were scanned and parsed completely: a test file that
	# spatch cannot parse would silently produce no report.
	parse_log=$(cd "$dir" && "$SPATCH" --parse-c "${files[@]##*/}" 2>&1 || true)
	stats=$(grep -E '^NB total files = ' <<<"$parse_log" || true)
	if grep -Eq 'parsing errors|^BAD:' <<<"$parse_log"; then
		echo "  FAILED: $name: spatch could not parse all test files"
		grep -E 'parsing errors|^BAD:' <<<"$parse_log" | head -n 5 | sed 's/^/    /'
		fail=1
		continue
	fi
	scanned=$(sed -nE 's/^NB total files = ([0-9]+);.*/\1/p' <<<"$stats")
	perfect=$(sed -nE 's/.*perfect = ([0-9]+);.*/\1/p' <<<"$stats")
	if [ -z "$scanned" ] || [ "$scanned" -eq 0 ]; then
		echo "  FAILED: $name: spatch scanned zero files"
		fail=1
		continue
	fi
	if [ "$scanned" -ne "${#files[@]}" ] || [ "$perfect" != "$scanned" ]; then
		echo "  FAILED: $name: spatch parsed $perfect/$scanned of ${#files[@]} test files completely"
		fail=1
		continue
	fi

	# Normalize "path:line:col-col: message" to "basename:line".
	grep -E '^[^ ]+\.c:[0-9]+:[0-9]+-[0-9]+: ' "$out" |
		sed -E 's#^([^:]*/)?([^/:]+\.c):([0-9]+):.*#\2:\3#' |
		sort -u >"$tmp/$name.got" || true
	grep -Ev '^[[:space:]]*(#|$)' "$dir/expected" | sort -u >"$tmp/$name.want"

	# Patch mode, for a rule that has one: the exact diff it makes
	# (patch.expected, without the temporary "+++" names).
	if [ -f "$dir/patch.expected" ]; then
		if (cd "$dir" && "$SPATCH" --very-quiet -D patch --no-includes --include-headers \
			--sp-file "$rule" "${files[@]##*/}" 2>/dev/null) | grep -v '^+++ ' >"$tmp/$name.patch" &&
			cmp -s "$tmp/$name.patch" "$dir/patch.expected"; then
			echo "  ok: $name patch mode ($(grep -c '^+[^+]' "$dir/patch.expected") lines fixed as expected)"
		else
			fail=1
			echo "  FAILED: $name: patch mode differs from patch.expected"
			diff "$dir/patch.expected" "$tmp/$name.patch" | head -n 20 | sed 's/^/    /'
		fi
	fi

	if cmp -s "$tmp/$name.got" "$tmp/$name.want"; then
		echo "  ok: $name ($(wc -l <"$tmp/$name.want") reports in $npos positive files, 0 in $nneg negative files, $scanned files scanned)"
	else
		fail=1
		echo "  FAILED: $name: reports differ from expected"
		for f in "${files[@]}"; do
			b=$(basename "$f")
			g=$(grep -c "^$b:" "$tmp/$name.got" || true)
			w=$(grep -c "^$b:" "$tmp/$name.want" || true)
			if ! diff -q <(grep "^$b:" "$tmp/$name.got" || true) \
				     <(grep "^$b:" "$tmp/$name.want" || true) >/dev/null; then
				echo "  FAILED: $name $b: got $g reports, expected $w"
				diff <(grep "^$b:" "$tmp/$name.want" || true) \
				     <(grep "^$b:" "$tmp/$name.got" || true) |
					grep '^[<>]' | sed -e 's/^</    missing:/' -e 's/^>/    unexpected:/' || true
			fi
		done
	fi
done

if [ "$nrules" -eq 0 ]; then
	echo "  FAILED: no *.cocci rule in $RULES_DIR"
	exit 1
fi
exit $fail
