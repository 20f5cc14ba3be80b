// SPDX-License-Identifier: GPL-2.0-only
/*
 * Negative: lockless pre-tests that are repeated (or replaced by
 * pmd_same()) under the PTL, and pre-tests before pmd_trans_huge_lock(),
 * which re-tests the state itself (contract L2).
 */
static int clear_huge_pmd(struct vm_area_struct *vma, pmd_t *pmd,
			  unsigned long addr)
{
	struct mm_struct *mm = vma->vm_mm;
	spinlock_t *ptl;
	pmd_t old = __pmd(0);

	if (!pmd_trans_huge(*pmd))
		return 0;
	ptl = pmd_lock(mm, pmd);
	if (pmd_trans_huge(*pmd))
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

	if (!pmd_trans_huge(orig))
		return 0;
	ptl = pmd_lock(vma->vm_mm, pmd);
	if (unlikely(!pmd_same(orig, *pmd))) {
		spin_unlock(ptl);
		return 0;
	}
	folio = pmd_folio(orig);
	folio_mark_accessed(folio);
	spin_unlock(ptl);
	return 1;
}

static int reread_pmd(struct vm_area_struct *vma, pmd_t *pmd,
		      unsigned long addr)
{
	pmd_t pmdval = pmdp_get_lockless(pmd);
	spinlock_t *ptl;

	if (pmd_none(pmdval))
		return 0;
	ptl = pmd_lock(vma->vm_mm, pmd);
	pmdval = pmdp_get(pmd);
	if (!pmd_present(pmdval) || !pmd_trans_huge(pmdval)) {
		spin_unlock(ptl);
		return 0;
	}
	pmdp_set_wrprotect(vma->vm_mm, addr, pmd);
	spin_unlock(ptl);
	return 1;
}

static int cold_pmd(struct vm_area_struct *vma, pmd_t *pmd,
		    unsigned long addr)
{
	spinlock_t *ptl;
	pmd_t orig_pmd;

	if (pmd_trans_huge(*pmd)) {
		ptl = pmd_trans_huge_lock(pmd, vma);
		if (!ptl)
			return 0;
		orig_pmd = *pmd;
		if (!pmd_present(orig_pmd))
			goto unlock;
		pmdp_invalidate(vma, addr, pmd);
		set_pmd_at(vma->vm_mm, addr, pmd, pmd_mkold(orig_pmd));
unlock:
		spin_unlock(ptl);
	}
	return 0;
}

static void zap_pud_if_huge(struct vm_area_struct *vma, pud_t *pud,
			    unsigned long addr)
{
	spinlock_t *ptl;

	if (!pud_trans_huge(*pud))
		return;
	ptl = pud_lock(vma->vm_mm, pud);
	if (pud_trans_huge(*pud))
		pudp_huge_get_and_clear(vma->vm_mm, addr, pud);
	spin_unlock(ptl);
}

/* 6.12 migrate_vma_collect_pmd(): a different state test is repeated under the lock */
static int migrate_vma_collect_pmd(pmd_t *pmdp, unsigned long start,
				   unsigned long end, struct mm_walk *walk)
{
	struct vm_area_struct *vma = walk->vma;
	struct mm_struct *mm = vma->vm_mm;
	spinlock_t *ptl;

again:
	if (pmd_none(*pmdp))
		return migrate_vma_collect_hole(start, end, -1, walk);

	if (pmd_trans_huge(*pmdp)) {
		struct folio *folio;

		ptl = pmd_lock(mm, pmdp);
		if (unlikely(!pmd_trans_huge(*pmdp))) {
			spin_unlock(ptl);
			goto again;
		}
		folio = pmd_folio(*pmdp);
		folio_get(folio);
		spin_unlock(ptl);
	}
	return 0;
}
