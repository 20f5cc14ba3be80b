// SPDX-License-Identifier: GPL-2.0-only
/// A present-only PMD/PUD accessor (pmd_page, pmd_pfn, pmd_folio, pmd_write,
/// pmd_young, pmd_dirty, pmd_soft_dirty, pmd_uffd_wp, vm_normal_page_pmd,
/// pmdp_invalidate, pud_page, pud_pfn, ...) is applied to an entry that may
/// be a swap/migration entry, or a swap-entry accessor (pmd_to_swp_entry,
/// pmd_swp_*) is applied to an entry that is known to be present.
///
/// pmd_trans_huge_lock() also returns the PTL for a non-present (migration,
/// device-private) PMD, and a !pmd_none() test does not make an entry
/// present.  Interpreting the bits of a swap entry as a PFN or as PTE flags
/// yields a bogus struct page (crash, rmap/refcount corruption) or garbage
/// flags; pmdp_invalidate() on a swap entry corrupts it.  Test the entry
/// with pmd_present()/is_swap_pmd()/is_pmd_migration_entry() first.
//#
//# Specification: seed 000 ("mm: thp: check pmd migration entry in common
//# path", Naoya Horiguchi, linux-mm 2016): every hunk of that patch adds a
//# pmd_present()/is_pmd_migration_entry() test in front of a present-only
//# accessor reached through pmd_trans_huge_lock() (smaps_pte_range ->
//# smaps_pmd_entry, clear_refs_pte_range, pagemap_pmd_range, zap_huge_pmd,
//# change_huge_pmd, madvise_free_huge_pmd, get_mctgt_type_thp) or after a
//# pmd_same() revalidation (do_huge_pmd_wp_page).
//#
//# The matching is intra-procedural.  Callers that establish presence for
//# their callees, and callees that are handed a possibly non-present entry,
//# are modelled by the CONTRACTS below instead of by loosening the patterns.
//#
//# CONTRACTS (Linux 6.12; re-audit when rebasing):
//#
//# (A) Sources of possibly non-present entries (checked by this rule):
//#   A1 pmd_trans_huge_lock(pmd, vma) / __pmd_trans_huge_lock(pmd, vma)
//#      return the PTL when is_swap_pmd(*pmd) || pmd_trans_huge(*pmd) ||
//#      pmd_devmap(*pmd) (include/linux/huge_mm.h, mm/huge_memory.c).  On
//#      the locked path *pmd and every snapshot of it (x = *pmd,
//#      pmdp_get(pmd), pmdp_huge_get_and_clear*(.., pmd, ..)) may be a swap
//#      entry.  A pmd_trans_huge()/pmd_present() test made *before* taking
//#      the lock does not count: the entry can change until the PTL is held.
//#   A2 pmd_none(E)/pud_none(E): the path that continues after the test only
//#      knows "not none", i.e. present *or swap*.
//#   A3 Callees handed a possibly non-present entry: every caller passes the
//#      pmd locked by pmd_trans_huge_lock() without a presence test, so the
//#      callee must test it itself.  Explicit list (cross-file safe):
//#        smaps_pmd_entry        fs/proc/task_mmu.c  (smaps_pte_range)
//#        clear_soft_dirty_pmd   fs/proc/task_mmu.c  (clear_refs_pte_range)
//#        make_uffd_wp_pmd       fs/proc/task_mmu.c  (pagemap_scan_thp_entry)
//#        pagemap_thp_category   fs/proc/task_mmu.c  (pagemap_scan_thp_entry)
//#        can_gather_numa_stats_pmd fs/proc/task_mmu.c (gather_pte_stats)
//#        queue_folios_pmd       mm/mempolicy.c      (queue_folios_pte_range)
//#        check_hwpoisoned_pmd_entry mm/memory-failure.c (hwpoison_pte_range)
//#        get_mctgt_type_thp     mm/memcontrol-v1.c  (precharge/move walkers)
//#      In addition, any function defined in the same file that is called
//#      with the locked pmd (or *pmd) before a presence test is discovered
//#      automatically (rule a3_disc) and checked the same way.
//#   A4 pmd_same(*pmd, x) under the PTL only proves that x is still the
//#      current entry, not that it is present: a pmd_t parameter x
//#      revalidated with pmd_same() must still be tested before a
//#      present-only accessor.
//#
//# (B) Guarantees of presence (suppress reports):
//#   B1 Presence tests on the same expression anywhere on the path from the
//#      source to the use: pmd_present, is_swap_pmd, is_pmd_migration_entry,
//#      pmd_trans_huge, pmd_leaf (pgtable.h: "a leaf entry is always
//#      present"), and for puds pud_present, pud_trans_huge, pud_leaf.  For
//#      a snapshot x = *pmd taken under the lock, a test of either x or *pmd
//#      counts.  Short-circuit guards (pmd_present(x) && pmd_dirty(x),
//#      !pmd_present(x) || ..., pmd_present(x) ? pmd_pfn(x) : ...) count.
//#   B2 Functions returning non-NULL only for a present entry:
//#      can_gather_numa_stats_pmd() (returns NULL if !pmd_present()), so a
//#      use after "page = can_gather_numa_stats_pmd(*pmd, ..); if (page)"
//#      is guarded (gather_pte_stats).
//#   B3 vmf->orig_pmd in the PMD fault handlers is present:
//#      __handle_mm_fault() returns early on !pmd_present(vmf.orig_pmd)
//#      (the modern form of seed 000's __handle_mm_fault hunk) before
//#      calling do_huge_pmd_numa_page, wp_huge_pmd -> do_huge_pmd_wp_page,
//#      huge_pmd_set_accessed.  A4 therefore applies to a pmd_t parameter,
//#      not to vmf->orig_pmd read inside these handlers.
//#   B4 pud_trans_huge_lock()/__pud_trans_huge_lock() return the PTL only for
//#      pud_trans_huge()/pud_devmap() entries: 6.12 has no PUD swap or
//#      migration entries outside hugetlb, so the locked pud is present.
//#   B5 is_huge_zero_pmd() tests pmd_present() itself in 6.12
//#      (include/linux/huge_mm.h), so it is not treated as a present-only
//#      accessor (it was one in seed 000's time: is_huge_zero_page(pmd_page())).
//#      Its false branch does not establish presence either.
//#
//# Limitations: no inter-procedural flow beyond A3/B3 and the in-file
//# discovery; a presence test anywhere on the path counts even if its
//# result is ignored; page_vma_mapped_walk() PMD results are not modelled.
//
// Confidence: Moderate
// Copyright: (C) 2026 pmdsafe
// Options: --no-includes --include-headers
// Keywords: pmd_trans_huge_lock, pmd_present, is_swap_pmd, migration entry, THP

