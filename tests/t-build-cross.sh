#!/bin/bash
# The architectures the guest does not boot: the series' mm and arch code
# compiles for arm64, riscv and powerpc with Debian's cross compilers.
# Uses the fork tree of the main job.
. "$(dirname "$0")/lib.sh"

W=$ROOT/work/${BASE:-debian-6.12}
run "$S/build-cross.sh" "$W" sparc64
expect_rc nonzero "an architecture without a known cross compiler is refused"
expect_out "no cross compiler known for 'sparc64'" "and named"

if [ -d "$W/linux" ]; then
	run "$S/build-cross.sh" "$W" arm64 riscv powerpc
	expect_rc 0 "make build-cross: arm64, riscv and powerpc compile without warnings"
	for arch in arm64 riscv powerpc; do
		expect_out "$arch: [1-9][0-9]* objects, 0 compiler warning" "$arch compiled something, warning-free"
	done
	echo "$out" | grep -E 'objects|done in' | sed 's/^/    /'
else
	bad "no fork tree in $W (run make fork first)"
fi
finish
