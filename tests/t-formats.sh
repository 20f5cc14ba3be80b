#!/bin/bash
# Delivery formats and patch intake on a tiny fake base: export-mbox (b4
# and git am give the fork's commits back), export-quilt (quilt push -a on
# the unpacked tarball gives the fork's tree), import (a list-archive mbox
# through b4 into the tree and patches/), and the bad input of each.
. "$(dirname "$0")/lib.sh"

fake_base "$T" fake
W=$T/w P=$T/patches TAG=base/fake/1.0-1
F=$W/linux
mkdir -p "$P"
: >"$P/series"
"$S/base.sh" "$T/fake.conf" "$W" >/dev/null
"$S/fork.sh" "$W" "$P" fake >/dev/null
id() { git -C "$1" -c user.name=pmdsafe -c user.email=pmdsafe@localhost "${@:2}"; }

# A series with every kind of change quilt and mail must carry: edit, new
# file, executable file, rename, mode change, deletion, and a subject long
# enough for format-patch to fold.
commit_in "$F" mm/huge_memory.c $'int a;\nint b2;\nint c;' "mm: first change"
printf '#!/bin/sh\necho run\n' >"$F/mm/run.sh"
chmod +x "$F/mm/run.sh"
printf 'doc\n' >"$F/mm/doc.txt"
id "$F" add -f mm/run.sh mm/doc.txt
id "$F" commit -q -s -m "mm: add a script and a document, with a subject long enough to be folded" \
	-m "Upstream-Status: pmdsafe-only (test)"
id "$F" mv mm/doc.txt mm/doc.rst
chmod +x "$F/mm/huge_memory.c"
id "$F" rm -q Makefile
id "$F" add -f -A
id "$F" commit -q -s -m "mm: rename, chmod and delete" -m "Upstream-Status: pmdsafe-only (test)"
SYNC_BASE=fake "$S/export.sh" "$W" "$P" >/dev/null
mapfile -t commits < <(git -C "$F" rev-list --reverse "$TAG..HEAD")

# ---- export-mbox
M=$T/out/pmdsafe.mbox
run "$S/export-mbox.sh" "$W" "$M" "$ROOT/patches/cover-letter.txt"
expect_rc 0 "export-mbox"
expect_out "b4 am gives them back unchanged" "export-mbox checked the mbox with b4"
out=$(cat "$M" 2>/dev/null || true)
expect_out "^Subject: \[PATCH 0/3\] $(head -n 1 "$ROOT/patches/cover-letter.txt")\$" "cover letter [PATCH 0/3] with the project's subject"
expect_out "^pmdsafe \(3\):\$" "cover letter has the shortlog"
expect_out "^ 4 files changed, 4 insertions\\(\\+\\), 2 deletions\\(-\\)$" "cover letter has the diffstat"
expect_out "^base-commit: $(git -C "$F" rev-parse "$TAG^{commit}")\$" "cover letter names the base commit"
expect_out "^  2/3 pmdsafe-only \(test\)\$" "cover letter lists each patch's Upstream-Status"
expect_out "^Subject: \[PATCH 2/3\] mm: add a script and a document, with a subject long enough to be folded\$" \
	"long Subject kept on one line (b4 0.12 crashes on a folded one)"
grep -q 'SUBJECT HERE\|BLURB HERE' <<<"$out" && bad "cover placeholders left" || ok "no cover placeholders left"
expect_eq "$(grep '^From: ' <<<"$out" | sort -u)" "From: pmdsafe <pmdsafe@localhost>" "every mail is from the project identity"
cover_id=$(sed -n '2s/^Message-Id: //p' <<<"$out")
expect_eq "$(grep -c "^In-Reply-To: $cover_id\$" <<<"$out")" 3 "the 3 patches are threaded to the cover letter"
cp "$M" "$T/first.mbox"
run "$S/export-mbox.sh" "$W" "$M" "$ROOT/patches/cover-letter.txt"
cmp -s "$M" "$T/first.mbox" && ok "export-mbox is deterministic (same series, same bytes)" ||
	bad "export-mbox output changed between two runs"