virtual report
virtual org
virtual context

@initialize:python@
@@
seen = set()

import re
_ifdef_re = re.compile(r"^\s*#\s*if(def\s+CONFIG_ARCH_ENABLE_THP_MIGRATION|\s+.*IS_ENABLED\(CONFIG_ARCH_ENABLE_THP_MIGRATION\))")
_ptest_re = re.compile(r"\b(pmd_present|is_swap_pmd|is_pmd_migration_entry)\s*\(")

def thp_migration_ifdef_guard(fname, line):
    # Contract B6: a presence test inside "#ifdef CONFIG_ARCH_ENABLE_THP_MIGRATION"
    # earlier in the same function dominates the use: without that option
    # no PMD swap/migration entry can exist.  The Coccinelle CFG has a path
    # that skips the ifdef block, so the guard is checked textually here.
    try:
        lines = open(fname).read().splitlines()
    except OSError:
        return False
    i = int(line) - 1
    start = i
    while start > 0 and lines[start] != "{":
        start -= 1
    depth = 0
    guarded = False
    for l in lines[start:i]:
        if _ifdef_re.match(l):
            depth = 1
            continue
        if depth and re.match(r"^\s*#\s*if", l):
            depth += 1
            continue
        if depth and re.match(r"^\s*#\s*endif", l):
            depth -= 1
            continue
        if depth and _ptest_re.search(l):
            guarded = True
    return guarded

def emit(p, msg, mode):
    key = (p[0].file, p[0].line, p[0].column)
    if (key, mode) in seen:
        return
    if thp_migration_ifdef_guard(p[0].file, p[0].line):
        return
    seen.add((key, mode))
    if mode == "report":
        coccilib.report.print_report(p[0], msg)
    else:
        coccilib.org.print_todo(p[0], msg)

//----------------------------------------------------------------------
// B1: uses guarded by a short-circuit test inside the same expression,
// e.g. "pmd_present(orig_pmd) && pmd_dirty(orig_pmd)" (zap_huge_pmd).
//----------------------------------------------------------------------
@guard@
expression E, E1, E2;
identifier ptest = {pmd_present, is_pmd_migration_entry, pmd_trans_huge,
                    pmd_leaf, pud_present, pud_trans_huge, pud_leaf};
identifier acc = {pmd_page, pmd_pfn, pmd_folio, pmd_write, pmd_young,
                  pmd_dirty, pmd_soft_dirty, pmd_uffd_wp, pmd_special,
                  pmd_devmap, pud_devmap, pud_page, pud_pfn, pud_folio, pud_write, pud_young,
                  pud_dirty, pud_soft_dirty, pud_special};
identifier acc3 = {vm_normal_page_pmd, vm_normal_folio_pmd,
                   vm_normal_page_pud};
position gp;
@@
(
 ptest(E) && <+... \(acc(E)@gp\|acc3(E1, E2, E)@gp\) ...+>
|
 !ptest(E) || <+... \(acc(E)@gp\|acc3(E1, E2, E)@gp\) ...+>
|
 !is_swap_pmd(E) && <+... \(acc(E)@gp\|acc3(E1, E2, E)@gp\) ...+>
|
 \(is_swap_pmd(E)\|is_pmd_migration_entry(E)\) || <+... \(acc(E)@gp\|acc3(E1, E2, E)@gp\) ...+>
|
 ptest(E) ? <+... \(acc(E)@gp\|acc3(E1, E2, E)@gp\) ...+> : E1
)

//----------------------------------------------------------------------
// pmd_none() tests combined with a presence test in the same condition
// ("pmd_none(x) || is_pmd_migration_entry(x)") are not A2 sources.
//----------------------------------------------------------------------
@nonesrc@
expression E, E1;
identifier ptest = {pmd_present, is_swap_pmd, is_pmd_migration_entry,
                    pmd_trans_huge, pmd_leaf};
