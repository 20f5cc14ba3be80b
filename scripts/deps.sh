#!/bin/bash
# Install, with apt, every tool the pipeline needs. Does nothing (not even
# `apt-get update`) when all of them are already installed.
. "$(dirname "$0")/lib.sh"
stage deps

PACKAGES=(
	build-essential bc bison flex libelf-dev libssl-dev	# kernel build
	ccache cpio xz-utils git python3 perl			# pipeline plumbing
	python3-ply python3-git				# checkpatch (spdxcheck.py)
	qemu-system-x86						# boot
	sparse coccinelle shellcheck			# static checkers
	b4 quilt						# patch formats
	e2fsprogs xfsprogs kmod rsync			# guest images (mke2fs, mkfs.xfs in the initramfs), packaging
	debhelper dpkg-dev fakeroot			# make deb (bindeb-pkg)
	liburing-dev libcap-dev libnuma-dev		# make selftests-mm: static libs
	busybox-static					# make selftests-mm: the guest's /bin/sh
)

missing=()
for p in "${PACKAGES[@]}"; do
	[ "$(dpkg-query -W -f '${db:Status-Status}' "$p" 2>/dev/null)" = installed ] ||
		missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	note "all ${#PACKAGES[@]} tool packages present"
	exit 0
fi
note "installing: ${missing[*]}"
[ "$(id -u)" -eq 0 ] || die "need root to install ${missing[*]}"
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
