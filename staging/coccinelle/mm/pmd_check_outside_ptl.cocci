// SPDX-License-Identifier: GPL-2.0-only
/// The state of a PMD/PUD entry (pmd_trans_huge, pmd_present, pmd_none,
/// pmd_devmap, is_swap_pmd, or "pmd_page(*pmd) == page" identity) is tested
/// before the page table lock is taken, and the result is acted on under the
/// lock without re-reading and re-testing the entry.
///
/// Without the PTL the entry can change under us at any time (split,
/// zap, MADV_DONTNEED, migration installing a migration entry, clear_refs
/// doing pmdp_invalidate(), khugepaged collapse).  A decision taken on the
/// lockless value is stale once the lock is held: re-read the entry under the
/// lock and repeat the test (or compare with pmd_same()).  A local snapshot
/// "pmd_t x = *pmd" tested before the lock and reused after it is just as
/// stale.
//#
//# Specification: seed 002 ("mm: thp: move pmd check inside ptl for
//# freeze_page()", Naoya Horiguchi, linux-mm 2016).  split_huge_pmd_address()
//# tested "page != pmd_page(*pmd)" and pmd_present() without the PTL, then
//# __split_huge_pmd() took pmd_lock() and re-tested only pmd_trans_huge():
//# racing with clear_refs (pmdp_invalidate) and migration, freeze_page()
//# skipped the split and hit VM_BUG_ON.  The fix moved the identity check
//# under the PTL.
//#
//# CONTRACTS (Linux 6.12; re-audit when rebasing):
//#  L1 Locks that do NOT revalidate the entry: pmd_lock(), spin_lock(
//#     pmd_lockptr()), pud_lock().  After them every earlier test is stale.
//#  L2 Locks that revalidate the *state*: pmd_trans_huge_lock() and
//#     __pmd_trans_huge_lock() return the PTL only if is_swap_pmd() ||
//#     pmd_trans_huge() || pmd_devmap() holds under the lock,
//#     pud_trans_huge_lock() only if pud_trans_huge() || pud_devmap().  A
//#     state test before them is therefore revalidated (which states remain
//#     possible is pmd_present_accessor.cocci's business); an identity test
//#     ("page == pmd_page(*pmd)") is not.
//#  R  Revalidation under the lock: a state test of a fresh read (*pmd,
//#     pmdp_get(pmd)), pmd_same(*pmd, x), or a fresh re-read "x = *pmd"; for
//#     identity tests only a fresh identity test or pmd_same() count.
//#  C1 Same-file helpers that take the PTL on their pmd parameter (found by
//#     rule lockfn) are followed one level: a test before calling such a
//#     helper must be repeated by the helper under the lock.
//#  C2 Helpers known to revalidate under the PTL (cross-file, not followed):
//#       split_huge_pmd_locked()  re-tests pmd_trans_huge/pmd_devmap/
//#                                migration and folio == pmd_folio(*pmd)
//#       __split_huge_pmd(), split_huge_pmd_address() (via the above)
//#       zap_huge_pmd(), change_huge_pmd(), move_huge_pmd(),
//#       madvise_free_huge_pmd(), copy_huge_pmd() (via
//#       __pmd_trans_huge_lock or an explicit re-test)
//#     A helper defined in the analysed file overrides this list.
//#  The "acted on" operations are: set_pmd_at/pmd_clear/pmdp_* mutators,
//#  pgtable_trans_huge_withdraw, __split_huge_pmd_locked, the PUD twins, and
//#  present-only accessors (pmd_page, pmd_folio, pmd_pfn, ...) of the stale
//#  value.
//#
//# Limitations: intra-procedural apart from C1; the data dependency between
//# the test and the action is approximated by "same pmd pointer"; tests
//# under mmap_write_lock, where no concurrent change is possible, are not
//# recognised (see FINDINGS.md).
//
// Confidence: Moderate
// Copyright: (C) 2026 pmdsafe
// Options: --no-includes --include-headers
// Keywords: pmd_lock, pmd_trans_huge_lock, PTL, race, split_huge_pmd, freeze

virtual report
virtual org
virtual context

@initialize:python@
@@
seen = set()
lock_helpers = {}      # (file, name) -> True if it revalidates state
id_reval = set()       # (file, name): helper revalidates identity

def emit(p, msg, mode):
    key = (p[0].file, p[0].line, p[0].column, mode)
    if key in seen:
        return
    seen.add(key)
    if mode == "report":
        coccilib.report.print_report(p[0], msg)
    else:
        coccilib.org.print_todo(p[0], msg)

