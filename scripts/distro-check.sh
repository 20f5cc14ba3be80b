#!/bin/bash
# Applies the series to each Debian base with patch(1), the way a distro
# maintainer would, and reports per patch: applies cleanly / with offset /
# with fuzz / needs a backport (and whether the project keeps one: a
# per-base variant patches/BASE/NAME), or is left out of that base's series
# on purpose (patches/BASE/series says why). Fails if a patch of a base's
# series does not apply, or a patch of the main series neither applies nor
# is handled for that base. Results: work/distro-check.tsv.
# Usage: distro-check.sh PATCHES_DIR BASE...   (each base's fork tree must exist)
. "$(dirname "$0")/lib.sh"
stage distro-check

patches=$(realpath "$1")
shift
out=${DISTRO_CHECK_OUT:-$PMDSAFE_ROOT/work/distro-check.tsv}
printf 'base\tpatch\tresult\tdetail\n' >"$out"
failed=0

# try_patch TREE FILE: how FILE applies to TREE (dry run): clean, offset,
# fuzz or fails.
try_patch() {
	local msg
	if ! msg=$(patch -d "$1" -p1 --dry-run -f -F2 <"$2" 2>&1); then
		echo fails
	elif grep -q 'with fuzz' <<<"$msg"; then
		echo fuzz
	elif grep -q 'offset' <<<"$msg"; then
		echo offset
	else
		echo clean
	fi
}

row() {	# BASE PATCH RESULT DETAIL
	printf '  %-12s %-62s %-22s %s\n' "$1" "$2" "$3" "$4"
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$out"
}

read_series "$patches" ""	# the main series
main_series=("${SERIES_FILES[@]}")

for base in "$@"; do
	work=$PMDSAFE_ROOT/work/$base
	tag=$(fork_tag "$work")
	tree=$work/distro-tree
	if [ -d "$tree" ]; then
		git -C "$tree" checkout -q --detach "$tag" && git -C "$tree" reset -q --hard && git -C "$tree" clean -qfdx
	else
		git -C "$work/linux" worktree prune
		git -C "$work/linux" worktree add -q --detach "$tree" "$tag"
	fi
	note "$base: $tag"
	read_series "$patches" "$base"
	declare -A in_base=()
	for f in "${SERIES_FILES[@]}"; do
		in_base[$(basename "$f")]=1
		name=$(basename "$f")
		if [ "$f" = "$patches/$name" ]; then
			result=$(try_patch "$tree" "$f")
			detail=
		elif [ -f "$patches/$name" ]; then
			# A variant: say why the main patch is not used as it is.
			result="backport kept"
			detail="main patch: $(try_patch "$tree" "$patches/$name"); variant patches/$base/$name: $(try_patch "$tree" "$f")"
		else
			result="base-only fix"
			detail="patches/$base/$name: $(try_patch "$tree" "$f")"
		fi
		if [[ "$result $detail" == *fails* && $result != "backport kept" ]] ||
			[[ $detail == *"variant"*": fails" ]]; then
			failed=$((failed + 1))
			result="FAILS"
		fi
		row "$base" "$name" "$result" "$detail"
		patch -d "$tree" -p1 -s -f -F2 <"$f" >/dev/null 2>&1 || true
	done
	for f in "${main_series[@]}"; do
		name=$(basename "$f")
		[ -z "${in_base[$name]:-}" ] || continue
		row "$base" "$name" "not in this base" "left out by patches/$base/series (its comments say why); on top of the base series it $(try_patch "$tree" "$f" | sed 's/^clean$/applies/; s/^fails$/does not apply/; s/^offset$/applies with offset/; s/^fuzz$/applies with fuzz/')"
	done
	unset in_base
done
[ "$failed" = 0 ] || die "$failed patch(es) do not apply (table: $out)"
note "every patch is delivered or deliberately left out on: $* (table: $out)"
