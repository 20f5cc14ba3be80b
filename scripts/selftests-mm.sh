#!/bin/bash
# The peer suite: the kernel's own mm selftests from the fork tree, built
# static and run in the guest with plan selftests-mm (run_vmtests.sh's
# tests and arguments; guest/plans/selftests-mm.plan), then judged twice:
# verdict.sh (splats, power-off, lockdep; expected skips allowed) and the
# per-test expectations of guest/selftests-mm.expect (result, number of
# skipped sub-tests, reason). Writes a results table next to the log.
# Usage: selftests-mm.sh WORK [PLAN]   (PLAN: selftests-mm (default) or
#            selftests-mm-slow; env: BOOT_TIMEOUT (default 2400), JOBS,
#            BOOT_APPEND, ACCEL, V)
#        selftests-mm.sh --judge LOG [PLAN]   (the expectations, on a kept log)
#        selftests-mm.sh --check   (the plans and the expectations agree)
#   SELFTESTS_MM_EXPECT / SELFTESTS_MM_PLANFILE replace the expectations
#   file / the plan file (the tests of this script use them).
. "$(dirname "$0")/lib.sh"
expect=${SELFTESTS_MM_EXPECT:-$PMDSAFE_ROOT/guest/selftests-mm.expect}
extra=selftests-mm

# Every test of the selftests-mm plans has one well-formed expectation, and
# only they have one.
check_expect() {
	local plan_names exp_names bad
	[ -f "$expect" ] || die "$expect missing"
	plan_names=$(grep -l "^#@extra $extra\$" "$PMDSAFE_ROOT"/guest/plans/*.plan |
		xargs awk '!/^#/ && NF { print $1 }' | sort -u)
	exp_names=$(awk '!/^#/ && NF { print $1 }' "$expect" | sort)
	[ "$plan_names" = "$exp_names" ] ||
		die "the plans and $expect list different tests: $(diff <(echo "$plan_names") <(echo "$exp_names") | grep '^[<>]' | paste -sd' ')"
	bad=$(awk '!/^#/ && NF && ($2 !~ /^(pass|skip|fail|signal)$/ || $3 !~ /^[0-9]+$/ || NF < 4) { print $1 }' "$expect")
	[ -z "$bad" ] || die "$expect: bad lines (NAME pass|skip|fail|signal SKIPS REASON) for: $bad"
}

# Per test: the result init reported (pass, skip, fail, signal, timeout),
# its time, and the sub-tests its own output counts, against the line of
# guest/selftests-mm.expect: "NAME RESULT SKIPS REASON". A result other
# than RESULT, or more skipped sub-tests than SKIPS, is unexpected and fails
# the run; fewer skips are only reported (the list wants updating).
judge() {	# LOG PLAN_FILE
	stage selftests-mm-expect
	local log=$1 planfile=$2 results erc
	results=$(readlink -f "$log").results
	awk -v expfile="$expect" -v planfile="$planfile" '
	BEGIN {
		while ((getline l < expfile) > 0) {
			if (l ~ /^#/ || l !~ /[^ \t]/) continue
			split(l, f, /[ \t]+/)
			r = l; sub(/^[^ \t]+[ \t]+[^ \t]+[ \t]+[^ \t]+[ \t]*/, "", r)
			er[f[1]] = f[2]; es[f[1]] = f[3]; why[f[1]] = r
		}
		while ((getline l < planfile) > 0)
			if (l !~ /^#/ && split(l, f, /[ \t]+/) && f[1] != "") order[n++] = f[1]
		printf "%-26s %-6s %8s %5s %5s %5s  %s\n", "# test", "result", "seconds", "pass", "fail", "skip", "verdict"
	}
	# The serial console ends lines with CR LF.
	{ sub(/\r$/, "") }
	# Sub-test lines of a test, relayed by init as "# ..." before its result:
	# TAP, and the "Testing X on Y... done|skipped|failed" of uffd-unit-tests.
	/^# (not )?ok [0-9]+/ || /^# Testing .*\.\.\. (done|skipped|failed)/ {
		if ($0 ~ /^# not ok|\.\.\. failed/) sf++
		else if ($0 ~ /# SKIP|\.\.\. skipped/) { ss++; if (nsk < 40) sk[nsk++] = substr($0, 3) }
		else sp++
		next
	}
	/^(not )?ok [0-9]+ / {
		name = $0; sub(/^(not )?ok [0-9]+ /, "", name); sub(/ .*/, "", name)
		res = $0 ~ /^not ok/ ? "fail" : ($0 ~ /# SKIP/ ? "skip" : "pass")
		if ($0 ~ /# killed by signal/) res = "signal"
		secs = "-"
		if (match($0, /[0-9.]+s\)?$/)) { secs = substr($0, RSTART, RLENGTH); gsub(/[s)]/, "", secs) }
		if ($0 ~ /TIMEOUT after/) { secs = $0; sub(/.*after /, "", secs); sub(/s.*/, "", secs); res = "timeout" }
		seen[name] = 1
		v = "ok"
		if (!(name in er)) v = "UNEXPECTED: not in the expect list"
		else if (res != er[name]) v = "UNEXPECTED: " res ", expected " er[name]
		else if (ss > es[name] + 0) v = "UNEXPECTED: " ss " sub-test skips, at most " es[name] " expected"
		else if (ss < es[name] + 0) v = "ok (fewer skips than the " es[name] " expected)"
		if (v ~ /^UNEXPECTED/) bad++
		printf "%-26s %-6s %8s %5d %5d %5d  %s\n", name, res, secs, sp, sf, ss, v
		if (res != "pass" || ss) printf "  reason: %s\n", (name in why) ? why[name] : "-"
		for (i = 0; i < nsk && ss; i++) printf "    %s\n", sk[i]
		total += secs; sp = sf = ss = nsk = 0
		next
	}
	END {
		for (i = 0; i < n; i++) if (!(order[i] in seen)) {
			printf "%-26s %-6s %8s %5s %5s %5s  UNEXPECTED: no result\n", order[i], "none", "-", "-", "-", "-"
			bad++
		}
		printf "# total test time %.0f s; %d unexpected\n", total, bad
		exit bad ? 1 : 0
	}' "$log" >"$results" && erc=0 || erc=$?
	grep -v '^    ' "$results"
	note "results: $results"
	[ "$erc" = 0 ] || die "selftests-mm: unexpected results (see above)"
}

