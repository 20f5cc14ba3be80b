#!/bin/bash
# Build the guest programs static and pack them, with the test plans, into
# an initramfs (newc cpio made by the kernel's own gen_init_cpio, so no
# root privileges or device nodes on the host are needed).
# Usage: initramfs.sh WORK   (env: INITRAMFS_EXTRA=NAME:LIST)
# A plan with a "#@extra NAME" line runs programs of a separate archive
# (e.g. the mm selftests of `make selftests-mm`): it is packed, and its
# programs checked, only into the initramfs made with INITRAMFS_EXTRA=
# NAME:LIST (LIST: gen_init_cpio lines of that archive), which is written
# to WORK/initramfs-NAME.cpio instead of WORK/initramfs.cpio.
. "$(dirname "$0")/lib.sh"
stage initramfs

work=$1
extra_name='' extra_list=''
if [ -n "${INITRAMFS_EXTRA:-}" ]; then
	extra_name=${INITRAMFS_EXTRA%%:*} extra_list=${INITRAMFS_EXTRA#*:}
	[ -f "$extra_list" ] || die "INITRAMFS_EXTRA: no list file '$extra_list'"
fi
cpio=$work/initramfs${extra_name:+-$extra_name}.cpio
tree=$work/linux
out=$work/initramfs
guest=$PMDSAFE_ROOT/guest
rm -rf "$out"
mkdir -p "$out/bin"
CFLAGS=(-static -O2 -g0 -Wall -Wextra -Werror -pthread)

gcc -O2 -o "$out/gen_init_cpio" "$tree/usr/gen_init_cpio.c"
gcc "${CFLAGS[@]}" -o "$out/init" "$guest/init.c"
list=$out/list
{
	echo "dir /dev 0755 0 0"
	echo "nod /dev/console 0600 0 0 c 5 1"
	echo "dir /proc 0755 0 0"
	echo "dir /sys 0755 0 0"
	echo "dir /tmp 1777 0 0"
	echo "dir /mnt 0755 0 0"
	echo "dir /bin 0755 0 0"
	echo "dir /etc 0755 0 0"
	echo "dir /etc/pmdsafe 0755 0 0"
	echo "dir /etc/pmdsafe/plans 0755 0 0"
	echo "file /init $out/init 0755 0 0"
} >"$list"
for src in "$guest"/tests/*.c; do
	name=$(basename "$src" .c)
	gcc "${CFLAGS[@]}" -o "$out/bin/$name" "$src"
	echo "file /bin/$name $out/bin/$name 0755 0 0" >>"$list"
done
# The fork's own selftests (kselftest harness), built from the fork tree.
while read -r rel _; do
	case $rel in '' | '#'*) continue ;; esac
	# Before 6.3 the mm selftests lived in selftests/vm/.
	[ -f "$tree/$rel" ] || rel=${rel/selftests\/mm\//selftests/vm/}
	[ -f "$tree/$rel" ] || die "guest/selftests.list: $rel is not in the fork tree"
	name=$(basename "$rel" .c)
	gcc "${CFLAGS[@]}" -I"$tree/$(dirname "$rel")" -I"$tree/tools/testing/selftests" \
		-o "$out/bin/$name" "$tree/$rel"
	echo "file /bin/$name $out/bin/$name 0755 0 0" >>"$list"
done <"$guest/selftests.list"
[ -z "$extra_list" ] || cat "$extra_list" >>"$list"
plans=()
for plan in "$guest"/plans/*.plan; do
	need=$(sed -n 's/^#@extra //p' "$plan")
	[ -z "$need" ] || [ "$need" = "$extra_name" ] || continue
	plans+=("$plan")
	echo "file /etc/pmdsafe/plans/$(basename "$plan") $plan 0644 0 0" >>"$list"
done
# Planned programs must exist: a typo in a plan is a tooling error, not a
# guest failure to discover after a boot.
for plan in "${plans[@]}"; do
	while read -r name timeout prog _; do
		case $name in '' | '#'*) continue ;; esac
		grep -q "^file $prog " "$list" ||
			die "$plan: test $name runs $prog, which the initramfs does not have"
		[[ $timeout =~ ^[0-9]+$ ]] || die "$plan: test $name: bad timeout '$timeout'"
	done <"$plan"
done
"$out/gen_init_cpio" -t 0 "$list" >"$cpio"
note "initramfs: $(grep -c '^file /bin/' "$list") guest programs, ${#plans[@]} plans, $(du -h "$cpio" | cut -f1)${extra_name:+ ($cpio)}"