//----------------------------------------------------------------------
// S: state test of *p before a non-validating lock (L1), acted on under
// the lock without a fresh re-test (R).
//----------------------------------------------------------------------
@s depends on report || org || context exists@
expression p, mm, E1, E2, E3, E4;
identifier st = {pmd_trans_huge, pmd_present, pmd_none, pmd_devmap,
                 is_swap_pmd, is_pmd_migration_entry, pmd_leaf,
                 pud_trans_huge, pud_present, pud_none, pud_devmap,
                 pud_leaf};
identifier getp = {pmdp_get, pmdp_get_lockless, pudp_get};
identifier lk = {pmd_lock, pud_lock};
identifier act = {set_pmd_at, pmdp_invalidate, pmdp_invalidate_ad,
                  pmdp_huge_clear_flush, pmdp_huge_get_and_clear,
                  pmdp_huge_get_and_clear_full, pmdp_set_wrprotect,
                  pmdp_collapse_flush, pmdp_test_and_clear_young,
                  set_pud_at, pudp_huge_get_and_clear,
                  pudp_huge_get_and_clear_full, pudp_invalidate,
                  pudp_huge_clear_flush};
identifier act2 = {__split_huge_pmd_locked, __split_huge_pud_locked,
                   pgtable_trans_huge_withdraw, pmd_clear, pud_clear};
identifier acc = {pmd_page, pmd_pfn, pmd_folio, pmd_write, pmd_dirty,
                  pmd_young, pud_page, pud_pfn, pud_write, pud_dirty};
position pt, pl, pa;
@@
\(st(*p)@pt\|st(getp(p))@pt\)
... when != p = E4
\(lk(mm, p)@pl\|spin_lock(pmd_lockptr(mm, p))@pl\)
... when != st(*p)
    when != st(getp(p))
    when != pmd_same(*p, ...)
    when != pmd_same(..., *p)
    when != pmd_same(getp(p), ...)
    when != pmd_same(..., getp(p))
    when != pud_same(*p, ...)
    when != pud_same(..., *p)
    when != E3 = *p
    when != E3 = getp(p)
    when != p = E4
\(act(E1, E2, p, ...)@pa\|act2(E1, p, ...)@pa\|act2(p)@pa\|acc(*p)@pa\|acc(getp(p))@pa\)

//----------------------------------------------------------------------
// S through a local snapshot: "x = *pmd; if (pmd_trans_huge(x)) {
// ptl = pmd_lock(mm, pmd); ... use x or pmd ... }" with no re-read.  Here
// any lock counts (L1 and L2): the snapshot is stale after every lock.
//----------------------------------------------------------------------
@sx depends on report || org || context exists@
expression p, mm, vma, E1, E2, E3, E4;
idexpression x;
identifier st = {pmd_trans_huge, pmd_present, pmd_none, pmd_devmap,
                 is_swap_pmd, is_pmd_migration_entry, pmd_leaf,
                 pud_trans_huge, pud_present, pud_none, pud_devmap,
                 pud_leaf};
identifier getp = {pmdp_get, pmdp_get_lockless, pudp_get};
identifier lk = {pmd_lock, pud_lock};
identifier lkv = {pmd_trans_huge_lock, __pmd_trans_huge_lock,
                  pud_trans_huge_lock, __pud_trans_huge_lock};
identifier acc = {pmd_page, pmd_pfn, pmd_folio, pmd_write, pmd_dirty,
                  pmd_young, pmd_soft_dirty, pmd_uffd_wp,
                  pud_page, pud_pfn, pud_write, pud_dirty};
identifier act = {set_pmd_at, pmdp_invalidate, pmdp_invalidate_ad,
                  pmdp_huge_clear_flush, pmdp_huge_get_and_clear,
                  pmdp_huge_get_and_clear_full, pmdp_set_wrprotect,
                  set_pud_at, pudp_huge_get_and_clear};
position pt, pl, pa;
@@
x = \(*p\|getp(p)\|READ_ONCE(*p)\)
... when != x = E4
st(x)@pt
... when != x = E4
    when != p = E4
\(lk(mm, p)@pl\|spin_lock(pmd_lockptr(mm, p))@pl\|lkv(p, vma)@pl\)
... when != x = E4
    when != E3 = *p
    when != E3 = getp(p)
    when != st(*p)
    when != st(getp(p))
    when != pmd_same(x, E1)
    when != pmd_same(E1, x)
    when != pud_same(x, E1)
    when != pud_same(E1, x)
    when != p = E4
\(acc(x)@pa\|act(E1, E2, p, ...)@pa\)

//----------------------------------------------------------------------
// I: identity test "page == pmd_page(*pmd)" (pmd_folio/pmd_pfn) before ANY
// PTL (L1 and L2), acted on under it without a fresh identity re-test.
//----------------------------------------------------------------------
@i depends on report || org || context exists@
expression p, mm, vma, E, E1, E2, E3, E4;
identifier idf = {pmd_page, pmd_folio, pmd_pfn, pud_page, pud_folio, pud_pfn};
identifier getp = {pmdp_get, pmdp_get_lockless, pudp_get};
identifier lk = {pmd_lock, pud_lock};
identifier lkv = {pmd_trans_huge_lock, __pmd_trans_huge_lock,
                  pud_trans_huge_lock, __pud_trans_huge_lock};
