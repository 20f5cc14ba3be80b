// SPDX-License-Identifier: GPL-2.0-only
/*
 * Positive: seed 000, fs/proc/task_mmu.c clear_refs_pte_range() and
 * pagemap_pmd_range(), '-' sides rewritten in 6.12 style.
 */
static int clear_refs_pte_range(pmd_t *pmd, unsigned long addr,
				unsigned long end, struct mm_walk *walk)
{
	struct clear_refs_private *cp = walk->private;
	struct vm_area_struct *vma = walk->vma;
	spinlock_t *ptl;
	struct folio *folio;

	ptl = pmd_trans_huge_lock(pmd, vma);
	if (ptl) {
		if (cp->type == CLEAR_REFS_SOFT_DIRTY) {
			clear_soft_dirty_pmd(vma, addr, pmd);
			goto out;
		}

		folio = pmd_folio(*pmd); /* BUG */

		pmdp_test_and_clear_young(vma, addr, pmd);
		folio_test_clear_young(folio);
		folio_clear_referenced(folio);
out:
		spin_unlock(ptl);
		return 0;
	}
	return 0;
}

static int pagemap_pmd_range(pmd_t *pmdp, unsigned long addr,
			     unsigned long end, struct mm_walk *walk)
{
	struct vm_area_struct *vma = walk->vma;
	struct pagemapread *pm = walk->private;
	spinlock_t *ptl;
	int err = 0;

	ptl = pmd_trans_huge_lock(pmdp, vma);
	if (ptl) {
		u64 flags = 0, frame = 0;
		pmd_t pmd = *pmdp;
		struct page *page = NULL;

		if ((vma->vm_flags & VM_SOFTDIRTY) || pmd_soft_dirty(pmd)) /* BUG */
			flags |= PM_SOFT_DIRTY;

		if (pmd_present(pmd)) {
			page = pmd_page(pmd);
			flags |= PM_PRESENT;
			frame = pmd_pfn(pmd) + ((addr & ~PMD_MASK) >> PAGE_SHIFT);
		}
		err = add_to_pagemap(make_pme(frame, flags), pm);
		spin_unlock(ptl);
		return err;
	}
	return err;
}

/* clear_soft_dirty_pmd() is in the A3 contract list: it must test itself. */
static inline void clear_soft_dirty_pmd(struct vm_area_struct *vma,
					unsigned long addr, pmd_t *pmdp)
{
	pmd_t old, pmd;

	old = pmdp_invalidate(vma, addr, pmdp); /* BUG */
	pmd = pmd_wrprotect(old);
	pmd = pmd_clear_soft_dirty(pmd);
	set_pmd_at(vma->vm_mm, addr, pmdp, pmd);
}
