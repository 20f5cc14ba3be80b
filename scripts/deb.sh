#!/bin/bash
# Debian binary packages of the fork kernel (the kernel's own bindeb-pkg)
# from the project build, named and versioned "base + fork": the package
# version is the Debian base version + "+pmdsafe<N>.<series hash>". Checks
# the result: the package's /boot/vmlinuz is the kernel `make build` made,
# and dpkg would install the packages.
# Usage: deb.sh WORK PATCHES_DIR BASE
. "$(dirname "$0")/lib.sh"
stage deb

work=$(realpath "$1") patches=$(realpath "$2") base=$3
tree=$work/linux obj=$work/obj out=$work/deb
[ -f "$obj/arch/x86/boot/bzImage" ] || die "$obj has no kernel (run 'make build')"
version=$(sed -n 's/^BASE_VERSION=//p' "$work/base.resolved")
[ -n "$version" ] || die "$work/base.resolved has no BASE_VERSION"
read_series "$patches" "$base"
tag=$(fork_tag "$work")
pkgversion="$version+pmdsafe${#SERIES_FILES[@]}.$(series_hash "$tag" | cut -c1-8)"
release=$(cat "$obj/include/config/kernel.release")

export KBUILD_BUILD_USER=pmdsafe KBUILD_BUILD_HOST=pmdsafe
KBUILD_BUILD_TIMESTAMP=$(git -C "$tree" log -1 --format=%cD)
export KBUILD_BUILD_TIMESTAMP DEBEMAIL="pmdsafe@localhost" DEBFULLNAME=pmdsafe
# The project config has no loadable modules, so a linux-headers package
# (for out-of-tree modules) would be of no use: build without it.
export DEB_BUILD_PROFILES=pkg.linux-pmdsafe.nokernelheaders
note "bindeb-pkg $release, package version $pkgversion"
# bindeb-pkg leaves its packages next to the build directory.
rm -f "$work"/linux-*.deb "$work"/linux-upstream_*.buildinfo "$work"/linux-upstream_*.changes
kbuild "$work" "$tree" "$obj" \
	-j"${JOBS:-$(($(nproc) + 1))}" KDEB_PKGVERSION="$pkgversion" KDEB_SOURCENAME=linux-pmdsafe \
	bindeb-pkg >"$work/logs/deb.log" 2>&1 ||
	{ tail -n 20 "$work/logs/deb.log" >&2; die "bindeb-pkg failed (log $work/logs/deb.log)"; }
rm -rf "$out"
mkdir -p "$out"
mv "$work"/linux-*.deb "$out/"
rm -f "$work"/linux-pmdsafe_*.buildinfo "$work"/linux-pmdsafe_*.changes

image=$out/linux-image-${release}_${pkgversion}_amd64.deb
[ -f "$image" ] || die "bindeb-pkg made no $(basename "$image") (got: $(ls "$out"))"
[ "$(dpkg-deb -f "$image" Version)" = "$pkgversion" ] || die "$(basename "$image"): wrong Version field"
x=$(mktemp -d)
trap 'rm -rf "$x"; stage_end $?' EXIT
dpkg-deb -x "$image" "$x"
cmp -s "$x/boot/vmlinuz-$release" "$obj/arch/x86/boot/bzImage" ||
	die "$(basename "$image"): /boot/vmlinuz-$release is not the kernel make build made"
# Installable here: dpkg's dry run checks dependencies and conflicts
# without touching the system.
dpkg --dry-run -i "$out"/*.deb >"$work/logs/deb-install.log" 2>&1 ||
	die "dpkg would not install the packages (log $work/logs/deb-install.log)"
for f in "$out"/*.deb; do
	echo "  $(basename "$f")  $(dpkg-deb -f "$f" Package) $(dpkg-deb -f "$f" Version) $(du -h "$f" | cut -f1)"
done
note "packages in $out; the image holds this build's kernel"
