#!/bin/bash
# The series on other architectures: compiles mm/, the architecture's mm/,
# drivers/dax/ and fs/dax.o of the fork tree with a Debian cross compiler,
# in the architecture's defconfig with THP, ZONE_DEVICE, FS_DAX, DEV_DAX,
# DEBUG_VM and DEBUG_VM_PGTABLE on: the code the devmap removal (issue 7)
# changes in their page table headers. The guest boots x86 only; this is
# what the other architectures get. Fails on a compile error or warning.
# Usage: build-cross.sh WORK ARCH...   (arm64, riscv, powerpc)
. "$(dirname "$0")/lib.sh"
stage build-cross

work=$(realpath "$1")
shift
tree=$work/linux
fork_tag "$work" >/dev/null
[ $# -gt 0 ] || die "usage: build-cross.sh WORK ARCH..."

declare -A cross=([arm64]=aarch64-linux-gnu- [riscv]=riscv64-linux-gnu- [powerpc]=powerpc64le-linux-gnu-)
declare -A defconfig=([arm64]=defconfig [riscv]=defconfig [powerpc]=ppc64le_defconfig)
declare -A package=([arm64]=gcc-aarch64-linux-gnu [riscv]=gcc-riscv64-linux-gnu [powerpc]=gcc-powerpc64le-linux-gnu)

for arch in "$@"; do
	[ -n "${cross[$arch]:-}" ] || die "no cross compiler known for '$arch' (known: ${!cross[*]})"
	command -v "${cross[$arch]}gcc" >/dev/null ||
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${package[$arch]}" >/dev/null ||
		die "cannot install ${package[$arch]}"
done

kmake() { CROSS=${cross[$arch]} kbuild "$work" "$tree" "$obj" ARCH="$arch" -j"${JOBS:-$(($(nproc) + 1))}" "$@"; }

rc=0
for arch in "$@"; do
	obj=$work/obj-cross-$arch log=$work/obj-cross-$arch.log
	mkdir -p "$obj"
	{
		kmake -s "${defconfig[$arch]}"
		"$tree/scripts/config" --file "$obj/.config" -e TRANSPARENT_HUGEPAGE \
			-e MEMORY_HOTPLUG -e MEMORY_HOTREMOVE -e ZONE_DEVICE -e FS_DAX -e DEV_DAX \
			-e DEBUG_VM -e DEBUG_VM_PGTABLE
		kmake -s olddefconfig
	} >"$log" 2>&1 || { tail -n 20 "$log" >&2; die "$arch: configuring failed (log $log)"; }
	for opt in TRANSPARENT_HUGEPAGE ZONE_DEVICE FS_DAX DEV_DAX DEBUG_VM_PGTABLE; do
		grep -q "^CONFIG_$opt=y" "$obj/.config" || die "$arch: CONFIG_$opt did not stay on (log $log)"
	done
	note "$arch: building mm/ arch/$arch/mm/ drivers/dax/ fs/dax.o (log $log)"
	if ! kmake mm/ "arch/$arch/mm/" drivers/dax/ fs/dax.o >>"$log" 2>&1; then
		grep -E 'error' "$log" | head -n 20 >&2
		warn "$arch: build failed (log $log)"
		rc=1
		continue
	fi
	warnings=$(grep -c 'warning:' "$log" || true)
	note "$arch: $(find "$obj/mm" "$obj/arch/$arch/mm" "$obj/drivers/dax" -name '*.o' ! -name '*built-in*' | wc -l) objects, $warnings compiler warning(s)"
	if [ "$warnings" != 0 ]; then
		grep 'warning:' "$log" | head -n 10 >&2
		rc=1
	fi
done
exit $rc
