#!/bin/bash
# Boot the built kernel in QEMU (2 vCPUs, 2 NUMA nodes, serial console)
# with the project's initramfs and run one test plan, under a wall-clock
# limit. Fails only for tooling errors: what happened in the guest (hang,
# panic, splat, failed test) is judged by verdict.sh from the log.
# Usage: boot.sh WORK PLAN   (env: BOOT_TIMEOUT, BOOT_APPEND, MEM_PER_NODE, V,
#                             ACCEL: kvm, tcg or icount (see qemu_cmd),
#                             INITRD: another initramfs than WORK/initramfs.cpio)
. "$(dirname "$0")/lib.sh"
stage boot

work=$1 plan=$2
kernel=$work/obj/arch/x86/boot/bzImage
initrd=${INITRD:-$work/initramfs.cpio}
timeout=${BOOT_TIMEOUT:-600}
planfile=$PMDSAFE_ROOT/guest/plans/$plan.plan
[ -f "$kernel" ] || die "$kernel missing (run 'make build')"
[ -f "$initrd" ] || die "$initrd missing (run 'make initramfs')"
[ -f "$planfile" ] || die "no plan guest/plans/$plan.plan"
mkdir -p "$work/logs"

directive() { sed -n "s/^#@$1 //p" "$planfile" | tail -n 1; }	# NAME

# Memory per node: MEM_PER_NODE, else the plan's "#@mem NG", else 1G.
mem=${MEM_PER_NODE:-$(directive mem)}
mem=${mem:-1G}
[[ $mem =~ ^[1-8]G$ ]] || die "memory per node '$mem': want 1G-8G"
# The CPU model under TCG: QEMU's default (qemu64), or the plan's "#@cpu
# MODEL[,+feature...]" when its tests need more (pdpe1gb: 1 GiB pages).
# Under KVM the host CPU has them all.
tcg_cpu=$(directive cpu)

# vCPUs: 2 (one per node), or what the plan asks for ("#@smp N", N > 2:
# node 0 gets CPU 0, node 1 the others).
smp=$(directive smp)
smp=${smp:-2}
[[ $smp =~ ^[2-8]$ ]] || die "guest/plans/$plan.plan: bad #@smp '$smp' (2-8)"
cpus1=1
[ "$smp" = 2 ] || cpus1=1-$((smp - 1))

# icount is TCG with a virtual clock that advances 1 ns per guest
# instruction (QEMU's -icount shift=0; sleep=off skips idle time): what
# the guest times is a count of instructions, the same on every boot and
# blind to what each one costs.
qemu_cmd() {	# ACCEL PLAN
	local qaccel=(-accel "$1") cpu=()
	if [ "$1" = kvm ]; then
		cpu=(-cpu host)
	elif [ -n "$tcg_cpu" ]; then
		cpu=(-cpu "$tcg_cpu")
	fi
	[ "$1" != icount ] || qaccel=(-accel tcg -icount "shift=0,sleep=off")
	echo qemu-system-x86_64 -machine pc "${qaccel[@]}" "${cpu[@]}" -smp "$smp,sockets=$smp,cores=1,threads=1" -m "$((2 * ${mem%G}))G" \
		-object memory-backend-ram,id=m0,size="$mem" -numa node,nodeid=0,cpus=0,memdev=m0 \
		-object memory-backend-ram,id=m1,size="$mem" -numa node,nodeid=1,cpus="$cpus1",memdev=m1 \
		-kernel "$kernel" -initrd "$initrd" \
		-append "'console=ttyS0 pmdsafe.plan=$2 ${BOOT_APPEND:-}'" \
		-display none -monitor none -serial stdio -no-reboot
}

# /dev/kvm here may be a nested-virtualization device that aborts or hangs
# real guests: trust KVM only after it booted the probe plan, once per work
# dir; anything else means TCG.
accel=${ACCEL:-}
if [ -z "$accel" ] && [ -f "$work/accel" ]; then
	accel=$(cat "$work/accel")
fi
if [ -z "$accel" ]; then
	accel=tcg
	if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
		note "probing KVM (20s limit)"
		if timeout -k 2 20 bash -c "$(qemu_cmd kvm probe)" </dev/null 2>&1 |
			grep -q '^pmdsafe: poweroff'; then
			accel=kvm
		else
			note "KVM did not boot the probe guest; using TCG"
		fi
	fi
	echo "$accel" >"$work/accel"
fi
case $accel in kvm | tcg | icount) ;; *) die "ACCEL=$accel: want kvm, tcg or icount" ;; esac
note "accelerator: $accel"

log=$work/logs/$plan-$(date -u +%Y%m%dT%H%M%SZ).log
ln -sfn "$(basename "$log")" "$work/logs/$plan.log"
# Keep the ten newest logs of each plan.
find "$work/logs" -name "$plan-*.log" -printf '%T@ %p\n' | sort -rn | tail -n +11 |
	cut -d' ' -f2- | xargs -r rm -f

# A plan names the kernel parameters its tests need ("#@append ..." lines).
plan_append=$(sed -n 's/^#@append //p' "$planfile" | paste -sd' ')
BOOT_APPEND="$plan_append ${BOOT_APPEND:-}"
note "booting plan '$plan' (limit ${timeout}s, log $log)"
set +e
timeout -k 5 "$timeout" bash -c "exec $(qemu_cmd "$accel" "$plan")" </dev/null 2>&1 |
	tee "$log" |
	if [ "${V:-0}" = 1 ]; then cat; else grep --line-buffered -E '^(TAP version|1\.\.|(not )?ok [0-9])'; fi
rc=${PIPESTATUS[0]}
set -e
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	echo "timeout ${timeout}s" >"$log.status"
elif [ "$rc" = 0 ]; then
	echo "exited" >"$log.status"
else
	tail -n 20 "$log" >&2
	die "QEMU failed to run (exit $rc; log $log)"
fi
ln -sfn "$(basename "$log").status" "$work/logs/$plan.log.status"
note "guest $(cat "$log.status")"