plan=${2:-selftests-mm}
if [ "${1:-}" = --judge ]; then
	[ -f "${2:-}" ] || die "usage: $0 --judge LOG [PLAN]"
	plan=${3:-selftests-mm}
	judge "$2" "${SELFTESTS_MM_PLANFILE:-$PMDSAFE_ROOT/guest/plans/$plan.plan}"
	exit 0
fi
if [ "${1:-}" = --check ]; then
	stage selftests-mm-check
	check_expect
	note "selftests-mm: $(grep -vc '^#' "$expect") expectations, one per planned test"
	exit 0
fi
stage selftests-mm
[ -d "${1:-}" ] || die "usage: $0 WORK"
work=$(cd "$1" && pwd)
tree=$work/linux
st=$work/selftests-mm
src=$st/src
bin=$st/bin
planfile=$PMDSAFE_ROOT/guest/plans/$plan.plan
S=$PMDSAFE_ROOT/scripts
[ -d "$tree/tools/testing/selftests/mm" ] || die "$tree has no tools/testing/selftests/mm (run 'make fork')"
grep -q "^#@extra $extra\$" "$planfile" 2>/dev/null || die "$planfile: no such plan of the mm selftests"
check_expect
for lib in liburing libcap libnuma; do
	[ -f "/usr/lib/x86_64-linux-gnu/$lib.a" ] || die "$lib.a missing (run 'make deps')"
done
command -v mkfs.xfs >/dev/null || die "mkfs.xfs missing (run 'make deps': xfsprogs)"
mkdir -p "$st" "$bin"

# uapi headers of the fork, in a private dir (never the kernel's obj/).
make -s -C "$tree" O="$st/hdr-obj" ARCH=x86_64 headers_install INSTALL_HDR_PATH="$st/usr" ||
	die "headers_install from $tree failed"

