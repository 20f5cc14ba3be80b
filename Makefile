# pmdsafe: base + patches/series -> fork tree -> mm-debug kernel -> QEMU
# guest tests. `make` runs the whole job; `make check` tests the tooling.

BASE      ?= debian-6.12
BASE_CONF ?= $(CURDIR)/base/$(BASE).conf
PATCHES   ?= $(CURDIR)/patches
WORK      ?= $(CURDIR)/work/$(BASE)
# A base whose kernel lacks a feature a default test needs has its own plan.
PLAN      ?= $(if $(wildcard $(CURDIR)/guest/plans/default-$(BASE).plan),default-$(BASE),default)
FRAGMENTS ?= $(wildcard $(CURDIR)/configs/*.config)
# The first base owns patches/; others get per-base variants (patches/BASE/).
PRIMARY_BASE := debian-6.12

S := $(CURDIR)/scripts
export PMDSAFE_TIMES ?= $(WORK)/stage-times.tsv

.PHONY: all deps base fork build initramfs boot test stress selftests-mm selftests-mm-run export series-check series-gate build-alt build-cross \
	checkpatch sparse coccicheck coccicheck-base bench export-mbox export-quilt import distro-check deb \
	check clean distclean help

# The main job. Stage times of this run are collected afresh.
all:
	@rm -f $(PMDSAFE_TIMES)
	@$(MAKE) --no-print-directory test

help:
	@echo "make                 deps, base, fork, build, initramfs, boot, guest tests"
	@echo "make check           the project's own tests (tooling, bad input, guest verdicts)"
	@echo "make fork|export|series-check|build|initramfs|boot|test  single stages"
	@echo "make stress          the race tests for STRESS_SECONDS per phase"
	@echo "make selftests-mm    the kernel's own mm selftests (peer suite) in the guest"
	@echo "                     (SELFTESTS_MM_PLAN=selftests-mm-slow: the slow ones)"
	@echo "make checkpatch      checkpatch --strict on every patch of the series"
	@echo "make sparse          sparse ratchet: no sparse warning the base does not have"
	@echo "make build-alt       the series also builds with CONFIG_ZONE_DEVICE off"
	@echo "make build-cross     the series' mm and arch code compiles for arm64, riscv, powerpc (CROSS_ARCHES=)"
	@echo "make deb             installable .deb packages of the fork kernel (bindeb-pkg), base + fork version"
	@echo "make distro-check    how each patch applies to every Debian base (DISTRO_BASES=)"
	@echo "make series-gate     each commit alone: builds, checkpatch, Coccinelle on its files"
	@echo "make coccicheck      the fork's mm Coccinelle rules (coccicheck-base: on the base)"
	@echo "make export-mbox     the series as one mbox for git send-email/b4, with cover letter (MBOX_OUT=, REROLL=N)"
	@echo "make export-quilt    the series as a Debian-style quilt directory (QUILT_OUT=)"
	@echo "make import MBOX=f   apply a series from a mailing-list mbox with b4, export it to patches/ (LINKMASK=)"
	@echo "make bench           pipeline, coccicheck and mm microbenchmark figures -> bench/results.{md,json}"
	@echo "vars: BASE=$(BASE) PLAN=$(PLAN) WORK=$(WORK) BOOT_TIMEOUT= ALLOW_SKIP= ACCEL= V=1 FORCE=1 RACE_SECONDS="

deps:
	@$(S)/deps.sh

base: deps
	@$(S)/base.sh $(BASE_CONF) $(WORK)

fork: base
	@$(S)/fork.sh $(WORK) $(PATCHES) $(BASE)

build: fork
	@$(S)/build.sh $(WORK) $(FRAGMENTS)

initramfs: fork
	@$(S)/initramfs.sh $(WORK)

# RACE_SECONDS=N: each race phase of the guest's race tests lasts N s (the
# tests' default is 5 s, 10 s for uffd-move-thp: most of the default plan's
# time). PLAN=thp RACE_SECONDS=2 is the quick edit loop of mm/huge_memory.c
# (with 1 s some race tests do not reach their minimum number of operations).
boot: build initramfs
	@BOOT_APPEND="$(if $(RACE_SECONDS),PMDSAFE_STRESS_SECONDS=$(RACE_SECONDS) )$(BOOT_APPEND)" \
		$(S)/boot.sh $(WORK) $(PLAN)

test: boot
	@$(S)/verdict.sh $(WORK)/logs/$(PLAN).log $(CURDIR)/guest/plans/$(PLAN).plan

# The race tests, STRESS_SECONDS per race phase (13 phases: ~13 min at 60).
STRESS_SECONDS ?= 60
stress:
	@rm -f $(PMDSAFE_TIMES)
	@$(MAKE) --no-print-directory test PLAN=stress \
		BOOT_APPEND="PMDSAFE_STRESS_SECONDS=$(STRESS_SECONDS) $(BOOT_APPEND)" \
		BOOT_TIMEOUT=$$(( $(STRESS_SECONDS) * 20 + 600 ))

# The peer suite: the fork's tools/testing/selftests/mm, built static, run
# with run_vmtests.sh's arguments (guest/plans/selftests-mm.plan) and judged
# against guest/selftests-mm.expect (10-18 min under TCG); then hmm-tests
# again in a guest with DEVICE_COHERENT memory (selftests-mm-coherent, 1 min).
# SELFTESTS_MM_PLAN=selftests-mm-slow: the tests left out for their time.
SELFTESTS_MM_PLAN ?= selftests-mm selftests-mm-coherent
selftests-mm:
	@rm -f $(PMDSAFE_TIMES)
	@$(MAKE) --no-print-directory selftests-mm-run

selftests-mm-run: build
	@rc=0; for plan in $(SELFTESTS_MM_PLAN); do $(S)/selftests-mm.sh $(WORK) $$plan || rc=1; done; exit $$rc

# Writes the tree's commits back to patches/ (per-base variants of other
# bases are written by hand: EXPORT_DIR=patches/$(BASE)).
export:
	@if [ "$(BASE)" != "$(PRIMARY_BASE)" ] && [ -z "$(EXPORT_DIR)" ]; then \
		echo "pmdsafe: error: patches/ follows $(PRIMARY_BASE); set EXPORT_DIR to export $(BASE)" >&2; \
		exit 1; fi
	@SYNC_BASE=$(BASE) $(S)/export.sh $(WORK) $(or $(EXPORT_DIR),$(PATCHES))

# Delivery formats of the series: one mbox (cover letter + patches, checked
# with b4) and a Debian-style quilt directory (series + pmdsafe/*.patch).
MBOX_OUT  ?= $(WORK)/export/pmdsafe.mbox
QUILT_OUT ?= $(WORK)/export/quilt
COVER     ?= $(PATCHES)/cover-letter.txt
export-mbox: fork
	@$(S)/export-mbox.sh $(WORK) $(MBOX_OUT) $(COVER)

export-quilt: fork
	@$(S)/export-quilt.sh $(WORK) $(QUILT_OUT)

# A series from a mailing list (a local mbox), applied with b4 and
# exported to patches/ like `make export`.
import: fork
	@if [ -z "$(MBOX)" ]; then echo "pmdsafe: error: usage: make import MBOX=file.mbox" >&2; exit 1; fi
	@if [ "$(BASE)" != "$(PRIMARY_BASE)" ] && [ -z "$(EXPORT_DIR)" ]; then \
		echo "pmdsafe: error: patches/ follows $(PRIMARY_BASE); set EXPORT_DIR to import into $(BASE)" >&2; \
		exit 1; fi
	@$(S)/import.sh $(WORK) $(or $(EXPORT_DIR),$(PATCHES)) $(MBOX) $(BASE)

series-check: fork
	@$(S)/series-check.sh $(WORK) $(PATCHES)

# The mm Coccinelle rules of the fork over its page-table code, and the
# same rules over the pristine base (a worktree at the base tag), whose
# findings triage/BASE.md explains one by one.
coccicheck: fork
	@$(S)/coccicheck.sh $(WORK)/linux $(WORK)/coccicheck

coccicheck-base: fork
	@$(S)/base-worktree.sh $(WORK)
	@cp -r $(WORK)/linux/scripts/coccinelle/mm/. $(WORK)/base-tree/scripts/coccinelle/mm/
	@$(S)/coccicheck.sh $(WORK)/base-tree $(WORK)/coccicheck-base

# Benchmarks: the warm edit loop, the last cold make (BENCH_COLD=1 measures
# one, ~12 min), coccicheck per rule, and mm microbenchmarks on base and
# fork perf kernels (configs/perf/), written to bench/results.md and
# bench/results.json. BENCH_SMOKE=1: a quick run on the kernel already
# built, results under $(WORK)/bench/smoke (make check runs it).
# BENCH_MICRO_ONLY=1 BENCH_PLAN=bench-fsdax BENCH_OUT=bench/fsdax: only the
# fsdax fault benchmark, fork against base (issue 7).
BENCH_OUT ?= $(CURDIR)/bench
bench: fork
	@BASE_CONF=$(BASE_CONF) PATCHES=$(PATCHES) $(S)/bench.sh $(WORK) $(BENCH_OUT) $(PLAN) $(FRAGMENTS)

# Bisectability: every commit of the series on its own (results in
# $(WORK)/series-gate.json).
series-gate: fork
	@$(S)/series-gate.sh $(WORK) $(PATCHES) $(BASE) $(FRAGMENTS)

sparse: build
	@$(S)/sparse.sh $(WORK)

# The series' code in a second config: the fork's with CONFIG_ZONE_DEVICE off.
build-alt: build
	@$(S)/build-alt.sh $(WORK)

# The architectures the guest does not boot: the devmap removal changes
# their page table headers. mm/, arch/ARCH/mm/, drivers/dax/ and fs/dax.o in
# each defconfig with THP, ZONE_DEVICE, DAX and DEBUG_VM_PGTABLE, with
# Debian's cross compilers (installed on first use).
CROSS_ARCHES ?= arm64 riscv powerpc
build-cross: fork
	@$(S)/build-cross.sh $(WORK) $(CROSS_ARCHES)

# Every base the series is delivered on: extracted if missing, then the
# series applied with patch(1) as a distro maintainer would.
DISTRO_BASES ?= debian-6.12 debian-6.1
distro-check: deps
	@for b in $(DISTRO_BASES); do $(S)/base.sh $(CURDIR)/base/$$b.conf $(CURDIR)/work/$$b || exit 1; done
	@$(S)/distro-check.sh $(PATCHES) $(DISTRO_BASES)

deb: build
	@$(S)/deb.sh $(WORK) $(PATCHES) $(BASE)

checkpatch: fork
	@$(S)/checkpatch.sh $(WORK)/linux $(PATCHES) $(BASE)

check:
	@$(S)/../tests/run.sh

clean:
	rm -rf $(WORK)/obj $(WORK)/initramfs $(WORK)/initramfs.cpio $(WORK)/logs

distclean:
	@$(S)/fork-guard.sh $(WORK)/linux 2>/dev/null || [ ! -d $(WORK)/linux ] || \
		{ echo "pmdsafe: error: $(WORK)/linux holds unexported work; not removing" >&2; exit 1; }
	rm -rf $(WORK)
