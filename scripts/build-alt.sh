#!/bin/bash
# A second config for the series: the fork's config with CONFIG_ZONE_DEVICE
# off (and with it DEVICE_PRIVATE, FS_DAX, TEST_HMM...), as most distro
# configs for small machines and other architectures have it. Code the
# series adds for device pages is used by paths every config builds (a
# helper defined only with ZONE_DEVICE broke do_swap_page() once), so this
# compiles mm/, block/ and the directory of every C file the series touches
# in that config. Fails on a compile error.
# Usage: build-alt.sh WORK
. "$(dirname "$0")/lib.sh"
stage build-alt

work=$(realpath "$1")
tree=$work/linux
tag=$(fork_tag "$work")
obj=$work/obj-alt
[ -f "$work/obj/.config" ] || die "$work/obj/.config missing (run 'make build' first)"
mkdir -p "$obj"
cp "$work/obj/.config" "$obj/.config"
"$tree/scripts/config" --file "$obj/.config" -d ZONE_DEVICE

kmake=(kbuild "$work" "$tree" "$obj" -j"${JOBS:-$(($(nproc) + 1))}")
"${kmake[@]}" -s olddefconfig
! grep -q '^CONFIG_ZONE_DEVICE=y' "$obj/.config" || die "CONFIG_ZONE_DEVICE is still set in $obj/.config"

# Directories are built as kbuild builds them for this config. A file
# directly under a top-level directory (fs/dax.c, lib/test_hmm.c) is not
# checked: kbuild compiles a named object even when the config leaves it
# out, and building all of fs/ or lib/ would take minutes.
dirs=(mm/ block/)
while IFS= read -r f; do
	d=${f%/*}
	case $d in
	mm | mm/* | block | block/*) ;;
	arch/x86/*) dirs+=("$d/") ;;
	arch/*) ;;	# other architectures: make build-cross
	*/*) dirs+=("$d/") ;;
	esac
done < <(series_c_files "$tree" "$tag")
mapfile -t dirs < <(printf '%s\n' "${dirs[@]}" | sort -u)

log=$obj/build-alt.log
note "ZONE_DEVICE=n build of ${dirs[*]} (log $log)"
"${kmake[@]}" "${dirs[@]}" >"$log" 2>&1 ||
	{ grep -E 'error|Error' "$log" | head -n 20 >&2; die "the ZONE_DEVICE=n build failed (log $log)"; }
note "built $(find "${dirs[@]/#/$obj/}" -name '*.o' ! -name '*built-in*' 2>/dev/null | wc -l) objects without ZONE_DEVICE;" \
	"$(grep -c 'warning:' "$log" || true) compiler warning(s)"
