#!/bin/bash
# The delivery formats of the real series, round trip on the real base:
# export-mbox -> b4 am -> git am on the base tag gives the fork's commits;
# export-quilt -> quilt push -a on the base gives the fork's tree; import
# of the test series on top of the fork keeps patches/ and adds two.
# The targets are sparse clones (only the directories the patches touch),
# sharing the fork tree's objects: seconds, not a 1.7 GB checkout.
. "$(dirname "$0")/lib.sh"

B=${BASE:-debian-6.12}
W=$ROOT/work/$B
F=$W/linux
[ -d "$F/.git" ] || { bad "no fork tree in $W (run make fork first)"; finish; exit 1; }
TAG=$(sed -n 's/^BASE_TAG=//p' "$W/base.resolved")
head=$(git -C "$F" rev-parse HEAD)
n=$(git -C "$F" rev-list --count "$TAG..HEAD")

# sparse_clone DIR REV: the fork's history, checked out at REV, with only
# the directories the series and the import fixture touch.
sparse_clone() {
	git clone -q --shared --no-checkout "$F" "$1"
	# shellcheck disable=SC2046 # one directory per word
	git -C "$1" sparse-checkout set --cone Documentation/mm \
		$(git -C "$F" diff --name-only "$TAG" HEAD | sed -n 's|/[^/]*$||p' | sort -u)
	git -C "$1" checkout -q --detach "$2"
}
id() { git -C "$1" -c user.name=pmdsafe -c user.email=pmdsafe@localhost "${@:2}"; }

# mbox: b4 am, then git am on the base tag: the same commits, ids included.
run "$S/export-mbox.sh" "$W" "$T/s.mbox" "$ROOT/patches/cover-letter.txt"
expect_rc 0 "export-mbox of the real series ($n patches)"
expect_out "b4 am gives them back unchanged" "b4 gives every patch back unchanged"
mkdir "$T/b4"
run bash -c "cd '$T' && b4 --offline-mode -n am -m '$T/s.mbox' -o '$T/b4'"
expect_out "Total patches: $n" "b4 --offline-mode am -m FILE: $n patches"
sparse_clone "$T/am" "$TAG"
run id "$T/am" am --committer-date-is-author-date "$T"/b4/*.mbx
expect_rc 0 "git am of b4's mbox on $TAG"
expect_eq "$(git -C "$T/am" rev-parse HEAD)" "$head" "the rebuilt commits are the fork's (same ids: trees, authors, messages)"

# quilt: push -a on the base gives the fork's tree.
run "$S/export-quilt.sh" "$W" "$T/quilt"
expect_rc 0 "export-quilt of the real series"
sparse_clone "$T/q" "$TAG"
run bash -c "cd '$T/q' && QUILT_PATCHES='$T/quilt' quilt push -a -q"
expect_rc 0 "quilt push -a on the base"
git -C "$T/q" add -A -f -- . ':!.pc'
expect_eq "$(git -C "$T/q" write-tree)" "$(git -C "$F" rev-parse 'HEAD^{tree}')" "the pushed tree is the fork's HEAD tree"

# import: the test series on top of the fork, into a copy of patches/.
mkdir "$T/w"
cp "$W/base.resolved" "$T/w/"
sparse_clone "$T/w/linux" "$head"
cp -r "$ROOT/patches" "$T/patches"
run "$S/import.sh" "$T/w" "$T/patches" "$ROOT/tests/import/series.mbox" "$B"
expect_rc 0 "import of tests/import/series.mbox on the real fork"
expect_eq "$(git -C "$T/w/linux" rev-list --count "$head..HEAD")" 2 "2 commits on top of the fork"
same=1
while read -r p; do cmp -s "$ROOT/patches/$p" "$T/patches/$p" || same=0; done <"$ROOT/patches/series"
[ "$same" = 1 ] && ok "the series' own patches are unchanged" || bad "import changed the series' own patches"
expect_eq "$(tail -n 2 "$T/patches/series" | cut -c1-4)" "$(printf '%04d\n' $((n + 1)) $((n + 2)))" \
	"the 2 new patches are appended to the series"
run "$S/series-check.sh" "$T/w" "$T/patches"
expect_rc 0 "series-check of the imported series"
finish
