// SPDX-License-Identifier: GPL-2.0-only
/*
 * Positive: seed 002 ("move pmd check inside ptl for freeze_page()"),
 * '-' side rewritten in 6.12 style.  split_huge_pmd_address() checks the
 * folio identity without the PTL; __split_huge_pmd() takes pmd_lock() and
 * re-tests only the state, so it may freeze (install migration entries
 * for) a different THP that replaced ours, or skip the split.
 */
void __split_huge_pmd(struct vm_area_struct *vma, pmd_t *pmd,
		      unsigned long address, bool freeze)
{
	spinlock_t *ptl;
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, vma->vm_mm,
				address & HPAGE_PMD_MASK,
				(address & HPAGE_PMD_MASK) + HPAGE_PMD_SIZE);
	mmu_notifier_invalidate_range_start(&range);
	ptl = pmd_lock(vma->vm_mm, pmd);
	if (pmd_trans_huge(*pmd) || pmd_devmap(*pmd) ||
	    is_pmd_migration_entry(*pmd))
		__split_huge_pmd_locked(vma, pmd, range.start, freeze);
	spin_unlock(ptl);
	mmu_notifier_invalidate_range_end(&range);
}

void split_huge_pmd_address(struct vm_area_struct *vma, unsigned long address,
			    bool freeze, struct folio *folio)
{
	pmd_t *pmd = mm_find_pmd(vma->vm_mm, address);

	if (!pmd)
		return;
	if (!pmd_present(*pmd) || (!pmd_trans_huge(*pmd) && !pmd_devmap(*pmd)))
		return;
	if (folio && folio != pmd_folio(*pmd)) /* BUG */
		return;
	__split_huge_pmd(vma, pmd, address, freeze);
}

/* The same race with the lock in the same function (seed 002 v1). */
static void freeze_pmd_if_mapped(struct vm_area_struct *vma, pmd_t *pmd,
				 unsigned long address, struct page *page)
{
	spinlock_t *ptl;

	if (page != pmd_page(*pmd)) /* BUG */
		return;
	ptl = pmd_lock(vma->vm_mm, pmd);
	__split_huge_pmd_locked(vma, pmd, address, true);
	spin_unlock(ptl);
}
