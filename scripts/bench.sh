#!/bin/bash
# make bench: measure the pipeline, the Coccinelle rules and the kernel's mm
# paths, and write OUT_DIR/results.json and OUT_DIR/results.md.
#
#  1. pipeline: a cold `make` (only with BENCH_COLD=1: a fresh work dir and
#     an empty ccache, ~12 min of both cores; otherwise the last measured
#     cold run is reported, labelled as such) and the warm edit loop: one
#     line of mm/huge_memory.c changed -> build -> initramfs -> boot ->
#     guest tests of PLAN, in a scratch worktree of the fork
#     (WORK/bench/warm), so the fork tree is never touched; WARM_REPS times
#     as `make` runs it and as many times focused on the changed file: the
#     tests of plan WARM_FOCUS_PLAN (thp: those of mm/huge_memory.c's THP
#     paths) with WARM_QUICK_RACE (2) s race phases, as
#     `make PLAN=thp RACE_SECONDS=2` runs it.
#  2. coccicheck: wall time of each mm rule and of the whole set.
#  3. mm microbenchmarks (guest/bench/mmbench.c, plan bench) on the base
#     and on the fork, each built with the perf config (configs/*.config
#     without mm-debug.config, plus configs/perf/*.config) in a worktree of
#     its own (WORK/bench/{base,fork}), booted alternately (AB BA AB ...)
#     BENCH_REPS times with the same QEMU settings (scripts/boot.sh).
#
# BENCH_SMOKE=1 (make check): one repetition of plan bench-smoke on the
# kernel already built in WORK/obj for both sides, coccicheck over mm/damon/
# and virt/ only, no warm loop, results under WORK/bench/smoke; proves that
# it all works, measures nothing worth keeping.
#
# ACCEL=icount: part 3 counts instructions instead of timing them
# (scripts/boot.sh): a rate is 10^9 / instructions per operation, the same
# on every boot, so BENCH_REPS=1 is enough; it cannot see what an
# instruction costs (an atomic or a cache miss counts as one).
#
# BENCH_MICRO_ONLY=1: only part 3 (and coccicheck over the smoke's two
# directories, for a complete report), with BENCH_PLAN's benchmarks; for a
# focused fork/base comparison such as plan bench-fsdax.
#
# Usage: bench.sh WORK OUT_DIR PLAN FRAGMENT...
#   env: BENCH_SMOKE, BENCH_COLD, BENCH_REPS (5), BENCH_MICRO_ONLY, BENCH_PLAN (bench),
#        BENCH_BASE_COMMIT (the base tag),
#        WARM_REPS (3), WARM_FOCUS_PLAN (thp),
#        WARM_QUICK_RACE (2), JOBS, J,
#        ACCEL, BASE_CONF, PATCHES (for BENCH_COLD)
. "$(dirname "$0")/lib.sh"
stage bench

work=$(realpath "$1") out=$(realpath -m "$2") plan=$3
shift 3
fragments=()
for f in "$@"; do
	fragments+=("$(realpath "$f")")
done
root=$PMDSAFE_ROOT
S=$root/scripts
bench=$work/bench
smoke=${BENCH_SMOKE:-0}
micro_only=${BENCH_MICRO_ONLY:-0}
# Smoke and micro-only runs skip the warm loop and check only two small
# directories with coccicheck.
short=0
[ "$smoke" != 1 ] && [ "$micro_only" != 1 ] || short=1
[ -d "$work/linux" ] || die "no fork tree in $work (run make fork first)"
[ -f "$work/base.resolved" ] || die "no $work/base.resolved (run make base first)"
# The stage scripts append to PMDSAFE_TIMES: keep the bench's own stages
# out of the main job's stage times.
export PMDSAFE_TIMES=
if [ "$smoke" = 1 ]; then
	reps=1 mplan=bench-smoke
	bench=$work/bench/smoke
	# A smoke run never overwrites the committed results.
	[ "$out" != "$root/bench" ] || out=$bench
else
	reps=${BENCH_REPS:-5} mplan=${BENCH_PLAN:-bench}
	[ -f "$root/guest/plans/$mplan.plan" ] || die "no plan $mplan (BENCH_PLAN)"