identifier act = {set_pmd_at, pmdp_invalidate, pmdp_invalidate_ad,
                  pmdp_huge_clear_flush, pmdp_huge_get_and_clear,
                  pmdp_huge_get_and_clear_full, pmdp_set_wrprotect,
                  pmdp_collapse_flush, set_pud_at, pudp_huge_get_and_clear,
                  pudp_huge_get_and_clear_full};
identifier act2 = {__split_huge_pmd_locked, __split_huge_pud_locked,
                   pgtable_trans_huge_withdraw, pmd_clear, pud_clear};
position pt, pl, pa;
@@
\(idf(*p)@pt == E\|E == idf(*p)@pt\|idf(*p)@pt != E\|E != idf(*p)@pt\|idf(getp(p))@pt == E\|E == idf(getp(p))@pt\|idf(getp(p))@pt != E\|E != idf(getp(p))@pt\)
... when != p = E4
\(lk(mm, p)@pl\|spin_lock(pmd_lockptr(mm, p))@pl\|lkv(p, vma)@pl\)
... when != idf(*p)
    when != idf(getp(p))
    when != pmd_same(*p, ...)
    when != pmd_same(..., *p)
    when != E3 = *p
    when != E3 = getp(p)
    when != p = E4
\(act(E1, E2, p, ...)@pa\|act2(E1, p, ...)@pa\|act2(p)@pa\)

//----------------------------------------------------------------------
// C1: same-file helpers that take the PTL on their pmd parameter, and
// whether they revalidate state / identity under it.
//----------------------------------------------------------------------
@lockfn depends on report || org || context exists@
identifier f, q, mm;
expression E, vma;
type T;
position pf;
@@
T f@pf(..., pmd_t *q, ...)
{
... when any
\(pmd_lock(E, q)\|spin_lock(pmd_lockptr(E, q))\|pmd_trans_huge_lock(q, vma)\|__pmd_trans_huge_lock(q, vma)\)
... when any
}

@script:python@
f << lockfn.f;
pf << lockfn.pf;
@@
lock_helpers.setdefault((pf[0].file, f), False)

@lockfn_st depends on report || org || context exists@
identifier f, q;
expression E, vma, E1;
type T;
identifier st = {pmd_trans_huge, pmd_present, pmd_none, pmd_devmap,
                 is_swap_pmd, is_pmd_migration_entry, pmd_leaf};
identifier reval = {split_huge_pmd_locked};
position pf;
@@
T f@pf(..., pmd_t *q, ...)
{
... when any
\(pmd_trans_huge_lock(q, vma)\|__pmd_trans_huge_lock(q, vma)\)
... when any
}

@script:python@
f << lockfn_st.f;
pf << lockfn_st.pf;
@@
lock_helpers[(pf[0].file, f)] = True

@lockfn_st2 depends on report || org || context exists@
identifier f, q;
expression E, vma, E1;
type T;
identifier st = {pmd_trans_huge, pmd_present, pmd_none, pmd_devmap,
                 is_swap_pmd, is_pmd_migration_entry, pmd_leaf};
identifier reval = {split_huge_pmd_locked};
position pf;
@@
T f@pf(..., pmd_t *q, ...)
{
... when any
\(pmd_lock(E, q)\|spin_lock(pmd_lockptr(E, q))\)
... when any
\(st(*q)\|st(pmdp_get(q))\|pmd_same(*q, E1)\|pmd_same(E1, *q)\|reval(...)\)
... when any
}

@script:python@
f << lockfn_st2.f;
pf << lockfn_st2.pf;
@@
lock_helpers[(pf[0].file, f)] = True

@lockfn_id depends on report || org || context exists@
identifier f, q;
expression E, vma, E1;
type T;
identifier idf = {pmd_page, pmd_folio, pmd_pfn};
identifier reval = {split_huge_pmd_locked};
position pf;
@@
T f@pf(..., pmd_t *q, ...)
{
... when any
\(pmd_lock(E, q)\|spin_lock(pmd_lockptr(E, q))\|pmd_trans_huge_lock(q, vma)\|__pmd_trans_huge_lock(q, vma)\)
... when any
\(idf(*q)\|idf(pmdp_get(q))\|pmd_same(*q, E1)\|pmd_same(E1, *q)\|reval(...)\)
... when any
}

@script:python@
f << lockfn_id.f;
pf << lockfn_id.pf;
@@
id_reval.add((pf[0].file, f))