position pn;
@@
(
 pmd_none(E)@pn || <+... ptest(E, ...) ...+>
|
 !pmd_none(E)@pn && <+... ptest(E, ...) ...+>
|
 E1 || pmd_none(E)@pn || <+... ptest(E, ...) ...+>
|
 <+... ptest(E, ...) ...+> || pmd_none(E)@pn
|
 <+... ptest(E, ...) ...+> && !pmd_none(E)@pn
)

//----------------------------------------------------------------------
// A1: use on the path where pmd_trans_huge_lock() returned the PTL; the
// entry may be a swap/migration entry.  Seed 000: clear_refs_pte_range,
// pagemap_pmd_range, change_huge_pmd, madvise_free_huge_pmd, zap_huge_pmd.
//----------------------------------------------------------------------
@a1 depends on report || org || context exists@
typedef pmd_t;
expression p, vma, E1, E2, E3;
identifier x;
local idexpression pmd_t y;
type T;
identifier ptest = {pmd_present, is_swap_pmd, is_pmd_migration_entry,
                    pmd_trans_huge, pmd_leaf, can_gather_numa_stats_pmd};
identifier acc = {pmd_page, pmd_pfn, pmd_folio, pmd_write, pmd_young,
                  pmd_dirty, pmd_soft_dirty, pmd_uffd_wp, pmd_special,
                  pmd_devmap};
identifier acc3 = {vm_normal_page_pmd, vm_normal_folio_pmd};
identifier accp = {pmdp_invalidate, pmdp_invalidate_ad};
identifier getp = {pmdp_get, pmdp_get_lockless};
identifier clr = {pmdp_huge_get_and_clear, pmdp_huge_get_and_clear_full,
                  pmdp_huge_clear_flush};
position pl;
position pos != guard.gp;
@@
\(pmd_trans_huge_lock\|__pmd_trans_huge_lock\)(p, vma)@pl
... when != ptest(*p, ...)
    when != ptest(getp(p), ...)
    when != ptest(y, ...)
    when != p = E3
\(acc(*p)@pos\|acc(getp(p))@pos\|acc3(E1, E2, *p)@pos\|acc3(E1, E2, getp(p))@pos\|accp(E1, E2, p)@pos\)

//----------------------------------------------------------------------
// A1 through a snapshot: x = *pmd / pmdp_get(pmd) / pmdp_huge_get_and_clear*()
//----------------------------------------------------------------------
@a1s depends on report || org || context exists@
typedef pmd_t;
expression p, vma, E1, E2, E3;
identifier x;
local idexpression pmd_t y;
type T;
identifier ptest = {pmd_present, is_swap_pmd, is_pmd_migration_entry,
                    pmd_trans_huge, pmd_leaf, can_gather_numa_stats_pmd};
identifier acc = {pmd_page, pmd_pfn, pmd_folio, pmd_write, pmd_young,
                  pmd_dirty, pmd_soft_dirty, pmd_uffd_wp, pmd_special,
                  pmd_devmap};
identifier acc3 = {vm_normal_page_pmd, vm_normal_folio_pmd};
identifier accp = {pmdp_invalidate, pmdp_invalidate_ad};
identifier getp = {pmdp_get, pmdp_get_lockless};
identifier clr = {pmdp_huge_get_and_clear, pmdp_huge_get_and_clear_full,
                  pmdp_huge_clear_flush};
position pl;
position pos != guard.gp;
@@
\(pmd_trans_huge_lock\|__pmd_trans_huge_lock\)(p, vma)@pl
... when != ptest(*p, ...)
    when != ptest(getp(p), ...)
    when != ptest(y, ...)
    when != p = E3
x = \(*p\|getp(p)\|clr(E1, E2, p, ...)\);
... when != ptest(x, ...)
    when != ptest(*p, ...)
    when != ptest(getp(p), ...)
    when != x = E3
    when != p = E3
\(acc(x)@pos\|acc3(E1, E2, x)@pos\)

@a1d depends on report || org || context exists@
typedef pmd_t;
expression p, vma, E1, E2, E3;
identifier x;
local idexpression pmd_t y;
type T;
identifier ptest = {pmd_present, is_swap_pmd, is_pmd_migration_entry,
                    pmd_trans_huge, pmd_leaf, can_gather_numa_stats_pmd};
identifier acc = {pmd_page, pmd_pfn, pmd_folio, pmd_write, pmd_young,
                  pmd_dirty, pmd_soft_dirty, pmd_uffd_wp, pmd_special,
                  pmd_devmap};
identifier acc3 = {vm_normal_page_pmd, vm_normal_folio_pmd};
identifier accp = {pmdp_invalidate, pmdp_invalidate_ad};
identifier getp = {pmdp_get, pmdp_get_lockless};
identifier clr = {pmdp_huge_get_and_clear, pmdp_huge_get_and_clear_full,
                  pmdp_huge_clear_flush};
position pl;
position pos != guard.gp;
@@
\(pmd_trans_huge_lock\|__pmd_trans_huge_lock\)(p, vma)@pl
... when != ptest(*p, ...)
    when != ptest(getp(p), ...)
    when != ptest(y, ...)
    when != p = E3
