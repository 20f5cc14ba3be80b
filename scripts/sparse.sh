#!/bin/bash
# Sparse ratchet: sparse (C=2) over mm/, fs/proc/, fs/dax.c, arch/x86/mm/ and
# every kernel C file the series touches, once on the base and once on the
# fork, with the same config. Fails if the fork has a warning the base does
# not. Warnings are compared as "file: message" with line and column
# stripped (a multiset), so code the series merely moves does not count.
# Usage: sparse.sh WORK
. "$(dirname "$0")/lib.sh"
stage sparse

work=$1
tree=$work/linux
tag=$(fork_tag "$work")
out=$work/sparse
[ -f "$work/obj/.config" ] || die "$work/obj/.config missing (run 'make build' first)"
command -v sparse >/dev/null || die "sparse is not installed (make deps)"
mkdir -p "$out"

# The base side lives at the same depth as the fork (sparse-base/linux,
# sparse-base/obj), so ccache's base-relative paths hit for unchanged files.
bwork=$work/sparse-base
if [ "$(git -C "$bwork/linux" rev-parse HEAD 2>/dev/null)" != "$(git -C "$tree" rev-parse "$tag^{commit}")" ]; then
	rm -rf "$bwork/linux"
	git -C "$tree" worktree prune
	mkdir -p "$bwork"
	git -C "$tree" worktree add -q --detach "$bwork/linux" "$tag"
fi
mkdir -p "$bwork/obj"
cp "$work/obj/.config" "$bwork/obj/.config"

targets=(mm/ fs/proc/ fs/dax.o arch/x86/mm/)
while IFS= read -r f; do
	case $f in
	mm/* | fs/proc/* | arch/x86/mm/* | tools/* | scripts/* | samples/* | Documentation/*) ;;
	*.c) targets+=("${f%.c}.o") ;;
	esac
done < <(git -C "$tree" diff --name-only --diff-filter=d "$tag" HEAD)

# sparse's diagnostics go to their own log through this wrapper, apart from
# the compiler's.
wrapper=$out/sparse-wrapper
cat >"$wrapper" <<'EOF'
#!/bin/sh
exec sparse "$@" 2>>"$SPARSE_LOG"
EOF
chmod +x "$wrapper"

run_sparse() {	# NAME WORK
	local log=$out/$1.log
	: >"$log"
	SPARSE_LOG=$log CCACHE_DIR=${CCACHE_DIR:-/var/cache/pmdsafe/ccache} CCACHE_BASEDIR=$2 CCACHE_NOHASHDIR=1 \
		make -C "$2/linux" O="$2/obj" CC="ccache gcc" HOSTCC="ccache gcc" LOCALVERSION= \
		-j"${JOBS:-$(($(nproc) + 1))}" -s olddefconfig >"$out/$1.make.log" 2>&1 &&
		SPARSE_LOG=$log CCACHE_DIR=${CCACHE_DIR:-/var/cache/pmdsafe/ccache} CCACHE_BASEDIR=$2 CCACHE_NOHASHDIR=1 \
			make -C "$2/linux" O="$2/obj" CC="ccache gcc" HOSTCC="ccache gcc" LOCALVERSION= \
			-j"${JOBS:-$(($(nproc) + 1))}" C=2 CHECK="$wrapper" "${targets[@]}" >>"$out/$1.make.log" 2>&1 ||
		{ tail -n 20 "$out/$1.make.log" >&2; die "building $1 for sparse failed (log $out/$1.make.log)"; }
	# One diagnostic per "file:line:col: kind: message" line, with the
	# indented continuation lines (expected/got types) joined to it.
	awk '
		/^[^ \t][^:]*:[0-9]+:[0-9]+: (warning|error): / {
			if (cur != "") print cur
			sub(/:[0-9]+:[0-9]+: /, ": ")
			cur = $0
			next
		}
		/^[ \t]/ && cur != "" { gsub(/^[ \t]+/, " "); cur = cur $0; next }
		END { if (cur != "") print cur }
	' "$log" | sed "s#^$2/linux/##" | sort >"$out/$1.warnings"
}

note "sparse on ${#targets[@]} targets: ${targets[*]}"
run_sparse base "$bwork"
run_sparse fork "$work"
nb=$(wc -l <"$out/base.warnings") nf=$(wc -l <"$out/fork.warnings")
[ "$nb" -gt 0 ] || die "sparse printed nothing on the base: it did not run (log $out/base.log)"
comm -13 "$out/base.warnings" "$out/fork.warnings" >"$out/new.warnings"
new=$(wc -l <"$out/new.warnings")
note "sparse warnings: base $nb, fork $nf, new in the fork $new (lists in $out/)"
if [ "$new" -gt 0 ]; then
	sed 's/^/  /' "$out/new.warnings"
	die "the fork adds $new sparse warning(s)"
fi
