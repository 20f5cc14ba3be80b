#!/bin/bash
# fork / export / series-check on a tiny fake base: exact round trip,
# incremental re-runs, and bad input that must lose nothing.
. "$(dirname "$0")/lib.sh"

fake_base "$T" fake
W=$T/w P=$T/patches
mkdir -p "$P"
: >"$P/series"
"$S/base.sh" "$T/fake.conf" "$W" >/dev/null
run "$S/fork.sh" "$W" "$P" fake
expect_rc 0 "fork of an empty series"

# Make two commits in the tree, export them: the series is born.
commit_in "$W/linux" mm/huge_memory.c $'int a;\nint b2;\nint c;' "mm: first change"
commit_in "$W/linux" mm/new.c 'int d;' "mm: second change"
run env SYNC_BASE=fake "$S/export.sh" "$W" "$P"
expect_rc 0 "export"
expect_eq "$(cat "$P/series")" $'0001-mm-first-change.patch\n0002-mm-second-change.patch' "series lists numbered patches"
grep -q '^From 0000000000000000000000000000000000000000' "$P/0001-mm-first-change.patch" &&
	! grep -q '^-- $' "$P/0001-mm-first-change.patch" && ok "no volatile headers (zero From hash, no signature)" ||
	bad "volatile headers in export"
run "$S/fork.sh" "$W" "$P" fake
expect_out "up to date" "fork right after export has nothing to do"

# Fresh materialization from patches/ alone, then export changes no file.
rm -rf "$W"
"$S/base.sh" "$T/fake.conf" "$W" >/dev/null
run "$S/fork.sh" "$W" "$P" fake
expect_rc 0 "fork from patches/"
expect_eq "$(git -C "$W/linux" log --format='%an <%ae>|%s' base/fake/1.0-1..HEAD | tr '\n' ';')" \
	"pmdsafe <pmdsafe@localhost>|mm: second change;pmdsafe <pmdsafe@localhost>|mm: first change;" \
	"one commit per patch with author and subject"
git -C "$W/linux" log -1 --format=%B | grep -q '^Signed-off-by: pmdsafe <pmdsafe@localhost>' &&
	ok "Signed-off-by kept" || bad "Signed-off-by lost"
before=$(tree_sum "$P")
run env SYNC_BASE=fake "$S/export.sh" "$W" "$P"
expect_eq "$(tree_sum "$P")" "$before" "export right after fork changes no file"
run "$S/series-check.sh" "$W" "$P"
expect_rc 0 "series-check passes"
head1=$(git -C "$W/linux" rev-parse HEAD)
rm -rf "$W"; "$S/base.sh" "$T/fake.conf" "$W" >/dev/null; "$S/fork.sh" "$W" "$P" fake >/dev/null
expect_eq "$(git -C "$W/linux" rev-parse HEAD)" "$head1" "same series gives the same commit ids"

# series-check catches a patches/ that no longer matches the tree.
sed -i 's/Test commit body./Edited body./' "$P/0002-mm-second-change.patch"
cp -r "$P" "$T/p-edited"
run "$S/series-check.sh" "$W" "$P"
expect_rc nonzero "series-check fails when patches/ and tree disagree"
expect_out "0002-mm-second-change.patch: export differs" "and names the patch"

# A changed series resets to the base and re-applies.
run "$S/fork.sh" "$W" "$P" fake
expect_rc 0 "changed series re-applies"
git -C "$W/linux" log -1 --format=%B | grep -q 'Edited body.' && ok "tree follows the edited patch" ||
	bad "tree did not pick up the edit"

# A comment in series is not a change of the series.
echo '# comment' >>"$P/series"
run "$S/fork.sh" "$W" "$P" fake
expect_out "up to date" "comment-only series edit changes nothing"

# Uncommitted edit + changed series: refuse, keep the edit.
echo 'int local_edit;' >>"$W/linux/mm/new.c"
sed -i 's/Edited body./Edited again./' "$P/0002-mm-second-change.patch"
run "$S/fork.sh" "$W" "$P" fake
expect_rc nonzero "uncommitted edits block a re-apply"
expect_out "uncommitted changes" "and the message says why"
expect_out "make export" "and how to proceed"
grep -q local_edit "$W/linux/mm/new.c" && ok "the edit is still there" || bad "edit discarded"
git -C "$W/linux" checkout -q mm/new.c