T x = \(*p\|getp(p)\|clr(E1, E2, p, ...)\);
... when != ptest(x, ...)
    when != ptest(*p, ...)
    when != ptest(getp(p), ...)
    when != x = E3
    when != p = E3
\(acc(x)@pos\|acc3(E1, E2, x)@pos\)

//----------------------------------------------------------------------
// A3 (discovery): a function of the same file that is called with the pmd
// locked by pmd_trans_huge_lock() before any presence test receives a
// possibly non-present entry.  Seed 000: smaps_pte_range -> smaps_pmd_entry.
//----------------------------------------------------------------------
@a3_disc depends on report || org || context exists@
expression p, vma, E3;
identifier f !~ "^(spin_unlock|pmd_present|is_swap_pmd|is_pmd_migration_entry|pmd_trans_huge|pmd_leaf|pmd_none|pmd_devmap|pmd_lockptr|pmdp_get|pmdp_get_lockless|pte_offset_map_lock|pte_offset_map|pte_offset_map_nolock|split_huge_pmd|__split_huge_pmd|set_pmd_at|pmd_same|can_gather_numa_stats_pmd)$";
identifier ptest = {pmd_present, is_swap_pmd, is_pmd_migration_entry,
                    pmd_trans_huge, pmd_leaf, can_gather_numa_stats_pmd};
identifier getp = {pmdp_get, pmdp_get_lockless};
@@
\(pmd_trans_huge_lock\|__pmd_trans_huge_lock\)(p, vma)
... when != ptest(*p, ...)
    when != ptest(getp(p), ...)
    when != p = E3
f(..., \(p\|*p\|getp(p)\), ...)

//----------------------------------------------------------------------
// A3: callees handed a possibly non-present pmd (explicit contract list).
// Pointer parameter.
//----------------------------------------------------------------------
@a3p depends on report || org || context exists@
typedef pmd_t;
identifier fn = {smaps_pmd_entry, clear_soft_dirty_pmd, make_uffd_wp_pmd,
                 pagemap_thp_category, can_gather_numa_stats_pmd,
                 queue_folios_pmd, check_hwpoisoned_pmd_entry,
                 get_mctgt_type_thp};
identifier q, x;
local idexpression pmd_t y;
type T, T2;
expression E1, E2, E3;
identifier ptest = {pmd_present, is_swap_pmd, is_pmd_migration_entry,
                    pmd_trans_huge, pmd_leaf, can_gather_numa_stats_pmd};
identifier acc = {pmd_page, pmd_pfn, pmd_folio, pmd_write, pmd_young,
                  pmd_dirty, pmd_soft_dirty, pmd_uffd_wp, pmd_special,
                  pmd_devmap};
identifier acc3 = {vm_normal_page_pmd, vm_normal_folio_pmd};
identifier accp = {pmdp_invalidate, pmdp_invalidate_ad};
identifier getp = {pmdp_get, pmdp_get_lockless};
position pos != guard.gp;
@@
T fn(..., pmd_t *q, ...)
{
... when != ptest(*q, ...)
    when != ptest(getp(q), ...)
    when != ptest(y, ...)
    when != q = E3
\(acc(*q)@pos\|acc(getp(q))@pos\|acc3(E1, E2, *q)@pos\|acc3(E1, E2, getp(q))@pos\|accp(E1, E2, q)@pos\)
... when any
}

@a3ps depends on report || org || context exists@
typedef pmd_t;
identifier fn = {smaps_pmd_entry, clear_soft_dirty_pmd, make_uffd_wp_pmd,
                 pagemap_thp_category, can_gather_numa_stats_pmd,
                 queue_folios_pmd, check_hwpoisoned_pmd_entry,
                 get_mctgt_type_thp};
identifier q, x;
local idexpression pmd_t y;
type T, T2;
expression E1, E2, E3;
identifier ptest = {pmd_present, is_swap_pmd, is_pmd_migration_entry,
                    pmd_trans_huge, pmd_leaf, can_gather_numa_stats_pmd};
identifier acc = {pmd_page, pmd_pfn, pmd_folio, pmd_write, pmd_young,
                  pmd_dirty, pmd_soft_dirty, pmd_uffd_wp, pmd_special,
                  pmd_devmap};
identifier acc3 = {vm_normal_page_pmd, vm_normal_folio_pmd};
identifier accp = {pmdp_invalidate, pmdp_invalidate_ad};
identifier getp = {pmdp_get, pmdp_get_lockless};
position pos != guard.gp;
@@
T fn(..., pmd_t *q, ...)
{
... when != ptest(*q, ...)
    when != ptest(getp(q), ...)
    when != ptest(y, ...)
    when != q = E3
x = \(*q\|getp(q)\);
... when != ptest(x, ...)
    when != ptest(*q, ...)
    when != ptest(getp(q), ...)
    when != x = E3
\(acc(x)@pos\|acc3(E1, E2, x)@pos\)
... when any
}

@a3pd depends on report || org || context exists@
typedef pmd_t;
identifier fn = {smaps_pmd_entry, clear_soft_dirty_pmd, make_uffd_wp_pmd,
                 pagemap_thp_category, can_gather_numa_stats_pmd,
                 queue_folios_pmd, check_hwpoisoned_pmd_entry,
                 get_mctgt_type_thp};