// Callers: a test on *p followed by a call handing p to such a helper.
@cs depends on report || org || context exists@
identifier lockfn.f;
expression p, E4;
identifier st = {pmd_trans_huge, pmd_present, pmd_none, pmd_devmap,
                 is_swap_pmd, is_pmd_migration_entry, pmd_leaf};
identifier getp = {pmdp_get, pmdp_get_lockless};
position pt, pc;
@@
\(st(*p)@pt\|st(getp(p))@pt\)
... when != p = E4
f(..., p, ...)@pc

@ci depends on report || org || context exists@
identifier lockfn.f;
expression p, E, E4;
identifier idf = {pmd_page, pmd_folio, pmd_pfn};
identifier getp = {pmdp_get, pmdp_get_lockless};
position pt, pc;
@@
\(idf(*p)@pt == E\|E == idf(*p)@pt\|idf(*p)@pt != E\|E != idf(*p)@pt\|idf(getp(p))@pt == E\|E == idf(getp(p))@pt\|idf(getp(p))@pt != E\|E != idf(getp(p))@pt\)
... when != p = E4
f(..., p, ...)@pc

//----------------------------------------------------------------------
// Context mode
//----------------------------------------------------------------------
@depends on context@
position s.pt;
identifier fc;
@@
* fc(...)@pt

@depends on context@
position sx.pt;
identifier fc;
@@
* fc(...)@pt

@depends on context@
position i.pt;
identifier fc;
@@
* fc(...)@pt

//----------------------------------------------------------------------
// Output
//----------------------------------------------------------------------
@script:python depends on report@
pt << s.pt;
pl << s.pl;
pa << s.pa;
@@
m = "pmd state tested without the PTL, acted on at line %s under the lock taken at line %s without re-testing the entry" % (pa[0].line, pl[0].line)
emit(pt, m, "report")

@script:python depends on org@
pt << s.pt;
pl << s.pl;
pa << s.pa;
@@
m = "pmd state tested without the PTL, acted on at line %s under the lock taken at line %s without re-testing the entry" % (pa[0].line, pl[0].line)
emit(pt, m, "org")

@script:python depends on report@
pt << sx.pt;
pl << sx.pl;
pa << sx.pa;
@@
m = "stale pmd snapshot: tested before the PTL (line %s) and reused at line %s without re-reading the entry" % (pl[0].line, pa[0].line)
emit(pt, m, "report")

@script:python depends on org@
pt << sx.pt;
pl << sx.pl;
pa << sx.pa;
@@
m = "stale pmd snapshot: tested before the PTL (line %s) and reused at line %s without re-reading the entry" % (pl[0].line, pa[0].line)
emit(pt, m, "org")

@script:python depends on report@
pt << i.pt;
pl << i.pl;
pa << i.pa;
@@
m = "pmd_page()/pmd_folio() identity tested without the PTL, acted on at line %s under the lock taken at line %s without re-testing it (seed 002)" % (pa[0].line, pl[0].line)
emit(pt, m, "report")

@script:python depends on org@
pt << i.pt;
pl << i.pl;
pa << i.pa;
@@
m = "pmd_page()/pmd_folio() identity tested without the PTL, acted on at line %s under the lock taken at line %s without re-testing it (seed 002)" % (pa[0].line, pl[0].line)
emit(pt, m, "org")

@script:python depends on report@
pt << cs.pt;
pc << cs.pc;
f << lockfn.f;
@@
if not lock_helpers.get((pt[0].file, f), True):
    m = "pmd state tested without the PTL; %s() (line %s) takes the PTL and acts on the pmd without re-testing it" % (f, pc[0].line)
    emit(pt, m, "report")

@script:python depends on org@
pt << cs.pt;
pc << cs.pc;
f << lockfn.f;
@@
if not lock_helpers.get((pt[0].file, f), True):
    m = "pmd state tested without the PTL; %s() (line %s) takes the PTL and acts on the pmd without re-testing it" % (f, pc[0].line)
    emit(pt, m, "org")

@script:python depends on report@
pt << ci.pt;
pc << ci.pc;
f << lockfn.f;
@@
if (pt[0].file, f) not in id_reval:
    m = "pmd_page()/pmd_folio() identity tested without the PTL; %s() (line %s) takes the PTL and acts on the pmd without re-testing the identity (seed 002)" % (f, pc[0].line)
    emit(pt, m, "report")

@script:python depends on org@
pt << ci.pt;
pc << ci.pc;
f << lockfn.f;
@@
if (pt[0].file, f) not in id_reval:
    m = "pmd_page()/pmd_folio() identity tested without the PTL; %s() (line %s) takes the PTL and acts on the pmd without re-testing the identity (seed 002)" % (f, pc[0].line)
    emit(pt, m, "org")
