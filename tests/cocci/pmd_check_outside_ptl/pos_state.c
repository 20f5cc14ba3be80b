// SPDX-License-Identifier: GPL-2.0-only
/*
 * Positive: state tests (pmd_trans_huge/pmd_present/pmd_none/pud_trans_huge)
 * done before pmd_lock()/pud_lock() and acted on under the lock without a
 * re-test, including a lockless snapshot reused after the lock.
 */
static int clear_huge_pmd(struct vm_area_struct *vma, pmd_t *pmd,
			  unsigned long addr)
{
	struct mm_struct *mm = vma->vm_mm;
	spinlock_t *ptl;
	pmd_t old;

	if (!pmd_trans_huge(*pmd)) /* BUG */
		return 0;
	ptl = pmd_lock(mm, pmd);
	old = pmdp_huge_clear_flush(vma, addr, pmd);
	spin_unlock(ptl);
	return pmd_young(old);
}

static int numa_touch_pmd(struct vm_area_struct *vma, pmd_t *pmd,
			  unsigned long addr)
{
	pmd_t orig = pmdp_get_lockless(pmd);
	struct folio *folio;
	spinlock_t *ptl;

	if (!pmd_trans_huge(orig)) /* BUG */
		return 0;
	ptl = pmd_lock(vma->vm_mm, pmd);
	folio = pmd_folio(orig);
	folio_mark_accessed(folio);
	spin_unlock(ptl);
	return 1;
}

static void wrprotect_pmd(struct vm_area_struct *vma, pmd_t *pmd,
			  unsigned long addr)
{
	spinlock_t *ptl;

	if (pmd_none(*pmd) || !pmd_present(*pmd)) /* BUG */
		return;
	spin_lock(pmd_lockptr(vma->vm_mm, pmd));
	pmdp_set_wrprotect(vma->vm_mm, addr, pmd);
	spin_unlock(pmd_lockptr(vma->vm_mm, pmd));
}

static void zap_pud_if_huge(struct vm_area_struct *vma, pud_t *pud,
			    unsigned long addr)
{
	spinlock_t *ptl;

	if (!pud_trans_huge(*pud)) /* BUG */
		return;
	ptl = pud_lock(vma->vm_mm, pud);
	pudp_huge_get_and_clear(vma->vm_mm, addr, pud);
	spin_unlock(ptl);
}
