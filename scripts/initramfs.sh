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
mkdir -p "$out/bin" "$out/deps"
CFLAGS=(-static -O2 -g0 -Wall -Wextra -Werror -pthread)

# cc OUT SRC [FLAGS...]: compile, unless OUT was built by the same command
# (source path and flags, kept next to its dependencies) and is newer than
# every file gcc -MMD recorded it was built from. Static linking is most of
# this stage's time, and the edit loop rarely changes a guest program.
fresh() {	# BIN DEPFILE CMDFILE CMD
	local dep
	[ -f "$1" ] && [ -f "$2" ] && [ "$(cat "$3" 2>/dev/null)" = "$4" ] || return 1
	# "target: dep dep \<newline> dep ..."
	for dep in $(sed -e 's/^[^:]*://' -e 's/\\$//' "$2"); do
		[ -e "$dep" ] && [ ! "$dep" -nt "$1" ] || return 1
	done
}
cc() {
	local bin=$1 src=$2 dfile cmd
	dfile=$out/deps/$(basename "$1").d
	shift 2
	cmd="gcc $* $src"
	! fresh "$bin" "$dfile" "$dfile.cmd" "$cmd" || return 0
	rm -f "$bin" "$dfile" "$dfile.cmd"
	gcc "$@" -MMD -MF "$dfile" -o "$bin" "$src"
	echo "$cmd" >"$dfile.cmd"
}

cc "$out/gen_init_cpio" "$tree/usr/gen_init_cpio.c" -O2
cc "$out/init" "$guest/init.c" "${CFLAGS[@]}"
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
# Tests, and the benchmarks of `make bench`.
for src in "$guest"/tests/*.c "$guest"/bench/*.c; do
	name=$(basename "$src" .c)
	cc "$out/bin/$name" "$src" "${CFLAGS[@]}"
	echo "file /bin/$name $out/bin/$name 0755 0 0" >>"$list"
done
# The fork's own selftests (kselftest harness), built from the fork tree.
# An entry may name the bases it exists on (the series of other bases
# lacks it); the base plans' check below still catches a missing program.
base=$(sed -n 's/^BASE_NAME=//p' "$work/base.resolved" 2>/dev/null || true)
base=${base:-$(basename "$work")}
declare -A other_base=()
while read -r rel bases; do
	case $rel in '' | '#'*) continue ;; esac
	bases=${bases%%#*}
	if [ -n "${bases// /}" ] && ! [[ " $bases " == *" $base "* ]]; then
		other_base[/bin/$(basename "$rel" .c)]=$bases
		continue
	fi
	# Before 6.3 the mm selftests lived in selftests/vm/.
	[ -f "$tree/$rel" ] || rel=${rel/selftests\/mm\//selftests/vm/}
	[ -f "$tree/$rel" ] || die "guest/selftests.list: $rel is not in the fork tree"
	name=$(basename "$rel" .c)
	cc "$out/bin/$name" "$tree/$rel" "${CFLAGS[@]}" -I"$tree/$(dirname "$rel")" \
		-I"$tree/tools/testing/selftests"
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
# Host tools the guest tests run (the fsdax test formats its pmem device):
# dynamic Debian binaries, copied with every shared library ldd names and
# the dynamic loader, each at the path the binary asks for. The loader
# finds the libraries in its built-in /lib/x86_64-linux-gnu (no ld.so.cache).
HOST_TOOLS=(/sbin/mke2fs /sbin/mkfs.xfs)
declare -A have_dir=([/]=1 [/dev]=1 [/proc]=1 [/sys]=1 [/tmp]=1 [/mnt]=1 [/bin]=1
	[/etc]=1 [/etc/pmdsafe]=1 [/etc/pmdsafe/plans]=1) have_file=()
add_dirs() {	# DIR: declare DIR and its parents, outermost first
	[ -n "${have_dir[$1]:-}" ] && return
	add_dirs "$(dirname "$1")"
	echo "dir $1 0755 0 0" >>"$list"
	have_dir[$1]=1
}
add_host_file() {	# GUEST_PATH HOST_PATH MODE
	[ -n "${have_file[$1]:-}" ] && return
	local src
	src=$(readlink -f "$2") || die "host file $2 missing"
	[ -f "$src" ] || die "host file $2 missing (scripts/deps.sh installs it)"
	add_dirs "$(dirname "$1")"
	echo "file $1 $src $3 0 0" >>"$list"
	have_file[$1]=1
}
for tool in "${HOST_TOOLS[@]}"; do
	[ -x "$tool" ] || die "host tool $tool missing (scripts/deps.sh installs it)"
	add_host_file "$tool" "$tool" 0755
	libs=$(ldd "$tool") || die "ldd $tool failed (is it a dynamic ELF binary?)"
	while read -r lib; do
		add_host_file "$lib" "$lib" 0755
	done < <(awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' <<<"$libs")
done
# Planned programs must exist: a typo in a plan is a tooling error, not a
# guest failure to discover after a boot. A selftest of other bases only
# may be missing, but not from this base's own plans (NAME-BASE.plan).
for plan in "${plans[@]}"; do
	while read -r name timeout prog _; do
		case $name in '' | '#'*) continue ;; esac
		[ -n "${other_base[$prog]:-}" ] && [[ $plan != *-"$base".plan ]] && continue
		grep -q "^file $prog " "$list" ||
			die "$plan: test $name runs $prog, which the initramfs does not have"
		[[ $timeout =~ ^[0-9]+$ ]] || die "$plan: test $name: bad timeout '$timeout'"
	done <"$plan"
done
"$out/gen_init_cpio" -t 0 "$list" >"$cpio"
note "initramfs: $(grep -c '^file /bin/' "$list") guest programs, ${#HOST_TOOLS[@]} host tools ($(grep -c '^file /lib' "$list") libraries), ${#plans[@]} plans, $(du -h "$cpio" | cut -f1)${extra_name:+ ($cpio)}"
