#!/bin/bash
# Run every rule in scripts/coccinelle/mm/ of a kernel tree through the
# kernel's own `make coccicheck MODE=report`, over the directories where
# page-table code lives. Prints every finding and the time per rule, and
# fails if a run scanned no file (coccicheck exits 0 when M= resolves to
# nothing) or spatch reported an error.
# Usage: coccicheck.sh TREE OUT_DIR   (env: J jobs, COCCI_DIRS)
. "$(dirname "$0")/lib.sh"
stage coccicheck

tree=$(realpath "$1") out=$(realpath -m "$2")
dirs=${COCCI_DIRS:-mm fs arch/x86 include kernel lib drivers/dax drivers/nvdimm drivers/gpu/drm/amd/amdkfd drivers/gpu/drm/nouveau drivers/vfio/pci virt}
jobs=${J:-$(nproc)}
mkdir -p "$out"
rm -f "$out"/*.err "$out"/*.report
total=0 failed=0
for rule in "$tree"/scripts/coccinelle/mm/*.cocci; do
	name=$(basename "$rule" .cocci)
	t0=$(date +%s.%N)
	scanned=0 found=0
	for d in $dirs; do
		[ -d "$tree/$d" ] || die "$tree/$d does not exist"
		err=$out/$name.${d//\//_}.err
		# Absolute M= (a relative one can resolve to nothing); --quiet
		# makes spatch name each file it handles in the DEBUG_FILE.
		if ! make -s -C "$tree" coccicheck MODE=report COCCI="$rule" M="$tree/$d" J="$jobs" \
			SPFLAGS=--quiet DEBUG_FILE="$err" >"$out/$name.${d//\//_}.report" 2>&1; then
			tail -n 20 "$out/$name.${d//\//_}.report" >&2
			die "coccicheck $name on $d failed"
		fi
		n=$(grep -c '^HANDLING: ' "$err" || true)
		scanned=$((scanned + n))
		if grep -qE '^(Fatal error|Error|exception|Traceback)|parse error' "$err"; then
			grep -E '^(Fatal error|Error|exception|Traceback)|parse error' "$err" | head -n 5 >&2
			failed=$((failed + 1))
		fi
		grep -E '^[^ ]+:[0-9]+:[0-9]+-[0-9]+: ' "$out/$name.${d//\//_}.report" |
			sed "s|^$tree/||" >>"$out/$name.report" || true
	done
	found=$(sort -u "$out/$name.report" 2>/dev/null | wc -l)
	total=$((total + found))
	printf '%-28s %4d findings, %5d files scanned, %6.1fs\n' "$name" "$found" "$scanned" \
		"$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')"
	sort -u "$out/$name.report" 2>/dev/null | sed 's/^/  /'
	if [ "$scanned" = 0 ]; then
		echo "pmdsafe: $name scanned zero files: the run proves nothing" >&2
		failed=$((failed + 1))
	fi
done
[ "$failed" = 0 ] || die "$failed coccicheck run(s) failed or scanned nothing"
note "$total findings in $tree (reports and spatch logs in $out)"