identifier q, x;
local idexpression pmd_t y;
type T, T2;
expression E1, E2, E3;
identifier ptest = {pmd_present, is_swap_pmd, is_pmd_migration_entry,
                    pmd_trans_huge, pmd_leaf, can_gather_numa_stats_pmd};
identifier acc = {pmd_page, pmd_pfn, pmd_folio, pmd_write, pmd_young,
                  pmd_dirty, pmd_soft_dirty, pmd_uffd_wp, pmd_special,
                  pmd_devmap};
identifier acc3 = {vm_normal_page_pmd, vm_normal_folio_pmd};
identifier accp = {pmdp_invalidate, pmdp_invalidate_ad};
identifier getp = {pmdp_get, pmdp_get_lockless};
position pos != guard.gp;
@@
T fn(..., pmd_t *q, ...)
{
... when != ptest(*q, ...)
    when != ptest(getp(q), ...)
    when != ptest(y, ...)
    when != q = E3
T2 x = \(*q\|getp(q)\);
... when != ptest(x, ...)
    when != ptest(*q, ...)
    when != ptest(getp(q), ...)
    when != x = E3
\(acc(x)@pos\|acc3(E1, E2, x)@pos\)
... when any
}

//----------------------------------------------------------------------
// A3 with a pmd_t value parameter (get_mctgt_type_thp, pagemap_thp_category,
// can_gather_numa_stats_pmd take the entry by value).
//----------------------------------------------------------------------
@a3v depends on report || org || context exists@
typedef pmd_t;
identifier fn = {smaps_pmd_entry, clear_soft_dirty_pmd, make_uffd_wp_pmd,
                 pagemap_thp_category, can_gather_numa_stats_pmd,
                 queue_folios_pmd, check_hwpoisoned_pmd_entry,
                 get_mctgt_type_thp};
identifier q;
type T;
expression E1, E2, E3;
identifier ptest = {pmd_present, is_swap_pmd, is_pmd_migration_entry,
                    pmd_trans_huge, pmd_leaf, can_gather_numa_stats_pmd};
identifier acc = {pmd_page, pmd_pfn, pmd_folio, pmd_write, pmd_young,
                  pmd_dirty, pmd_soft_dirty, pmd_uffd_wp, pmd_special,
                  pmd_devmap};
identifier acc3 = {vm_normal_page_pmd, vm_normal_folio_pmd};
position pos != guard.gp;
@@
T fn(..., pmd_t q, ...)
{
... when != ptest(q, ...)
    when != q = E3
\(acc(q)@pos\|acc3(E1, E2, q)@pos\)
... when any
}

//----------------------------------------------------------------------
// A3: same, for callees discovered by a3_disc in this file.
//----------------------------------------------------------------------
@a3dp depends on report || org || context exists@
typedef pmd_t;
identifier a3_disc.f;
identifier q, x;
local idexpression pmd_t y;
type T, T2;
expression E1, E2, E3;
identifier ptest = {pmd_present, is_swap_pmd, is_pmd_migration_entry,
                    pmd_trans_huge, pmd_leaf, can_gather_numa_stats_pmd};
identifier acc = {pmd_page, pmd_pfn, pmd_folio, pmd_write, pmd_young,
                  pmd_dirty, pmd_soft_dirty, pmd_uffd_wp, pmd_special,
                  pmd_devmap};
identifier acc3 = {vm_normal_page_pmd, vm_normal_folio_pmd};
identifier accp = {pmdp_invalidate, pmdp_invalidate_ad};
identifier getp = {pmdp_get, pmdp_get_lockless};
position pos != guard.gp;
@@
T f(..., pmd_t *q, ...)
{
... when != ptest(*q, ...)
    when != ptest(getp(q), ...)
    when != ptest(y, ...)
    when != q = E3
\(acc(*q)@pos\|acc(getp(q))@pos\|acc3(E1, E2, *q)@pos\|acc3(E1, E2, getp(q))@pos\|accp(E1, E2, q)@pos\)
... when any
}

@a3dps depends on report || org || context exists@
typedef pmd_t;
identifier a3_disc.f;
identifier q, x;
local idexpression pmd_t y;
type T, T2;
expression E1, E2, E3;
identifier ptest = {pmd_present, is_swap_pmd, is_pmd_migration_entry,
                    pmd_trans_huge, pmd_leaf, can_gather_numa_stats_pmd};
identifier acc = {pmd_page, pmd_pfn, pmd_folio, pmd_write, pmd_young,
                  pmd_dirty, pmd_soft_dirty, pmd_uffd_wp, pmd_special,
                  pmd_devmap};
identifier acc3 = {vm_normal_page_pmd, vm_normal_folio_pmd};
identifier accp = {pmdp_invalidate, pmdp_invalidate_ad};
identifier getp = {pmdp_get, pmdp_get_lockless};
position pos != guard.gp;
@@
T f(..., pmd_t *q, ...)
{
... when != ptest(*q, ...)
    when != ptest(getp(q), ...)
    when != ptest(y, ...)
    when != q = E3
x = \(*q\|getp(q)\);
... when != ptest(x, ...)
    when != ptest(*q, ...)
    when != ptest(getp(q), ...)
    when != x = E3
\(acc(x)@pos\|acc3(E1, E2, x)@pos\)
... when any
}

