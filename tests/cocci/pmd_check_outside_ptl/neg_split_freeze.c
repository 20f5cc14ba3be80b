// SPDX-License-Identifier: GPL-2.0-only
/*
 * Negative: seed 002 '+' side in 6.12 style: the folio identity is checked
 * under the PTL by split_huge_pmd_locked(); callers do not pre-check.
 */
void split_huge_pmd_locked(struct vm_area_struct *vma, unsigned long address,
			   pmd_t *pmd, bool freeze, struct folio *folio)
{
	bool pmd_migration = is_pmd_migration_entry(*pmd);

	if (pmd_trans_huge(*pmd) || pmd_devmap(*pmd) || pmd_migration) {
		if (folio && (pmd_migration || folio != pmd_folio(*pmd)))
			return;
		__split_huge_pmd_locked(vma, pmd, address, freeze);
	}
}

void __split_huge_pmd(struct vm_area_struct *vma, pmd_t *pmd,
		      unsigned long address, bool freeze, struct folio *folio)
{
	spinlock_t *ptl;

	ptl = pmd_lock(vma->vm_mm, pmd);
	split_huge_pmd_locked(vma, address & HPAGE_PMD_MASK, pmd, freeze, folio);
	spin_unlock(ptl);
}

void split_huge_pmd_address(struct vm_area_struct *vma, unsigned long address,
			    bool freeze, struct folio *folio)
{
	pmd_t *pmd = mm_find_pmd(vma->vm_mm, address);

	if (!pmd)
		return;
	__split_huge_pmd(vma, pmd, address, freeze, folio);
}

/* the split_huge_pmd() macro body: state pre-test, helper re-tests */
static void split_if_huge(struct vm_area_struct *vma, pmd_t *pmd,
			  unsigned long address)
{
	if (is_swap_pmd(*pmd) || pmd_trans_huge(*pmd) || pmd_devmap(*pmd))
		__split_huge_pmd(vma, pmd, address, false, NULL);
}

/* seed 002 v2 '+' side: identity tested under the lock */
static void freeze_pmd_if_mapped(struct vm_area_struct *vma, pmd_t *pmd,
				 unsigned long address, struct page *page)
{
	spinlock_t *ptl;

	ptl = pmd_lock(vma->vm_mm, pmd);
	if (page != pmd_page(*pmd))
		goto out;
	__split_huge_pmd_locked(vma, pmd, address, true);
out:
	spin_unlock(ptl);
}
