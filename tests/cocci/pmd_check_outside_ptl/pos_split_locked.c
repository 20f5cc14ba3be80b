// SPDX-License-Identifier: GPL-2.0-only
/*
 * Positive: seed 002 '-' side with the 6.12 helper structure.  The contract
 * list (C2) says split_huge_pmd_locked() re-tests the folio identity under
 * the PTL; here it is defined in the same file WITHOUT that re-test, so the
 * in-file definition overrides the contract and the caller's lockless
 * identity check is reported.
 */
void split_huge_pmd_locked(struct vm_area_struct *vma, unsigned long address,
			   pmd_t *pmd, bool freeze, struct folio *folio)
{
	if (pmd_trans_huge(*pmd) || pmd_devmap(*pmd) ||
	    is_pmd_migration_entry(*pmd))
		__split_huge_pmd_locked(vma, pmd, address, freeze);
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
	if (folio && folio != pmd_folio(*pmd)) /* BUG */
		return;
	__split_huge_pmd(vma, pmd, address, freeze, folio);
}