@a3dpd depends on report || org || context exists@
typedef pmd_t;
identifier a3_disc.f;
identifier q, x;
local idexpression pmd_t y;
type T, T2;
expression E1, E2, E3;
identifier ptest = {pmd_present, is_swap_pmd, is_pmd_migration_entry,
                    pmd_trans_huge, pmd_leaf, can_gather_numa_stats_pmd};
identifier acc = {pmd_page, pmd_pfn, pmd_folio, pmd_write, pmd_young,
                  pmd_dirty, pmd_soft_dirty, pmd_uffd_wp, pmd_special,
                  pmd_devmap};
identifier acc3 = {vm_normal_page_pmd, vm_normal_folio_pmd};
identifier accp = {pmdp_invalidate, pmdp_invalidate_ad};
identifier getp = {pmdp_get, pmdp_get_lockless};
position pos != guard.gp;
@@
T f(..., pmd_t *q, ...)
{
... when != ptest(*q, ...)
    when != ptest(getp(q), ...)
    when != ptest(y, ...)
    when != q = E3
T2 x = \(*q\|getp(q)\);
... when != ptest(x, ...)
    when != ptest(*q, ...)
    when != ptest(getp(q), ...)
    when != x = E3
\(acc(x)@pos\|acc3(E1, E2, x)@pos\)
... when any
}

@a3dv depends on report || org || context exists@
typedef pmd_t;
identifier a3_disc.f;
identifier q;
type T;
expression E1, E2, E3;
identifier ptest = {pmd_present, is_swap_pmd, is_pmd_migration_entry,
                    pmd_trans_huge, pmd_leaf, can_gather_numa_stats_pmd};
identifier acc = {pmd_page, pmd_pfn, pmd_folio, pmd_write, pmd_young,
                  pmd_dirty, pmd_soft_dirty, pmd_uffd_wp, pmd_special,
                  pmd_devmap};
identifier acc3 = {vm_normal_page_pmd, vm_normal_folio_pmd};
position pos != guard.gp;
@@
T f(..., pmd_t q, ...)
{
... when != ptest(q, ...)
    when != q = E3
\(acc(q)@pos\|acc3(E1, E2, q)@pos\)
... when any
}

//----------------------------------------------------------------------
// A2: only pmd_none() was tested: a swap/migration entry is not none.
// Contract B7: insert_pfn_pmd()/insert_pfn_pud() only run on VM_PFNMAP/VM_MIXEDMAP
// (and fsdax) VMAs, whose PMDs are never swap or migration entries.
//----------------------------------------------------------------------
@a2 depends on report || org || context exists@
typedef pmd_t;
expression E, E1, E2, E3;
type T;
identifier fn != {insert_pfn_pmd, insert_pfn_pud};
position pn != nonesrc.pn;
identifier ptest = {pmd_present, is_swap_pmd, is_pmd_migration_entry,
                    pmd_trans_huge, pmd_leaf, can_gather_numa_stats_pmd};
identifier acc = {pmd_page, pmd_pfn, pmd_folio, pmd_write, pmd_young,
                  pmd_dirty, pmd_soft_dirty, pmd_uffd_wp, pmd_special,
                  pmd_devmap};
identifier acc3 = {vm_normal_page_pmd, vm_normal_folio_pmd};
position pos != guard.gp;
@@
T fn(...)
{
... when any
pmd_none(E)@pn
... when != ptest(E, ...)
    when != E = E3
\(acc(E)@pos\|acc3(E1, E2, E)@pos\)
... when any
}

//----------------------------------------------------------------------
// A4: pmd_t parameter revalidated only with pmd_same() under the PTL: identity
// is not presence.  Seed 000: do_huge_pmd_wp_page(vmf, orig_pmd).  vmf->orig_pmd
// read inside the fault handlers is covered by contract B3.
//----------------------------------------------------------------------
@a4 depends on report || org || context exists@
typedef pmd_t;
identifier fn, x;
type T;
expression E1, E2, E3;
identifier ptest = {pmd_present, is_swap_pmd, is_pmd_migration_entry,
                    pmd_trans_huge, pmd_leaf, can_gather_numa_stats_pmd};
identifier acc = {pmd_page, pmd_pfn, pmd_folio, pmd_write, pmd_young,
                  pmd_dirty, pmd_soft_dirty, pmd_uffd_wp, pmd_special,
                  pmd_devmap};
identifier acc3 = {vm_normal_page_pmd, vm_normal_folio_pmd};
position pos != guard.gp;
@@
T fn(..., pmd_t x, ...)
{
... when != ptest(x, ...)
    when != x = E3
\(pmd_same(x, E1)\|pmd_same(E1, x)\)
... when != ptest(x, ...)
    when != x = E3
\(acc(x)@pos\|acc3(E1, E2, x)@pos\)
... when any
}

//----------------------------------------------------------------------
// C: use inside a branch that knows the entry is NOT present.
//----------------------------------------------------------------------
@cnp depends on report || org || context@
typedef pmd_t;
expression E, E1, E2;
statement S;
identifier acc = {pmd_page, pmd_pfn, pmd_folio, pmd_write, pmd_young,
                  pmd_dirty, pmd_soft_dirty, pmd_uffd_wp, pmd_special,
                  pmd_devmap, pud_devmap, pud_page, pud_pfn, pud_folio, pud_write, pud_young,
                  pud_dirty, pud_soft_dirty, pud_special};
