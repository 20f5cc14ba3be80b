// SPDX-License-Identifier: GPL-2.0-only
/*
 * Positive: seed 001, mm/hugetlb.c, '-' side rewritten in 6.12 style:
 * copy_hugetlb_page_range() and __unmap_hugepage_range() serialise on
 * mm->page_table_lock instead of the split hugetlb PTL.
 */
int copy_hugetlb_page_range(struct mm_struct *dst, struct mm_struct *src,
			    struct vm_area_struct *dst_vma,
			    struct vm_area_struct *src_vma)
{
	pte_t *src_pte, *dst_pte, entry;
	unsigned long addr;
	unsigned long sz = huge_page_size(hstate_vma(src_vma));
	bool cow = is_cow_mapping(src_vma->vm_flags);

	for (addr = src_vma->vm_start; addr < src_vma->vm_end; addr += sz) {
		src_pte = hugetlb_walk(src_vma, addr, sz);
		if (!src_pte)
			continue;
		dst_pte = huge_pte_alloc(dst, dst_vma, addr, sz);
		if (!dst_pte)
			return -ENOMEM;
		if (dst_pte == src_pte)
			continue;

		spin_lock(&dst->page_table_lock); /* BUG */
		spin_lock_nested(&src->page_table_lock, SINGLE_DEPTH_NESTING); /* BUG */
		entry = huge_ptep_get(src, addr, src_pte);
		if (!huge_pte_none(entry)) {
			if (cow)
				huge_ptep_set_wrprotect(src, addr, src_pte);
			set_huge_pte_at(dst, addr, dst_pte, entry, sz);
		}
		spin_unlock(&src->page_table_lock);
		spin_unlock(&dst->page_table_lock);
	}
	return 0;
}

void __unmap_hugepage_range(struct mmu_gather *tlb, struct vm_area_struct *vma,
			    unsigned long start, unsigned long end,
			    struct folio *folio, zap_flags_t zap_flags)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long address;
	pte_t *ptep;
	pte_t pte;
	struct hstate *h = hstate_vma(vma);
	unsigned long sz = huge_page_size(h);

	spin_lock(&mm->page_table_lock); /* BUG */
	for (address = start; address < end; address += sz) {
		ptep = hugetlb_walk(vma, address, sz);
		if (!ptep)
			continue;
		if (huge_pmd_unshare(tlb, vma, address, ptep))
			continue;
		pte = huge_ptep_get(mm, address, ptep);
		if (huge_pte_none(pte))
			continue;
		if (unlikely(!pte_present(pte))) {
			huge_pte_clear(mm, address, ptep, sz);
			continue;
		}
		pte = huge_ptep_get_and_clear(mm, address, ptep);
		tlb_remove_huge_tlb_entry(h, tlb, ptep, address);
	}
	spin_unlock(&mm->page_table_lock);
}