# The selftests' Makefile writes local_config.{h,mk} into its source dir:
# build from a mirror of the files it needs, not in the fork tree.
(cd "$tree" && rsync -a --delete -R \
	tools/testing/selftests/lib.mk tools/testing/selftests/kselftest.h \
	tools/testing/selftests/kselftest_harness.h tools/testing/selftests/kselftest \
	tools/testing/selftests/mm tools/testing/selftests/x86/check_cc.sh \
	tools/testing/selftests/x86/trivial_program.c \
	tools/testing/selftests/x86/trivial_32bit_program.c \
	tools/testing/selftests/x86/trivial_64bit_program.c \
	tools/include mm/gup_test.h lib/test_hmm_uapi.h include/vdso/time64.h "$src/") ||
	die "cannot mirror the selftests sources of $tree"
mk=(make -C "$src/tools/testing/selftests/mm" OUTPUT="$bin" -j"${JOBS:-2}"
	KHDR_INCLUDES="-isystem $st/usr/include" LDFLAGS=-static)
ksft_h=$src/tools/testing/selftests/kselftest.h
# khugepaged.c of 6.12.117 returns KSFT_SKIP without including kselftest.h
# (a stable backport): force the include for it (guarded, so harmless).
if ! { "${mk[@]}" EXTRA_CFLAGS="-static -include $ksft_h" "$bin/khugepaged" &&
	"${mk[@]}" EXTRA_CFLAGS=-static; } >"$st/build.log" 2>&1; then
	grep -E 'error|Error' "$st/build.log" | head -n 20 >&2
	die "building the mm selftests failed (log $st/build.log)"
fi

# The extra archive: stripped binaries in /bin/mm, and an XFS image (small
# file systems need mkfs.xfs's test-suite override) for the pmem disk.
rm -rf "$st/stage"
mkdir -p "$st/stage"
list=$st/initramfs.list
echo "dir /bin/mm 0755 0 0" >"$list"
for f in "$bin"/*; do
	magic=''
	if [ -f "$f" ] && [ -x "$f" ]; then read -r -n 4 magic <"$f"; fi
	[ "${magic:1:3}" = ELF ] || continue
	strip -o "$st/stage/${f##*/}" "$f"
	echo "file /bin/mm/${f##*/} $st/stage/${f##*/} 0755 0 0" >>"$list"
done
# compaction_test, hugetlb-soft-offline, thuge-gen... popen()/system() shell
# pipelines of cat and grep.
busybox=/bin/busybox
[ -x "$busybox" ] && [ "$(readelf -l "$busybox" | grep -c 'program interpreter')" = 0 ] ||
	die "$busybox missing or not static (run 'make deps': busybox-static)"
echo "file /bin/busybox $busybox 0755 0 0" >>"$list"
for applet in sh cat grep; do
	echo "slink /bin/$applet /bin/busybox 0777 0 0" >>"$list"
done
rm -f "$st/xfs.img"
truncate -s 32M "$st/xfs.img"
TEST_DEV=1 TEST_DIR=1 QA_CHECK_FS=1 mkfs.xfs -q -f "$st/xfs.img" || die "mkfs.xfs failed"
echo "file /xfs.img $st/xfs.img 0644 0 0" >>"$list"
note "selftests-mm: $(grep -c '^file /bin/mm/' "$list") programs built"

stage_end 0
trap - EXIT

INITRAMFS_EXTRA=$extra:$list "$S/initramfs.sh" "$work"
INITRD=$work/initramfs-$extra.cpio BOOT_TIMEOUT=${BOOT_TIMEOUT:-2400} "$S/boot.sh" "$work" "$plan"
log=$work/logs/$plan.log
# verdict.sh judges splats, power-off and lockdep; the per-test results are
# judged against the expectations below, so their known skips and failures
# are allowed there (a timeout never is).
skips=$(awk '!/^#/ && NF && $2 == "skip" { printf "%s ", $1 }' "$expect")
fails=$(awk '!/^#/ && NF && ($2 == "fail" || $2 == "signal") { printf "%s ", $1 }' "$expect")
vrc=0
ALLOW_SKIP="${skips:- }" ALLOW_FAIL="$fails" "$S/verdict.sh" "$log" "$planfile" || vrc=$?

judge "$log" "$planfile"
[ "$vrc" = 0 ] || die "selftests-mm: the run failed the verdict"
note "selftests-mm: every test as expected"