# Unexported commit + changed series: refuse; FORCE=1 keeps a backup ref.
commit_in "$W/linux" mm/third.c 'int e;' "mm: unexported change"
sed -i 's/Edited again./Edited a third time./' "$P/0002-mm-second-change.patch"
run "$S/fork.sh" "$W" "$P" fake
expect_rc nonzero "unexported commits block a re-apply"
expect_out "mm: unexported change" "the message lists the commit"
lost=$(git -C "$W/linux" rev-parse HEAD)
run env FORCE=1 "$S/fork.sh" "$W" "$P" fake
expect_rc 0 "FORCE=1 re-applies"
git -C "$W/linux" for-each-ref --format='%(objectname)' refs/pmdsafe/backup | grep -qx "$lost" &&
	ok "the dropped head is kept as refs/pmdsafe/backup/*" || bad "no backup ref for the dropped head"

# A patch that does not apply: named, patches/ untouched, tree at last good.
cat >"$P/0003-mm-broken.patch" <<'PATCH'
From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
From: pmdsafe <pmdsafe@localhost>
Date: Sun, 1 Nov 2026 00:00:00 +0000
Subject: [PATCH] mm: broken

Signed-off-by: pmdsafe <pmdsafe@localhost>
---
diff --git a/mm/huge_memory.c b/mm/huge_memory.c
--- a/mm/huge_memory.c
+++ b/mm/huge_memory.c
@@ -1,3 +1,3 @@
 int a;
-int this_line_is_not_there;
+int b3;
 int c;
PATCH
echo 0003-mm-broken.patch >>"$P/series"
before=$(tree_sum "$P")
run "$S/fork.sh" "$W" "$P" fake
expect_rc nonzero "a patch that does not apply fails the fork"
expect_out "patch 3/3 0003-mm-broken.patch \($P/0003-mm-broken.patch\) does not apply" "error names the patch and its file"
expect_out "mm/huge_memory.c" "git's message names the file that failed"
expect_eq "$(tree_sum "$P")" "$before" "patches/ untouched"
expect_eq "$(git -C "$W/linux" log -1 --format=%s)" "mm: second change" "tree at the last good commit"
[ ! -d "$W/linux/.git/rebase-apply" ] && [ -z "$(git -C "$W/linux" status --porcelain)" ] &&
	ok "no half-applied state left" || bad "tree left mid-am or dirty"
run "$S/fork.sh" "$W" "$P" fake
expect_rc nonzero "re-running retries the series (still failing)"
sed -i '$d' "$P/series"; rm "$P/0003-mm-broken.patch"
run "$S/fork.sh" "$W" "$P" fake
expect_rc 0 "fixed series applies again"

# A series naming a file that does not exist.
echo 0009-missing.patch >>"$P/series"
run "$S/fork.sh" "$W" "$P" fake
expect_rc nonzero "missing patch file is an error"
expect_out "series:[0-9]+: patch 0009-missing.patch does not exist" "error names series line and patch"
sed -i '$d' "$P/series"

# Per-base variant: patches/BASE/NAME replaces patches/NAME for that base.
mkdir -p "$P/fake"
sed 's/int b2;/int b2_fake;/' "$P/0001-mm-first-change.patch" >"$P/fake/0001-mm-first-change.patch"
run "$S/fork.sh" "$W" "$P" fake
expect_rc 0 "per-base variant applies"
grep -q b2_fake "$W/linux/mm/huge_memory.c" && ok "the variant, not the main patch, was used" ||
	bad "variant ignored"

# A per-base series leaves out a patch for that base only.
grep -v '^0002-' "$P/series" >"$P/fake/series"
run "$S/fork.sh" "$W" "$P" fake
expect_rc 0 "per-base series applies"
expect_eq "$(git -C "$W/linux" log --format=%s base/fake/1.0-1..HEAD)" "mm: first change" \
	"only the patches of patches/BASE/series are applied"
finish