identifier acc3 = {vm_normal_page_pmd, vm_normal_folio_pmd};
position pos != guard.gp;
@@
(
 if (\(is_swap_pmd(E)\|!pmd_present(E)\|is_pmd_migration_entry(E)\|!pud_present(E)\))
 {
 <...
\(acc(E)@pos\|acc3(E1, E2, E)@pos\)
 ...>
 }
|
 if (\(is_swap_pmd(E)\|!pmd_present(E)\|is_pmd_migration_entry(E)\|!pud_present(E)\))
 {
 <...
\(acc(E)@pos\|acc3(E1, E2, E)@pos\)
 ...>
 } else S
)

//----------------------------------------------------------------------
// D (inverse): swap-entry accessor on an entry known to be present.
//----------------------------------------------------------------------
@dsw depends on report || org || context exists@
typedef pmd_t;
expression E, E3;
statement S;
identifier l;
identifier swacc = {pmd_to_swp_entry, pmd_swp_soft_dirty, pmd_swp_uffd_wp,
                    pmd_swp_mksoft_dirty, pmd_swp_clear_soft_dirty,
                    pmd_swp_mkuffd_wp, pmd_swp_clear_uffd_wp,
                    pmd_swp_exclusive};
position pos != guard.gp;
@@
(
 if (\(pmd_present(E)\|pmd_trans_huge(E)\|pmd_leaf(E)\|!is_swap_pmd(E)\))
 {
 <...
 swacc(E)@pos
 ...>
 }
|
 if (\(pmd_present(E)\|pmd_trans_huge(E)\|pmd_leaf(E)\|!is_swap_pmd(E)\))
 {
 <...
 swacc(E)@pos
 ...>
 } else S
|
 if (\(!pmd_present(E)\|is_swap_pmd(E)\|is_pmd_migration_entry(E)\)) \(return ...;\|goto l;\|continue;\|break;\)
 ... when != E = E3
 swacc(E)@pos
)

//----------------------------------------------------------------------
// Context mode: mark the uses found above
//----------------------------------------------------------------------
@depends on context@
position a1.pos;
identifier fc;
@@
* fc(...)@pos

@depends on context@
position a1s.pos;
identifier fc;
@@
* fc(...)@pos

@depends on context@
position a1d.pos;
identifier fc;
@@
* fc(...)@pos

@depends on context@
position a3p.pos;
identifier fc;
@@
* fc(...)@pos

@depends on context@
position a3ps.pos;
identifier fc;
@@
* fc(...)@pos

@depends on context@
position a3pd.pos;
identifier fc;
@@
* fc(...)@pos

@depends on context@
position a3v.pos;
identifier fc;
@@
* fc(...)@pos

@depends on context@
position a3dp.pos;
identifier fc;
@@
* fc(...)@pos

@depends on context@
position a3dps.pos;
identifier fc;
@@
* fc(...)@pos

@depends on context@
position a3dpd.pos;
identifier fc;
@@
* fc(...)@pos

@depends on context@
position a3dv.pos;
identifier fc;
@@
* fc(...)@pos

@depends on context@
position a2.pos;
identifier fc;
@@
* fc(...)@pos

@depends on context@
position a4.pos;
identifier fc;
@@
* fc(...)@pos

@depends on context@
position cnp.pos;
identifier fc;
@@
* fc(...)@pos

@depends on context@
position dsw.pos;
identifier fc;
@@
* fc(...)@pos

//----------------------------------------------------------------------
// Output (deduplicated: a use may be matched by several sources)
//----------------------------------------------------------------------
@script:python depends on report@
p << a1.pos;
pl << a1.pl;
@@
msg = "present-only accessor on a pmd that pmd_trans_huge_lock() (line %s) may have returned as a swap/migration entry; test pmd_present() first" % pl[0].line
emit(p, msg, "report")

@script:python depends on org@
p << a1.pos;
pl << a1.pl;
@@
msg = "present-only accessor on a pmd that pmd_trans_huge_lock() (line %s) may have returned as a swap/migration entry; test pmd_present() first" % pl[0].line
emit(p, msg, "org")

@script:python depends on report@
p << a1s.pos;
pl << a1s.pl;
@@
msg = "present-only accessor on a pmd that pmd_trans_huge_lock() (line %s) may have returned as a swap/migration entry; test pmd_present() first" % pl[0].line
emit(p, msg, "report")

@script:python depends on org@
p << a1s.pos;
pl << a1s.pl;
@@
msg = "present-only accessor on a pmd that pmd_trans_huge_lock() (line %s) may have returned as a swap/migration entry; test pmd_present() first" % pl[0].line
emit(p, msg, "org")

@script:python depends on report@
p << a1d.pos;
pl << a1d.pl;
@@
msg = "present-only accessor on a pmd that pmd_trans_huge_lock() (line %s) may have returned as a swap/migration entry; test pmd_present() first" % pl[0].line
emit(p, msg, "report")

@script:python depends on org@
p << a1d.pos;
pl << a1d.pl;
@@
msg = "present-only accessor on a pmd that pmd_trans_huge_lock() (line %s) may have returned as a swap/migration entry; test pmd_present() first" % pl[0].line
emit(p, msg, "org")

