#!/bin/bash
# Sparse ratchet: sparse (C=2) over mm/, fs/proc/, fs/dax.c, arch/x86/mm/ and
# every kernel C file the series touches, once on the base and once on the
# fork, with the same config. Fails if the fork has a warning the base does
# not. Warnings are compared as "file: message" with line and column
# stripped (a multiset), so code the series merely moves does not count.
# Usage: sparse.sh WORK | sparse.sh --compare BASE_LOG FORK_LOG
. "$(dirname "$0")/lib.sh"
stage sparse

# normalize LOG PREFIX: sparse's diagnostics as sorted "file: kind: message"
# lines, paths relative to PREFIX. Continuation lines ("file:line:col:
# <indented expected/got type>") are joined to their diagnostic. A context
# imbalance names its function and is located at the first unbalanced lock
# operation sparse meets, which may be in an inlined header helper and
# moves when the function's code changes: it is keyed by the function
# ("*: warning: context imbalance in 'f' ...").
normalize() {
	awk '
		/^[^ \t][^:]*:[0-9]+:[0-9]+: (warning|error): / {
			if (cur != "") print cur
			sub(/:[0-9]+:[0-9]+: /, ": ")
			cur = $0
			next
		}
		/^[^ \t][^:]*:[0-9]+:[0-9]+:    / && cur != "" {
			sub(/^[^ \t][^:]*:[0-9]+:[0-9]+: +/, " ")
			cur = cur $0
			next
		}
		END { if (cur != "") print cur }
	' "$1" | sed -e "s#^$2##" -e "s#^[^:]*: warning: context imbalance in #*: warning: context imbalance in #" | sort
}

# compare BASE_WARNINGS FORK_WARNINGS NEW: the fork's warnings that the base
# does not have (a multiset: one more copy of a base warning is new).
compare() {
	local nb nf new
	comm -13 "$1" "$2" >"$3"
	nb=$(wc -l <"$1") nf=$(wc -l <"$2") new=$(wc -l <"$3")
	note "sparse warnings: base $nb, fork $nf, new in the fork $new"
	if [ "$new" -gt 0 ]; then
		sed 's/^/  /' "$3"
		die "the fork adds $new sparse warning(s)"
	fi
}

if [ "${1:-}" = --compare ]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"; stage_end $?' EXIT
	normalize "$2" "" >"$tmp/base"
	normalize "$3" "" >"$tmp/fork"
	compare "$tmp/base" "$tmp/fork" "$tmp/new"
	exit 0
fi

work=$(realpath "$1")
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

# Every C file the series touches outside those directories, if this
# config builds it: kbuild has no rule for an object in a directory the
# config does not enter, so naming one fails the base build (seen with
# fs/fuse/dax.o), and one it does name but leaves out need not compile.
targets=(mm/ fs/proc/ fs/dax.o arch/x86/mm/)
unbuilt=()
while IFS= read -r f; do
	case $f in
	mm/* | fs/proc/* | fs/dax.c | arch/x86/mm/*) ;;
	*) if [ -f "$work/obj/${f%.c}.o" ]; then targets+=("${f%.c}.o"); else unbuilt+=("$f"); fi ;;
	esac
done < <(series_c_files "$tree" "$tag")
[ ${#unbuilt[@]} = 0 ] || note "not built by this config, so not checked: ${unbuilt[*]}"

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
	local kmake=(kbuild "$2" "$2/linux" "$2/obj" -j"${JOBS:-$(($(nproc) + 1))}")
	: >"$log"
	export SPARSE_LOG=$log
	{ "${kmake[@]}" -s olddefconfig && "${kmake[@]}" C=2 CHECK="$wrapper" "${targets[@]}"; } >"$out/$1.make.log" 2>&1 ||
		{ tail -n 20 "$out/$1.make.log" >&2; die "building $1 for sparse failed (log $out/$1.make.log)"; }
	normalize "$log" "$2/linux/" >"$out/$1.warnings"
}

note "sparse on ${#targets[@]} targets: ${targets[*]}"
run_sparse base "$bwork"
run_sparse fork "$work"
[ -s "$out/base.warnings" ] || die "sparse printed nothing on the base: it did not run (log $out/base.log)"
note "lists in $out/"
compare "$out/base.warnings" "$out/fork.warnings" "$out/new.warnings"
