// SPDX-License-Identifier: GPL-2.0-only
/*
 * Positive: seed 000, fs/proc/task_mmu.c, '-' side rewritten in 6.12 style.
 * smaps_pte_range() hands the pmd locked by pmd_trans_huge_lock() to
 * smaps_pmd_entry() without pmd_present(); smaps_pmd_entry() only tests
 * pmd_none() and then treats the entry as a present THP.
 */
static void smaps_pmd_entry(pmd_t *pmd, unsigned long addr,
			    struct mm_walk *walk)
{
	struct mem_size_stats *mss = walk->private;
	struct vm_area_struct *vma = walk->vma;
	struct page *page;

	if (pmd_none(*pmd))
		return;
	page = vm_normal_page_pmd(vma, addr, *pmd); /* BUG */
	if (IS_ERR_OR_NULL(page))
		return;
	smaps_account(mss, page, true, pmd_young(*pmd), /* 2nd use: the first use on the path (line 17) is reported */
		      pmd_dirty(*pmd), false, true); 
}

static int smaps_pte_range(pmd_t *pmd, unsigned long addr, unsigned long end,
			   struct mm_walk *walk)
{
	struct vm_area_struct *vma = walk->vma;
	spinlock_t *ptl;

	ptl = pmd_trans_huge_lock(pmd, vma);
	if (ptl) {
		smaps_pmd_entry(pmd, addr, walk);
		spin_unlock(ptl);
		return 0;
	}
	return 0;
}

/*
 * Same shape, callee not in the explicit contract list: found by the
 * in-file discovery (a3_disc) of callees handed the locked pmd.
 */
static void numa_stat_pmd(pmd_t *pmdp, struct mm_walk *walk)
{
	pmd_t pmd = pmdp_get(pmdp);
	struct folio *folio = pmd_folio(pmd); /* BUG */

	account_folio(walk->private, folio);
}

static int numa_stat_pte_range(pmd_t *pmd, unsigned long addr,
			       unsigned long end, struct mm_walk *walk)
{
	spinlock_t *ptl = pmd_trans_huge_lock(pmd, walk->vma);

	if (ptl) {
		numa_stat_pmd(pmd, walk);
		spin_unlock(ptl);
	}
	return 0;
}
