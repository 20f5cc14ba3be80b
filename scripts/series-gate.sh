#!/bin/bash
# Checks every commit of the series on its own, so the series is bisectable:
# the tree at that commit builds with the project config, the commit's
# patch is checkpatch --strict clean, and the fork's mm Coccinelle rules
# report nothing on the C files it touches. One JSON file holds the results.
# Usage: series-gate.sh WORK PATCHES_DIR BASE FRAGMENT...
. "$(dirname "$0")/lib.sh"
stage series-gate

work=$(realpath "$1") patches=$(realpath "$2") base=$3
shift 3
tree=$work/linux
gate=$work/gate
results=$work/series-gate.json
tag=$(fork_tag "$work")
read_series "$patches" "$base"
mapfile -t commits < <(git -C "$tree" rev-list --reverse "$tag..HEAD")
[ "${#commits[@]}" = "${#SERIES_FILES[@]}" ] ||
	die "the fork tree has ${#commits[@]} commits on $tag but the series has ${#SERIES_FILES[@]} patches (run make fork / make export)"

# The gate tree sits at the same depth as the fork tree (gate/linux,
# gate/obj), so ccache's base-relative paths match and the per-commit
# builds are cache hits except for what the commit changed.
if [ ! -d "$gate/linux" ]; then
	git -C "$tree" worktree prune
	mkdir -p "$gate"
	git -C "$tree" worktree add -q --detach "$gate/linux" "$tag"
fi
mkdir -p "$gate/logs"
# The rules of the whole series judge every commit (early commits have none).
rules=("$tree"/scripts/coccinelle/mm/*.cocci)
unset PMDSAFE_TIMES

rows=$gate/rows.tsv
: >"$rows"
failed=0
for i in "${!commits[@]}"; do
	c=${commits[$i]} patch=${SERIES_FILES[$i]}
	subject=$(git -C "$tree" log -1 --format=%s "$c")
	note "[$((i + 1))/${#commits[@]}] $subject"
	git -C "$gate/linux" checkout -q --detach "$c"
	git -C "$gate/linux" clean -qfdx

	t0=$(date +%s)
	# A commit that touches only files kbuild never reads (docs, selftests,
	# Coccinelle rules) cannot change the build: its parent's result holds.
	if [ "$i" -gt 0 ] && ! git -C "$gate/linux" diff-tree --no-commit-id --name-only -r "$c" |
		grep -qvE '^(Documentation/|tools/testing/|scripts/coccinelle/)'; then
		build=$prev_build
		echo "    build skipped: only docs, selftests or Coccinelle rules changed"
	elif "$PMDSAFE_ROOT/scripts/build.sh" "$gate" "$@" >"$gate/logs/build-$((i + 1)).log" 2>&1; then
		build=ok
	else
		build=fail
		tail -n 15 "$gate/logs/build-$((i + 1)).log" | sed 's/^/    /'
	fi
	build_s=$(($(date +%s) - t0))
	prev_build=$build

	if cp_out=$(checkpatch_patch "$tree" "$patch" "$(checkpatch_ignores "$patches/checkpatch.ignore" "$patch")"); then
		checkpatch=ok
	else
		checkpatch=fail
		echo "$cp_out" | sed 's/^/    /'
	fi

	mapfile -t files < <(git -C "$gate/linux" diff-tree --no-commit-id --name-only --diff-filter=d -r "$c" |
		grep -E '\.[ch]$' || true)
	cocci=0
	if [ "${#files[@]}" -gt 0 ]; then
		for rule in "${rules[@]}"; do
			out=$(cd "$gate/linux" && spatch --very-quiet -D report --no-includes --include-headers \
				--sp-file "$rule" "${files[@]}" 2>"$gate/logs/spatch.err") ||
				die "spatch failed with $(basename "$rule") on commit $((i + 1)) (log $gate/logs/spatch.err)"
			n=$(grep -cE '^[^ ]+:[0-9]+:[0-9]+-[0-9]+: ' <<<"$out" || true)
			[ "$n" = 0 ] || echo "$out" | sed 's/^/    /'
			cocci=$((cocci + n))
		done
	fi

	verdict=fail
	if [ "$build" = ok ] && [ "$checkpatch" = ok ] && [ "$cocci" = 0 ]; then
		verdict=ok
	else
		failed=$((failed + 1))
	fi
	echo "    build $build (${build_s}s), checkpatch $checkpatch, coccinelle $cocci report(s) on ${#files[@]} C file(s): $verdict"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$((i + 1))" "$c" "$(basename "$patch")" \
		"$build" "$build_s" "$checkpatch" "$cocci" "${#files[@]}" "$verdict" >>"$rows"
done

/usr/bin/python3 - "$rows" "$results" "$base" "$tag" <<'EOF'
import json, sys
rows, out, base, tag = sys.argv[1:]
keys = ("n", "commit", "patch", "build", "build_seconds", "checkpatch",
        "coccinelle_reports", "c_files", "verdict")
commits = []
for line in open(rows):
    d = dict(zip(keys, line.rstrip("\n").split("\t")))
    for k in ("n", "build_seconds", "coccinelle_reports", "c_files"):
        d[k] = int(d[k])
    commits.append(d)
json.dump({"base": base, "base_tag": tag, "commits": commits,
           "passed": sum(c["verdict"] == "ok" for c in commits),
           "failed": sum(c["verdict"] != "ok" for c in commits)},
          open(out, "w"), indent=1)
EOF
[ "$failed" = 0 ] || die "$failed of ${#commits[@]} commits fail the gate (results: $results)"
note "all ${#commits[@]} commits build, are checkpatch clean and have no Coccinelle reports (results: $results)"
