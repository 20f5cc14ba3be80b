// SPDX-License-Identifier: GPL-2.0-only
/*
 * Positive: seed 000, mm/huge_memory.c hunks, '-' sides rewritten in 6.12
 * style: do_huge_pmd_wp_page, madvise_free_huge_pmd, zap_huge_pmd,
 * change_huge_pmd.
 */

/* seed-era signature: orig_pmd handed in by value, revalidated by pmd_same() */
vm_fault_t do_huge_pmd_wp_page(struct vm_fault *vmf, pmd_t orig_pmd)
{
	struct vm_area_struct *vma = vmf->vma;
	struct page *page;

	vmf->ptl = pmd_lockptr(vma->vm_mm, vmf->pmd);
	spin_lock(vmf->ptl);
	if (unlikely(!pmd_same(*vmf->pmd, orig_pmd))) {
		spin_unlock(vmf->ptl);
		return 0;
	}
	page = pmd_page(orig_pmd); /* BUG */
	VM_BUG_ON_PAGE(!PageHead(page), page);
	spin_unlock(vmf->ptl);
	return VM_FAULT_FALLBACK;
}

bool madvise_free_huge_pmd(struct mmu_gather *tlb, struct vm_area_struct *vma,
			   pmd_t *pmd, unsigned long addr, unsigned long next)
{
	spinlock_t *ptl;
	pmd_t orig_pmd;
	struct folio *folio;
	bool ret = false;

	ptl = pmd_trans_huge_lock(pmd, vma);
	if (!ptl)
		goto out_unlocked;

	orig_pmd = *pmd;
	if (is_huge_zero_pmd(orig_pmd))
		goto out;

	folio = pmd_folio(orig_pmd); /* BUG */
	if (folio_likely_mapped_shared(folio))
		goto out;
	folio_mark_lazyfree(folio);
	ret = true;
out:
	spin_unlock(ptl);
out_unlocked:
	return ret;
}

int zap_huge_pmd(struct mmu_gather *tlb, struct vm_area_struct *vma,
		 pmd_t *pmd, unsigned long addr)
{
	pmd_t orig_pmd;
	spinlock_t *ptl;

	ptl = __pmd_trans_huge_lock(pmd, vma);
	if (!ptl)
		return 0;
	orig_pmd = pmdp_huge_get_and_clear_full(vma, addr, pmd, tlb->fullmm);
	tlb_remove_pmd_tlb_entry(tlb, pmd, addr);
	if (vma_is_special_huge(vma)) {
		spin_unlock(ptl);
	} else if (is_huge_zero_pmd(orig_pmd)) {
		zap_deposited_table(tlb->mm, pmd);
		spin_unlock(ptl);
	} else {
		struct page *page = pmd_page(orig_pmd); /* BUG */
		struct folio *folio = page_folio(page);

		folio_remove_rmap_pmd(folio, page, vma);
		if (folio_test_anon(folio))
			zap_deposited_table(tlb->mm, pmd);
		spin_unlock(ptl);
		tlb_remove_page_size(tlb, &folio->page, HPAGE_PMD_SIZE);
	}
	return 1;
}

int change_huge_pmd(struct mmu_gather *tlb, struct vm_area_struct *vma,
		    pmd_t *pmd, unsigned long addr, pgprot_t newprot,
		    unsigned long cp_flags)
{
	struct mm_struct *mm = vma->vm_mm;
	spinlock_t *ptl;
	pmd_t oldpmd, entry;
	bool prot_numa = cp_flags & MM_CP_PROT_NUMA;
	int ret = 1;

	ptl = __pmd_trans_huge_lock(pmd, vma);
	if (!ptl)
		return 0;

	if (prot_numa) {
		struct folio *folio;

		if (is_huge_zero_pmd(*pmd))
			goto unlock;
		if (pmd_protnone(*pmd))
			goto unlock;
		folio = pmd_folio(*pmd); /* BUG */
		folio_xchg_access_time(folio, jiffies_to_msecs(jiffies));
	}
	oldpmd = pmdp_invalidate_ad(vma, addr, pmd); /* BUG */
	entry = pmd_modify(oldpmd, newprot);
	set_pmd_at(mm, addr, pmd, entry);
unlock:
	spin_unlock(ptl);
	return ret;
}