fi
[ "$reps" -ge 1 ] || die "BENCH_REPS must be at least 1"
mkdir -p "$bench" "$out"
raw=$bench/raw.tsv
: >"$raw"
rec() { (IFS=$'\t'; echo "$*") >>"$raw"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
t_all=$(now)

tag=$(sed -n 's/^BASE_TAG=//p' "$work/base.resolved")
# BENCH_BASE_COMMIT: compare the fork with one of its own commits instead
# of the base (e.g. the commit before a change, to isolate its cost).
base_commit=$(git -C "$work/linux" rev-parse "${BENCH_BASE_COMMIT:-$tag}^{commit}")
fork_commit=$(git -C "$work/linux" rev-parse HEAD)
[ -z "$(git -C "$work/linux" status --porcelain -uno)" ] ||
	warn "the fork tree has uncommitted changes: the bench uses its HEAD $fork_commit"
rec meta mode "$(if [ "$smoke" = 1 ]; then echo smoke; elif [ "$micro_only" = 1 ]; then echo micro; else echo full; fi)"
rec meta date "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
rec meta host "$(hostname)"
rec meta cpu "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
rec meta cores "$(nproc)"
rec meta mem_gib "$(awk '/^MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)"
rec meta host_kernel "$(uname -r)"
rec meta qemu "$(qemu-system-x86_64 --version | head -n 1)"
rec meta spatch "$(spatch --version 2>/dev/null | head -n 1)"
rec meta project_commit "$(git -C "$root" rev-parse HEAD)$([ -z "$(git -C "$root" status --porcelain -uno)" ] || echo ' (dirty)')"
rec meta base_name "$(sed -n 's/^BASE_NAME=//p' "$work/base.resolved")"
rec meta base_version "$(sed -n 's/^BASE_VERSION=//p' "$work/base.resolved")"
if [ -n "${BENCH_BASE_COMMIT:-}" ]; then
	rec meta base_tag "not the base: BENCH_BASE_COMMIT, $(git -C "$work/linux" log -1 --format='%h %s' "$base_commit")"
else
	rec meta base_tag "$tag"
fi
rec meta base_commit "$base_commit"
rec meta fork_commit "$fork_commit"
rec meta fork_subject "$(git -C "$work/linux" log -1 --format=%s)"
rec meta fork_patches "$(git -C "$work/linux" rev-list --count "$tag..HEAD")"
rec meta loadavg_start "$(cut -d' ' -f1-3 /proc/loadavg)"
rec meta reps "$reps"
rec meta build_jobs "${JOBS:-$(($(nproc) + 1))}"
rec meta plan "$mplan"
rec meta plan_append "$(sed -n 's/^#@append //p' "$root/guest/plans/$mplan.plan" | paste -sd' ')"
rec meta warm_plan "$plan"

# worktree DIR COMMIT: a detached worktree of the fork tree's repository at
# COMMIT; an existing one is moved there (only changed files are rewritten,
# so its object dir rebuilds only what changed). Its work dir gets the
# base.resolved that names the base (initramfs.sh reads it).
worktree() {
	local dir=$1 commit=$2
	mkdir -p "$(dirname "$dir")"
	cp "$work/base.resolved" "$(dirname "$dir")/"
	if [ -e "$dir/.git" ] && git -C "$dir" rev-parse -q --verify HEAD >/dev/null; then
		git -C "$dir" checkout -q --force --detach "$commit"
		git -C "$dir" clean -qfdx
	else
		rm -rf "$dir"
		git -C "$work/linux" worktree prune
		git -C "$work/linux" worktree add -q --detach "$dir" "$commit"
	fi
}

# guest_times LOG: kernel boot time (to /init) and each test's time (the
# serial console ends lines with CR LF).
guest_times() {
	sed -n 's/^\[ *\([0-9.]*\)\] Run \/init as init process.*/boot_to_init\t\1/p' "$1" | head -n 1
	tr -d '\r' <"$1" | sed -n 's/^ok [0-9]* \([^ ]*\) # time=\([0-9.]*\)s$/test:\1\t\2/p'
	sed -n 's/^\[ *\([0-9.]*\)\] reboot: Power down.*/power_down\t\1/p' "$1" | tail -n 1
}

# --- 1. pipeline --------------------------------------------------------

# step NAME CMD...: run CMD (output to $steplog), append "NAME wall user
# sys" (seconds; CPU of CMD and its children) to $steps. CPU time says what
# the machine's other work does to the wall time.
step() {
	local TIMEFORMAT="$1 %R %U %S"
	shift
	{ time "$@" >>"$steplog" 2>&1; } 2>>"$steps"
}

cold_record=$work/bench/cold-stage-times.tsv
if [ "${BENCH_COLD:-0}" = 1 ] && [ "$smoke" != 1 ]; then
	# The stages of `make` by their scripts, in a fresh work dir with an
	# empty ccache (the toolchain and the base package stay installed).
	cold=$(mktemp -d "${TMPDIR:-/tmp}/pmdsafe-cold.XXXXXX")
	note "cold pipeline in $cold (about 12 minutes on an idle machine)"
	steps=$bench/cold.steps steplog=$bench/cold.log
	: >"$steps"
	: >"$steplog"
	t0=$(now)
	if ! (
		export CCACHE_DIR=$cold/ccache
		step deps "$S/deps.sh" && step base "$S/base.sh" "${BASE_CONF:?}" "$cold/work" &&
			step fork "$S/fork.sh" "$cold/work" "${PATCHES:?}" "$(sed -n 's/^BASE_NAME=//p' "$work/base.resolved")" &&
			step build "$S/build.sh" "$cold/work" "${fragments[@]}" && step initramfs "$S/initramfs.sh" "$cold/work" &&
			step boot "$S/boot.sh" "$cold/work" "$plan"
	); then
		tail -n 30 "$steplog"
		die "the cold pipeline failed (log $steplog)"
	fi
	# As in the warm loop, failing guest tests are reported, not fatal.
	step verdict "$S/verdict.sh" "$cold/work/logs/$plan.log" "$root/guest/plans/$plan.plan" ||
		warn "cold pipeline: guest tests failed: $(grep -E '^FAIL ' "$steplog" | paste -sd';' -)"
	total=$(elapsed "$t0")
	{
		printf '# cold pipeline measured %s (fresh work dir, empty ccache; load average %s)\n' \
			"$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(cut -d' ' -f1-3 /proc/loadavg)"
		# STAGE WALL CPU
		awk '{ printf "%s\t%s\t%.1f\n", $1, $2, $3 + $4 }' "$steps"
		printf 'total\t%s\t%s\n' "$total" "$(awk '{ c += $3 + $4 } END { printf "%.1f", c }' "$steps")"
	} >"$cold_record"
	rm -rf "$cold"
fi
if [ -f "$cold_record" ]; then
	rec cold_meta source "BENCH_COLD=1 run, $(sed -n '1s/^# cold pipeline measured //p' "$cold_record")"
	grep -v '^#' "$cold_record" | while IFS=$'\t' read -r st sec cpu; do rec cold "$st" "$sec" "$cpu"; done
elif [ -s "$work/stage-times.tsv" ]; then
	rec cold_meta source "stage times of the last make in $work (cold only if that make started from nothing; BENCH_COLD=1 measures a cold one)"
	awk -F'\t' '{ t[$1] = $2; if (!($1 in s)) { s[$1] = 1; o[n++] = $1 } }
		END { for (i = 0; i < n; i++) printf "%s\t%s\n", o[i], t[o[i]] }' "$work/stage-times.tsv" |
		while IFS=$'\t' read -r st sec; do rec cold "$st" "$sec"; done
else
	rec cold_meta source "none (BENCH_COLD=1 measures one)"
fi

if [ "$short" != 1 ]; then
	warm=$work/bench/warm
	file=mm/huge_memory.c
	note "warm loop: scratch worktree $warm at the fork's HEAD"
	worktree "$warm/linux" "$fork_commit"
	revert() { git -C "$warm/linux" checkout -q -- "$file" 2>/dev/null || true; }
	trap 'rc=$?; revert; stage_end $rc' EXIT
	# Not measured: bring the scratch object dir up to date first.
	if ! { "$S/build.sh" "$warm" "${fragments[@]}" && "$S/initramfs.sh" "$warm"; } >"$bench/warm-prime.log" 2>&1; then
		tail -n 20 "$bench/warm-prime.log"
		die "warm loop: the first build failed"
	fi
	# The loop as `make` runs it, and the one focused on the changed file
	# (make PLAN=thp RACE_SECONDS=2: its tests with 2 s race phases; with
	# 1 s some race tests do not reach their minimum number of
	# operations), interleaved.
	quick_race=${WARM_QUICK_RACE:-2} focus_plan=${WARM_FOCUS_PLAN:-thp}
	[ -f "$root/guest/plans/$focus_plan.plan" ] || die "no plan $focus_plan (WARM_FOCUS_PLAN)"
	rec meta warm_quick_race "$quick_race"
	rec meta warm_focus_plan "$focus_plan"
	for i in $(seq "${WARM_REPS:-3}"); do
		for variant in default focused; do
			append='' vplan=$plan
			[ "$variant" = default ] || append="PMDSAFE_STRESS_SECONDS=$quick_race" vplan=$focus_plan
			# One changed line of code (not a comment: ccache would serve
			# the old object), unique per run, harmless: an unused constant.
			echo "static const char pmdsafe_bench_edit[] __maybe_unused = \"$variant.$i.$(date +%s%N)\";" \
				>>"$warm/linux/$file"
			steps=$bench/warm-$variant-$i.steps steplog=$bench/warm-$variant-$i.log
			: >"$steps"
			: >"$steplog"
			export BOOT_APPEND=$append
			t0=$(now)
			if ! { step build "$S/build.sh" "$warm" "${fragments[@]}" &&
				step initramfs "$S/initramfs.sh" "$warm" && step boot "$S/boot.sh" "$warm" "$vplan"; }; then
				tail -n 30 "$steplog"
				die "warm loop ($variant) $i could not build or boot (log $steplog)"
			fi
			# A failing guest test is reported with the loop's time, not
			# fatal: the loop ran all the same (the fork's known kernel bugs
			# can fail a race test now and then).
			if ! step verdict "$S/verdict.sh" "$warm/logs/$vplan.log" "$root/guest/plans/$vplan.plan"; then
				rec warm_fail "$variant" "$i" "$(grep -E '^FAIL ' "$steplog" | sed 's/^FAIL //' | tr -d '\r' | paste -sd';' -) (log $(readlink -f "$warm/logs/$vplan.log"))"
				warn "warm loop ($variant) $i: guest tests failed (log $steplog)"
			fi
			total=$(elapsed "$t0")
			unset BOOT_APPEND
			revert
			while read -r st wall user sys; do
				rec warm "$variant" "$i" "$st" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')"
			done <"$steps"
			rec warm "$variant" "$i" total "$total" "$(awk '{ c += $3 + $4 } END { print c }' "$steps")"
			guest_times "$warm/logs/$vplan.log" | while IFS=$'\t' read -r k v; do rec warm_guest "$variant" "$i" "$k" "$v"; done
			rec warm_build "$variant" "$i" ccache "$(grep -o 'pmdsafe: ccache: .*' "$steplog" | tail -n 1 | cut -d' ' -f3-)"
			note "warm loop ($variant) $i: ${total}s ($(awk '{ printf "%s %ss ", $1, $2 }' "$steps"))"
		done
	done
	trap 'stage_end $?' EXIT
fi

# --- 2. coccicheck ------------------------------------------------------

cocci_dirs=${COCCI_DIRS:-}
[ "$short" != 1 ] || cocci_dirs=${COCCI_DIRS:-mm/damon virt}
note "coccicheck on the fork tree${cocci_dirs:+ over $cocci_dirs}"
jobs=${J:-$(nproc)}
rec meta cocci_jobs "$jobs"
t0=$(now)
COCCI_DIRS=$cocci_dirs J=$jobs "$S/coccicheck.sh" "$work/linux" "$bench/coccicheck" >"$bench/coccicheck.log" 2>&1 ||
	{ tail -n 20 "$bench/coccicheck.log"; die "coccicheck failed (log $bench/coccicheck.log)"; }
rec cocci_total "$(elapsed "$t0")"
rec meta cocci_dirs "${cocci_dirs:-$(sed -n 's/^dirs=\${COCCI_DIRS:-\(.*\)}$/\1/p' "$S/coccicheck.sh")}"
sed -nE 's/^([a-z_0-9]+) +([0-9]+) findings, +([0-9]+) files scanned, +([0-9.]+)s$/\1\t\4\t\2\t\3/p' \
	"$bench/coccicheck.log" | while IFS=$'\t' read -r r sec f n; do rec cocci "$r" "$sec" "$f" "$n"; done

# --- 3. mm microbenchmarks ----------------------------------------------

if [ "$smoke" = 1 ]; then
	[ -f "$work/obj/arch/x86/boot/bzImage" ] || die "no kernel in $work/obj (run make first)"
	rec meta config "smoke: the kernel already in $work/obj for both sides ($(cat "$work/obj/include/config/kernel.release"))"
	for side in base fork; do
		mkdir -p "$bench/$side"
		ln -sfn "$work/obj" "$bench/$side/obj"
		cp "$work/base.resolved" "$bench/$side/"
	done
	ln -sfn "$work/linux" "$bench/fork/linux"
else
	perf=()
	for f in "${fragments[@]}"; do
		[ "$(basename "$f")" = mm-debug.config ] || perf+=("$f")
	done
	perf+=("$root"/configs/perf/*.config)
	rec meta config "perf: $(for f in "${perf[@]}"; do printf '%s ' "${f#"$root"/}"; done)"
	for side in base fork; do
		commit=$([ "$side" = base ] && echo "$base_commit" || echo "$fork_commit")
		worktree "$bench/$side/linux" "$commit"
		note "building the $side perf kernel ($(git -C "$bench/$side/linux" log -1 --format=%h "$commit"))"
		t0=$(now)
		"$S/build.sh" "$bench/$side" "${perf[@]}" >"$bench/build-$side.log" 2>&1 ||
			{ tail -n 20 "$bench/build-$side.log"; die "the $side perf kernel did not build"; }
		rec build "$side" "$(elapsed "$t0")" "$(cat "$bench/$side/obj/include/config/kernel.release")"
	done
	for opt in CONFIG_PROVE_LOCKING CONFIG_DEBUG_VM CONFIG_PAGE_TABLE_CHECK; do
		! grep -q "^$opt=y" "$bench/base/obj/.config" "$bench/fork/obj/.config" ||
			die "the perf config has $opt"
	done
fi

# One initramfs for both sides, from the fork tree (its selftests); the
# fsdax benchmark formats its pmem device with the initramfs's mke2fs.
"$S/initramfs.sh" "$bench/fork" >"$bench/initramfs.log" 2>&1 ||
	{ tail -n 20 "$bench/initramfs.log"; die "the bench initramfs did not build"; }
grep -qE '^file /(s?bin|usr/sbin)/mke2fs ' "$bench/fork/initramfs/list" ||
	die "the initramfs has no mke2fs (guest/bench/mmbench.c's fsdax benchmark needs it)"
cp "$bench/fork/initramfs.cpio" "$bench/base/initramfs.cpio"

# The same QEMU settings for both (scripts/boot.sh: 2 vCPUs, 2 NUMA nodes,
# MEM_PER_NODE), and the same accelerator: the first boot decides.
rm -f "$bench/base/accel" "$bench/fork/accel"
[ -z "${ACCEL:-}" ] || export ACCEL
order=
for r in $(seq "$reps"); do
	# AB BA AB ...: neither side always boots first.
	if [ $((r % 2)) = 1 ]; then sides="base fork"; else sides="fork base"; fi
	for side in $sides; do
		order+=${side:0:1}
		[ ! -f "$bench/base/accel" ] || [ -f "$bench/$side/accel" ] || cp "$bench/base/accel" "$bench/$side/accel"
		[ ! -f "$bench/fork/accel" ] || [ -f "$bench/$side/accel" ] || cp "$bench/fork/accel" "$bench/$side/accel"
		t0=$(now)
		BOOT_TIMEOUT=${BENCH_BOOT_TIMEOUT:-900} "$S/boot.sh" "$bench/$side" "$mplan" >"$bench/boot-$side-$r.log" 2>&1 ||
			{ tail -n 20 "$bench/boot-$side-$r.log"; die "the $side boot $r failed"; }
		log=$(readlink -f "$bench/$side/logs/$mplan.log")
		# Judged like any run (no lockdep on the perf kernels).
		if ! VERDICT_LOCKDEP=$([ "$smoke" = 1 ] && echo 1 || echo 0) \
			"$S/verdict.sh" "$log" "$root/guest/plans/$mplan.plan" >"$bench/verdict-$side-$r.log" 2>&1; then
			grep -E '^FAIL|^\|' "$bench/verdict-$side-$r.log" | head -n 30
			die "the $side bench run $r failed (log $log)"
		fi
		release=$(sed -n 's/^# pmdsafe: kernel \([^ ]*\) .*/\1/p' "$log" | head -n 1)
		# The accelerator as boot.sh reports it (ACCEL, its cache or its probe).
		accel=$(sed -n 's/^pmdsafe: accelerator: //p' "$bench/boot-$side-$r.log" | tail -n 1)
		rec boot "$side" "$r" "$(elapsed "$t0")" "$release" "$log" "$accel"
		sed -n 's/^# bench \([A-Za-z0-9_]*\) \([0-9.]*\) \([^ ]*\)$/\1\t\2\t\3/p' "$log" |
			while IFS=$'\t' read -r name value unit; do rec micro "$side" "$r" "$name" "$value" "$unit"; done
		note "$side run $r: $(sed -n 's/^# bench \([A-Za-z0-9_]*\) \([0-9.]*\) .*/\1=\2/p' "$log" | paste -sd' ')"
	done
done
rec meta order "$order"
rec meta total_seconds "$(elapsed "$t_all")"
rec meta loadavg_end "$(cut -d' ' -f1-3 /proc/loadavg)"

PATH=/usr/bin:$PATH python3 "$S/bench-report.py" "$raw" "$out"
note "results: $out/results.md, $out/results.json ($(elapsed "$t_all")s)"
