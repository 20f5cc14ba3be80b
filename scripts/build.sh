#!/bin/bash
# Configure (tinyconfig + configs/*.config fragments) and build bzImage out
# of tree with ccache. Fails, naming them, if any fragment option did not
# survive into the final .config.
# Usage: build.sh WORK FRAGMENT...
. "$(dirname "$0")/lib.sh"
stage build

work=$1
shift
tree=$work/linux obj=$work/obj
mkdir -p "$obj" "$work/logs"
log=$work/logs/build.log

export CCACHE_DIR=${CCACHE_DIR:-/var/cache/pmdsafe/ccache}
# Paths under $work are hashed relative to it: a fresh clone elsewhere
# still hits the cache.
export CCACHE_BASEDIR=$work CCACHE_NOHASHDIR=1 CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
export KBUILD_BUILD_USER=pmdsafe KBUILD_BUILD_HOST=pmdsafe
KBUILD_BUILD_TIMESTAMP=$(git -C "$tree" log -1 --format=%cD)
export KBUILD_BUILD_TIMESTAMP
mkdir -p "$CCACHE_DIR"
jobs=${JOBS:-$(($(nproc) + 1))}
kmake() { kbuild "$work" "$tree" "$obj" "$@"; }

# The .config is made afresh (tinyconfig + fragments + olddefconfig) unless
# nothing it is made from changed since the last time: the fragments (names
# and contents), the compiler and linker (Kconfig probes them), this script
# (key in $stamp) and the tree's Kconfig files, config snippets, kconfig
# scripts and top Makefile (no file newer than $stamp). Making it costs
# 7-8 s of CPU, the largest part of an edit loop's build.
cfg=$obj/.config stamp=$obj/.pmdsafe-config-key
key=$({
	for frag in "$@"; do
		echo "$frag"
		cat "$frag"
	done
	gcc --version | head -n 1
	ld --version | head -n 1
	cat "$0"
} | sha256sum | cut -d' ' -f1)
config_fresh() {
	[ -f "$cfg" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$key" ] && [ ! "$cfg" -nt "$stamp" ] &&
		[ -z "$(cd "$tree" && find . -name .git -prune -o \( -name 'Kconfig*' -o -path '*/configs/*.config' \
			-o -path './scripts/kconfig/*' -o -path ./Makefile \) -newer "$stamp" -print -quit)" ]
}
if config_fresh; then
	note "config inputs unchanged: $cfg kept"
	: >"$log"
else
	rm -f "$stamp"
	# When the new .config equals the previous one, the old file (and
	# its mtime) is put back, so an unchanged config rebuilds nothing.
	[ ! -f "$cfg" ] || cp -p "$cfg" "$cfg.pmdsafe-prev"
	{
		kmake -s tinyconfig &&
			(cd "$obj" && "$tree/scripts/kconfig/merge_config.sh" -m -O . .config "$@") &&
			kmake -s olddefconfig
	} >"$log" 2>&1 || { tail -n 20 "$log"; die "configuring the kernel failed (log: $log)"; }

	missing=()
	for frag in "$@"; do
		while IFS= read -r line; do
			if [[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)=(.*)$ ]]; then
				grep -qxF "$line" "$cfg" ||
					missing+=("$line (got: $(grep -E "^(# )?${BASH_REMATCH[1]}[= ]" "$cfg" || echo unset), from $(basename "$frag"))")
			elif [[ $line =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
				! grep -qE "^${BASH_REMATCH[1]}=" "$cfg" ||
					missing+=("$line (got: $(grep -E "^${BASH_REMATCH[1]}=" "$cfg"), from $(basename "$frag"))")
			fi
		done <"$frag"
	done
	if [ ${#missing[@]} -gt 0 ]; then
		printf '  %s\n' "${missing[@]}" >&2
		die "${#missing[@]} config fragment option(s) missing from the final .config (unmet dependencies?)"
	fi
	if cmp -s "$cfg" "$cfg.pmdsafe-prev"; then
		mv "$cfg.pmdsafe-prev" "$cfg"
	else
		rm -f "$cfg.pmdsafe-prev"
	fi
	# Written last: a .config newer than the key was edited by hand since.
	echo "$key" >"$stamp"
fi

note "building bzImage (-j$jobs, log $log)"
ccache -z >/dev/null
if ! kmake -j"$jobs" bzImage >>"$log" 2>&1; then
	grep -E 'error|Error' "$log" | head -n 20 >&2 || true
	tail -n 20 "$log" >&2
	die "kernel build failed (log: $log)"
fi
grep -E '^[^ ]+:[0-9]+:[0-9]+: warning:' "$log" | sort -u | head -n 20 || true
ccache -s | grep -E 'Hits|Misses' | tr -s ' ' | paste -sd' ' | sed 's/^/pmdsafe: ccache: /' || true
note "$(cat "$obj/include/config/kernel.release") -> $obj/arch/x86/boot/bzImage"
