#!/bin/bash
# make deb: bindeb-pkg packages of the fork kernel whose names and versions
# say base + fork, holding the kernel the build made.
. "$(dirname "$0")/lib.sh"

B=${BASE:-debian-6.12}
W=$ROOT/work/$B
run make -C "$ROOT" --no-print-directory deb BASE="$B"
expect_rc 0 "make deb builds the packages and checks their kernel"
echo "$out" | grep -E '\.deb ' | sed 's/^/    /'
version=$(sed -n 's/^BASE_VERSION=//p' "$W/base.resolved")
n=$(grep -c '' "$ROOT/patches/series")
image=$(ls "$W"/deb/linux-image-*.deb 2>/dev/null | head -n 1)
expect_eq "$(dpkg-deb -f "$image" Package 2>/dev/null)" "linux-image-$(cat "$W/obj/include/config/kernel.release")" \
	"the image package is named after the fork's kernel release"
case $(dpkg-deb -f "$image" Version 2>/dev/null) in
"$version+pmdsafe$n."*) ok "its version is the base version + pmdsafe$n (the series)" ;;
*) bad "version $(dpkg-deb -f "$image" Version 2>/dev/null) is not $version+pmdsafe$n.*" ;;
esac
finish