@script:python depends on report@
p << a3p.pos;
@@
msg = "present-only accessor on a pmd that callers pass from pmd_trans_huge_lock() without a presence test (may be a swap/migration entry); test pmd_present() first"
emit(p, msg, "report")

@script:python depends on org@
p << a3p.pos;
@@
msg = "present-only accessor on a pmd that callers pass from pmd_trans_huge_lock() without a presence test (may be a swap/migration entry); test pmd_present() first"
emit(p, msg, "org")

@script:python depends on report@
p << a3ps.pos;
@@
msg = "present-only accessor on a pmd that callers pass from pmd_trans_huge_lock() without a presence test (may be a swap/migration entry); test pmd_present() first"
emit(p, msg, "report")

@script:python depends on org@
p << a3ps.pos;
@@
msg = "present-only accessor on a pmd that callers pass from pmd_trans_huge_lock() without a presence test (may be a swap/migration entry); test pmd_present() first"
emit(p, msg, "org")

@script:python depends on report@
p << a3pd.pos;
@@
msg = "present-only accessor on a pmd that callers pass from pmd_trans_huge_lock() without a presence test (may be a swap/migration entry); test pmd_present() first"
emit(p, msg, "report")

@script:python depends on org@
p << a3pd.pos;
@@
msg = "present-only accessor on a pmd that callers pass from pmd_trans_huge_lock() without a presence test (may be a swap/migration entry); test pmd_present() first"
emit(p, msg, "org")

@script:python depends on report@
p << a3v.pos;
@@
msg = "present-only accessor on a pmd that callers pass from pmd_trans_huge_lock() without a presence test (may be a swap/migration entry); test pmd_present() first"
emit(p, msg, "report")

@script:python depends on org@
p << a3v.pos;
@@
msg = "present-only accessor on a pmd that callers pass from pmd_trans_huge_lock() without a presence test (may be a swap/migration entry); test pmd_present() first"
emit(p, msg, "org")

@script:python depends on report@
p << a3dp.pos;
@@
msg = "present-only accessor on a pmd that callers pass from pmd_trans_huge_lock() without a presence test (may be a swap/migration entry); test pmd_present() first"
emit(p, msg, "report")

@script:python depends on org@
p << a3dp.pos;
@@
msg = "present-only accessor on a pmd that callers pass from pmd_trans_huge_lock() without a presence test (may be a swap/migration entry); test pmd_present() first"
emit(p, msg, "org")

@script:python depends on report@
p << a3dps.pos;
@@
msg = "present-only accessor on a pmd that callers pass from pmd_trans_huge_lock() without a presence test (may be a swap/migration entry); test pmd_present() first"
emit(p, msg, "report")

@script:python depends on org@
p << a3dps.pos;
@@
msg = "present-only accessor on a pmd that callers pass from pmd_trans_huge_lock() without a presence test (may be a swap/migration entry); test pmd_present() first"
emit(p, msg, "org")

@script:python depends on report@
p << a3dpd.pos;
@@
msg = "present-only accessor on a pmd that callers pass from pmd_trans_huge_lock() without a presence test (may be a swap/migration entry); test pmd_present() first"
emit(p, msg, "report")

@script:python depends on org@
p << a3dpd.pos;
@@
msg = "present-only accessor on a pmd that callers pass from pmd_trans_huge_lock() without a presence test (may be a swap/migration entry); test pmd_present() first"
emit(p, msg, "org")

@script:python depends on report@
p << a3dv.pos;
@@
msg = "present-only accessor on a pmd that callers pass from pmd_trans_huge_lock() without a presence test (may be a swap/migration entry); test pmd_present() first"
emit(p, msg, "report")

@script:python depends on org@
p << a3dv.pos;
@@
msg = "present-only accessor on a pmd that callers pass from pmd_trans_huge_lock() without a presence test (may be a swap/migration entry); test pmd_present() first"
emit(p, msg, "org")

@script:python depends on report@
p << a2.pos;
@@
msg = "present-only accessor on a pmd only tested with pmd_none(): a swap/migration entry is not none; test pmd_present()"
emit(p, msg, "report")

@script:python depends on org@
p << a2.pos;
@@
msg = "present-only accessor on a pmd only tested with pmd_none(): a swap/migration entry is not none; test pmd_present()"
emit(p, msg, "org")

@script:python depends on report@
p << a4.pos;
@@
msg = "present-only accessor on a pmd value revalidated only with pmd_same(): identity is not presence; test pmd_present()"
emit(p, msg, "report")

@script:python depends on org@
p << a4.pos;
@@
msg = "present-only accessor on a pmd value revalidated only with pmd_same(): identity is not presence; test pmd_present()"
emit(p, msg, "org")

@script:python depends on report@
p << cnp.pos;
@@
msg = "present-only accessor in a branch where the pmd is known not to be present"
emit(p, msg, "report")

@script:python depends on org@
p << cnp.pos;
@@
msg = "present-only accessor in a branch where the pmd is known not to be present"
emit(p, msg, "org")

@script:python depends on report@
p << dsw.pos;
@@
msg = "swap-entry accessor on a pmd known to be present"
emit(p, msg, "report")

@script:python depends on org@
p << dsw.pos;
@@
msg = "swap-entry accessor on a pmd known to be present"
emit(p, msg, "org")