# b4 (file and stdin forms) gives an am-ready mbox; git am of it on the
# base rebuilds the very same commits (tree, author, message, dates).
mkdir -p "$T/b4" "$T/b4s"
run bash -c "cd '$F' && b4 --offline-mode -n am -m '$M' -o '$T/b4'"
expect_rc 0 "b4 --offline-mode am -m FILE accepts the mbox"
expect_out "Total patches: 3" "b4 sees 3 patches"
expect_out "Base: using specified base-commit" "b4 finds the base commit"
run bash -c "b4 --offline-mode -n am -m - -o '$T/b4s' <'$M'"
cmp -s "$T"/b4/*.mbx "$T"/b4s/*.mbx && ok "b4 from stdin gives the same am-ready mbox" || bad "b4 stdin and file outputs differ"
git clone -q "$F" "$T/rt"
git -C "$T/rt" checkout -q --detach "$TAG"
run id "$T/rt" am --committer-date-is-author-date "$T"/b4/*.mbx
expect_rc 0 "git am of b4's mbox on the base tag"
expect_eq "$(git -C "$T/rt" rev-parse HEAD)" "${commits[2]}" "the rebuilt commits are identical to the fork's (same ids)"
log() { git -C "$1" log --reverse --format='%T %an <%ae> %aD%n%B' "$TAG..HEAD"; }
expect_eq "$(log "$T/rt")" "$(log "$F")" "trees, authors, dates and messages identical"

REROLL=2 run "$S/export-mbox.sh" "$W" "$T/v2.mbox" "$ROOT/patches/cover-letter.txt"
grep -q '^Subject: \[PATCH v2 3/3\]' "$T/v2.mbox" && ok "REROLL=2 gives [PATCH v2 n/3]" || bad "REROLL ignored"
printf 'subject\nno blank line\n' >"$T/cover-bad.txt"
run "$S/export-mbox.sh" "$W" "$T/x.mbox" "$T/cover-bad.txt"
expect_rc nonzero "a cover text without subject + blank line is refused"
expect_out "first line must be the cover subject" "and the error says what is wrong"
run "$S/export-mbox.sh" "$W" "$T/x.mbox" "$T/no-such-cover.txt"
expect_out "cover letter text .* does not exist" "a missing cover text is named"

# A trailer with a continuation line: b4 0.12 moves the continuation out
# of the trailers, so the mbox would not give the commit back. Refused.
commit_in "$F" mm/wrapped.c 'int w;' "mm: folded trailer"
id "$F" commit -q --amend -m "mm: folded trailer" -m "Body." \
	-m $'Upstream-Status: pmdsafe-only, with a reason long enough\n to need a second line\nSigned-off-by: pmdsafe <pmdsafe@localhost>'
run "$S/export-mbox.sh" "$W" "$T/x.mbox" "$ROOT/patches/cover-letter.txt"
expect_rc nonzero "export-mbox refuses commits b4 cannot give back (unexported commit)"
expect_out "not in patches/" "an unexported commit is refused first"
SYNC_BASE=fake "$S/export.sh" "$W" "$P" >/dev/null
run "$S/export-mbox.sh" "$W" "$T/x.mbox" "$ROOT/patches/cover-letter.txt"
expect_rc nonzero "a folded trailer fails export-mbox"
expect_out "patch 4/4 mm: folded trailer: b4 changes it" "the error names the patch"
expect_out "keep each trailer on one line" "and says how to fix it"
[ ! -e "$T/x.mbox" ] && ok "no mbox written on failure" || bad "mbox written although b4 changes it"

# ---- export-quilt (the folded trailer is fine for quilt)
id "$F" reset -q --hard HEAD~1
SYNC_BASE=fake "$S/export.sh" "$W" "$P" >/dev/null
Q=$T/out/quilt
run "$S/export-quilt.sh" "$W" "$Q"
expect_rc 0 "export-quilt"
expect_eq "$(grep -v '^#' "$Q/series")" "$(sed 's|^|pmdsafe/|' "$P/series")" "series lists pmdsafe/NNNN-*.patch in order"
head -n 1 "$Q/series" | grep -q '^# pmdsafe quilt export: 3 patches for Debian tarball 1.0-1' &&
	ok "series header names the export and the base" || bad "series header: $(head -n 1 "$Q/series")"
same=1
while read -r p; do cmp -s "$P/$p" "$Q/pmdsafe/$p" || same=0; done <"$P/series"
[ "$same" = 1 ] && ok "patch files are those of patches/" || bad "quilt patches differ from patches/"
mkdir "$T/unpacked"
tar -xJf "$T/fake.tar.xz" -C "$T/unpacked"
U=$T/unpacked/linux-source-fake
run bash -c "cd '$U' && QUILT_PATCHES='$Q' quilt push -a -q"
expect_rc 0 "quilt push -a on the unpacked tarball"
expect_out "Now at patch $Q/pmdsafe/0003-" "quilt applied all 3 patches"
mkdir "$T/head"
git -C "$F" archive HEAD | tar -x -C "$T/head"
run diff -r --exclude=.pc "$T/head" "$U"
expect_rc 0 "diff -r: pushed tree equals the fork's HEAD tree"
git -C "$U" init -q
git -C "$U" add -A -f -- . ':!.pc'
expect_eq "$(git -C "$U" write-tree)" "$(git -C "$F" rev-parse 'HEAD^{tree}')" \
	"git: pushed tree equals the fork's HEAD tree, modes included"
run bash -c "cd '$U' && QUILT_PATCHES='$Q' quilt pop -a -q"
git -C "$U" add -A -f -- . ':!.pc'
expect_eq "$(git -C "$U" write-tree)" "$(git -C "$F" rev-parse "$TAG^{tree}")" "quilt pop -a gives the base back"
run "$S/export-quilt.sh" "$W" "$Q"
expect_rc 0 "export-quilt over its own earlier export"
mkdir -p "$T/debian-patches"
echo 'bugfix/all/foo.patch' >"$T/debian-patches/series"
run "$S/export-quilt.sh" "$W" "$T/debian-patches"
expect_rc nonzero "export-quilt refuses a directory that is not its own"
expect_eq "$(cat "$T/debian-patches/series")" "bugfix/all/foo.patch" "and leaves it alone"
printf '\0\1\2' >"$F/mm/blob.bin"
id "$F" add -f mm/blob.bin
id "$F" commit -q -s -m "mm: a binary file"
SYNC_BASE=fake "$S/export.sh" "$W" "$P" >/dev/null
run "$S/export-quilt.sh" "$W" "$T/q2"
expect_rc nonzero "a binary diff fails export-quilt"
expect_out "0004-mm-a-binary-file.patch has a binary diff" "and the error names the patch"
id "$F" reset -q --hard HEAD~1
SYNC_BASE=fake "$S/export.sh" "$W" "$P" >/dev/null

# ---- import
I=$ROOT/tests/import
cp -r "$P" "$T/p-before"
head0=$(git -C "$F" rev-parse HEAD)
run "$S/import.sh" "$W" "$P" "$I/series.mbox" fake
expect_rc 0 "import of a list-archive series"
expect_eq "$(git -C "$F" log --format='%an <%ae>|%aD|%s' "$head0..HEAD")" \
	"pmdsafe <pmdsafe@localhost>|Sun, 22 Nov 2026 04:00:02 +0000|Documentation/mm: say how the import test page is applied
pmdsafe <pmdsafe@localhost>|Sun, 22 Nov 2026 04:00:01 +0000|Documentation/mm: add a page for the pmdsafe import test" \
	"one commit per patch, original author, date and (unfolded) subject"
msg1=$(git -C "$F" log -1 --format=%B HEAD~1) msg2=$(git -C "$F" log -1 --format=%B HEAD)
# (b4, as the project identity, keeps "its own" Signed-off-by last.)
expect_eq "$(tail -n 4 <<<"$msg1")" "Upstream-Status: pmdsafe-only (test fixture)
Reviewed-by: pmdsafe <pmdsafe@localhost.localdomain>
Link: https://lore.kernel.org/r/20261122040000.2.import-test@localhost
Signed-off-by: pmdsafe <pmdsafe@localhost>" \
	"patch 1 keeps its trailers, gets the reply's Reviewed-by and a Link to its Message-Id"
expect_eq "$(tail -n 4 <<<"$msg2")" "Upstream-Status: pmdsafe-only (test fixture)
Acked-by: pmdsafe <pmdsafe@localhost>
Link: https://lore.kernel.org/r/20261122040000.3.import-test@localhost
Signed-off-by: pmdsafe <pmdsafe@localhost>" \
	"patch 2 keeps its trailers (no review), with its Link"
expect_eq "$(tail -n 2 "$P/series")" "0004-Documentation-mm-add-a-page-for-the-pmdsafe-import-t.patch
0005-Documentation-mm-say-how-the-import-test-page-is-app.patch" "patches/ has the 2 new patches"
grep -q '^Reviewed-by: pmdsafe <pmdsafe@localhost.localdomain>$' "$P/0004-Documentation-mm-add-a-page-for-the-pmdsafe-import-t.patch" &&
	ok "the exported patch carries the Reviewed-by" || bad "Reviewed-by not in the exported patch"
same=1
while read -r p; do cmp -s "$P/$p" "$T/p-before/$p" || same=0; done <"$T/p-before/series"
[ "$same" = 1 ] && ok "the earlier patches are unchanged" || bad "import rewrote earlier patches"
run "$S/series-check.sh" "$W" "$P"
expect_rc 0 "series-check passes after import"
run "$S/fork.sh" "$W" "$P" fake
expect_out "up to date" "fork after import has nothing to do"
"$S/base.sh" "$T/fake.conf" "$W.2" >/dev/null
"$S/fork.sh" "$W.2" "$P" fake >/dev/null
expect_eq "$(git -C "$W.2/linux" rev-parse HEAD)" "$(git -C "$F" rev-parse HEAD)" \
	"a fresh fork of patches/ rebuilds the imported commits exactly"

# A patch that does not apply: named, patches/ untouched, tree at the last good commit.
before=$(tree_sum "$P") head1=$(git -C "$F" rev-parse HEAD)
LINKMASK='https://archive.example/%s' run "$S/import.sh" "$W" "$P" "$I/broken.mbox" fake
expect_rc nonzero "import of a series that does not apply fails"
expect_out "patch 2/2 'Documentation/mm: edit a line the page does not have' <20261122060000.2.import-broken@localhost> from .*broken.mbox does not apply" \
	"the error names the patch, its subject and Message-Id"
expect_out "Documentation/mm/pmdsafe-import-broken.rst" "git's message names the file"
expect_out "reset --hard ${head1:0:12}" "and says how to drop the partial import"
expect_eq "$(tree_sum "$P")" "$before" "patches/ untouched"
expect_eq "$(git -C "$F" log -1 --format=%s)" "Documentation/mm: add a page for the broken import test" "tree at the last good commit"
expect_eq "$(git -C "$F" log -1 --format=%B | grep '^Link:')" "Link: https://archive.example/20261122060000.1.import-broken@localhost" \
	"LINKMASK sets the Link: address"
[ ! -d "$F/.git/rebase-apply" ] && [ -z "$(git -C "$F" status --porcelain --ignored)" ] &&
	ok "no half-applied state left" || bad "tree left mid-am or dirty"
run "$S/import.sh" "$W" "$P" "$I/series.mbox" fake
expect_rc nonzero "import refuses a tree with commits not in patches/"
expect_out "not in patches/" "and says why"
id "$F" reset -q --hard "$head1"

# b4 drops a reply's trailer whose address has no dot in the domain: refused.
sed 's/pmdsafe@localhost\.localdomain/pmdsafe@localhost/' "$I/series.mbox" >"$T/nodot.mbox"
run "$S/import.sh" "$W" "$P" "$T/nodot.mbox" fake
expect_rc nonzero "a reply trailer that b4 would drop fails the import"
expect_out "'Reviewed-by: pmdsafe <pmdsafe@localhost>' in 'Re: \[PATCH 1/2\]" "the error names the trailer and the reply"
expect_eq "$(git -C "$F" rev-parse HEAD)|$(tree_sum "$P")" "$head1|$before" "nothing imported"

# An incomplete series (2/2 missing from the archive) is not imported in part.
awk '/^From pmdsafe@localhost Sun Nov 22 04:00:02 2026$/ { skip = 1; next } /^From / { skip = 0 } !skip' \
	"$I/series.mbox" >"$T/partial.mbox"
run "$S/import.sh" "$W" "$P" "$T/partial.mbox" fake
expect_rc nonzero "an incomplete series fails the import"
expect_out "incomplete" "and the error says so"
expect_eq "$(git -C "$F" rev-parse HEAD)" "$head1" "nothing imported"

printf 'just text\n' >"$T/nopatch.mbox"
run "$S/import.sh" "$W" "$P" "$T/nopatch.mbox" fake
expect_rc nonzero "an mbox without patches fails the import"
run "$S/import.sh" "$W" "$P" "$T/missing.mbox" fake
expect_out "mbox '.*missing.mbox' does not exist" "a missing mbox is named"
echo 'int dirty;' >>"$F/mm/huge_memory.c"
run "$S/import.sh" "$W" "$P" "$I/series.mbox" fake
expect_rc nonzero "import refuses a dirty tree"
expect_out "uncommitted changes" "and says why"
finish
