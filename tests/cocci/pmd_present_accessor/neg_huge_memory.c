// SPDX-License-Identifier: GPL-2.0-only
/*
 * Negative: seed 000 '+' sides for mm/huge_memory.c in their 6.12 form.
 */

/* seed '+' side with the seed-era signature: presence tested after pmd_same */
vm_fault_t do_huge_pmd_wp_page_seed(struct vm_fault *vmf, pmd_t orig_pmd)
{
	struct vm_area_struct *vma = vmf->vma;
	struct page *page;

	vmf->ptl = pmd_lockptr(vma->vm_mm, vmf->pmd);
	spin_lock(vmf->ptl);
	if (unlikely(!pmd_same(*vmf->pmd, orig_pmd)))
		goto out_unlock;
	if (unlikely(!pmd_present(orig_pmd)))
		goto out_unlock;
	page = pmd_page(orig_pmd);
	VM_BUG_ON_PAGE(!PageHead(page), page);
out_unlock:
	spin_unlock(vmf->ptl);
	return 0;
}

/* 6.12: vmf->orig_pmd is present by contract B3 (__handle_mm_fault) */
vm_fault_t do_huge_pmd_wp_page(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct page *page;
	pmd_t orig_pmd = vmf->orig_pmd;

	vmf->ptl = pmd_lockptr(vma->vm_mm, vmf->pmd);
	if (is_huge_zero_pmd(orig_pmd))
		goto fallback;
	spin_lock(vmf->ptl);
	if (unlikely(!pmd_same(*vmf->pmd, orig_pmd))) {
		spin_unlock(vmf->ptl);
		return 0;
	}
	page = pmd_page(orig_pmd);
	spin_unlock(vmf->ptl);
fallback:
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

	if (unlikely(!pmd_present(orig_pmd))) {
		VM_BUG_ON(thp_migration_supported() &&
			  !is_pmd_migration_entry(orig_pmd));
		goto out;
	}

	folio = pmd_folio(orig_pmd);
	if (folio_likely_mapped_shared(folio))
		goto out;
	if (pmd_young(orig_pmd) || pmd_dirty(orig_pmd)) {
		pmdp_invalidate(vma, addr, pmd);
		orig_pmd = pmd_mkold(orig_pmd);
		set_pmd_at(tlb->mm, addr, pmd, orig_pmd);
	}
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
	if (vma_is_special_huge(vma)) {
		spin_unlock(ptl);
	} else if (is_huge_zero_pmd(orig_pmd)) {
		zap_deposited_table(tlb->mm, pmd);
		spin_unlock(ptl);
	} else {
		struct folio *folio = NULL;
		int flush_needed = 1;

		if (pmd_present(orig_pmd)) {
			struct page *page = pmd_page(orig_pmd);

			folio = page_folio(page);
			folio_remove_rmap_pmd(folio, page, vma);
		} else if (thp_migration_supported()) {
			swp_entry_t entry;

			VM_BUG_ON(!is_pmd_migration_entry(orig_pmd));
			entry = pmd_to_swp_entry(orig_pmd);
			folio = pfn_swap_entry_folio(entry);
			flush_needed = 0;
		}
		if (!folio_test_anon(folio)) {
			if (pmd_present(orig_pmd) && pmd_dirty(orig_pmd))
				folio_mark_dirty(folio);
		}
		spin_unlock(ptl);
		if (flush_needed)
			tlb_remove_page_size(tlb, &folio->page, HPAGE_PMD_SIZE);
	}
	return 1;
}

/* Contract B6: the swap branch is compiled only with THP migration. */
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

#ifdef CONFIG_ARCH_ENABLE_THP_MIGRATION
	if (is_swap_pmd(*pmd)) {
		swp_entry_t entry = pmd_to_swp_entry(*pmd);
		pmd_t newpmd = *pmd;

		if (is_writable_migration_entry(entry)) {
			entry = make_readable_migration_entry(swp_offset(entry));
			newpmd = swp_entry_to_pmd(entry);
			if (pmd_swp_soft_dirty(*pmd))
				newpmd = pmd_swp_mksoft_dirty(newpmd);
		}
		if (!pmd_same(*pmd, newpmd))
			set_pmd_at(mm, addr, pmd, newpmd);
		goto unlock;
	}
#endif

	if (prot_numa) {
		struct folio *folio;

		if (is_huge_zero_pmd(*pmd))
			goto unlock;
		if (pmd_protnone(*pmd))
			goto unlock;
		folio = pmd_folio(*pmd);
		folio_xchg_access_time(folio, jiffies_to_msecs(jiffies));
	}
	oldpmd = pmdp_invalidate_ad(vma, addr, pmd);
	entry = pmd_modify(oldpmd, newprot);
	set_pmd_at(mm, addr, pmd, entry);
unlock:
	spin_unlock(ptl);
	return ret;
}

/* Contract B7: pfnmap/mixedmap VMAs never hold swap PMDs. */
static int insert_pfn_pmd(struct vm_area_struct *vma, unsigned long addr,
			  pmd_t *pmd, pfn_t pfn, pgprot_t prot, bool write,
			  pgtable_t pgtable)
{
	struct mm_struct *mm = vma->vm_mm;
	spinlock_t *ptl;

	ptl = pmd_lock(mm, pmd);
	if (!pmd_none(*pmd)) {
		if (write && pmd_pfn(*pmd) != pfn_t_to_pfn(pfn))
			goto out_unlock;
	}
out_unlock:
	spin_unlock(ptl);
	return 0;
}

/* Contract B4: pud_trans_huge_lock() only returns present puds. */
static int walk_hmm_pud(pud_t *pudp, unsigned long start, struct mm_walk *walk)
{
	spinlock_t *ptl = pud_trans_huge_lock(pudp, walk->vma);
	unsigned long pfn;

	if (!ptl)
		return 0;
	pfn = pud_pfn(*pudp);
	spin_unlock(ptl);
	return pfn != 0;
}
