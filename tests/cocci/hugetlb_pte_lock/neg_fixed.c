// SPDX-License-Identifier: GPL-2.0-only
/*
 * Negative: seed 001 '+' side in 6.12 style (huge_pte_lock(),
 * huge_pte_lockptr() + spin_lock_nested()).
 */
int copy_hugetlb_page_range(struct mm_struct *dst, struct mm_struct *src,
			    struct vm_area_struct *dst_vma,
			    struct vm_area_struct *src_vma)
{
	struct hstate *h = hstate_vma(src_vma);
	pte_t *src_pte, *dst_pte, entry;
	unsigned long addr;
	unsigned long sz = huge_page_size(h);
	bool cow = is_cow_mapping(src_vma->vm_flags);

	for (addr = src_vma->vm_start; addr < src_vma->vm_end; addr += sz) {
		spinlock_t *src_ptl, *dst_ptl;
		src_pte = hugetlb_walk(src_vma, addr, sz);
		if (!src_pte)
			continue;
		dst_pte = huge_pte_alloc(dst, dst_vma, addr, sz);
		if (!dst_pte)
			return -ENOMEM;
		dst_ptl = huge_pte_lock(h, dst, dst_pte);
		src_ptl = huge_pte_lockptr(h, src, src_pte);
		spin_lock_nested(src_ptl, SINGLE_DEPTH_NESTING);
		entry = huge_ptep_get(src, addr, src_pte);
		if (!huge_pte_none(entry)) {
			if (cow)
				huge_ptep_set_wrprotect(src, addr, src_pte);
			set_huge_pte_at(dst, addr, dst_pte, entry, sz);
		}
		spin_unlock(src_ptl);
		spin_unlock(dst_ptl);
	}
	return 0;
}

void __unmap_hugepage_range(struct mmu_gather *tlb, struct vm_area_struct *vma,
			    unsigned long start, unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;
	struct hstate *h = hstate_vma(vma);
	unsigned long sz = huge_page_size(h);
	unsigned long address;
	spinlock_t *ptl;
	pte_t *ptep, pte;

	for (address = start; address < end; address += sz) {
		ptep = hugetlb_walk(vma, address, sz);
		if (!ptep)
			continue;
		ptl = huge_pte_lock(h, mm, ptep);
		if (huge_pmd_unshare(tlb, vma, address, ptep)) {
			spin_unlock(ptl);
			continue;
		}
		pte = huge_ptep_get(mm, address, ptep);
		if (huge_pte_none(pte)) {
			spin_unlock(ptl);
			continue;
		}
		if (unlikely(!pte_present(pte))) {
			huge_pte_clear(mm, address, ptep, sz);
			spin_unlock(ptl);
			continue;
		}
		pte = huge_ptep_get_and_clear(mm, address, ptep);
		spin_unlock(ptl);
	}
}

static bool remove_migration_pte(struct folio *folio,
		struct vm_area_struct *vma, unsigned long addr, void *old)
{
	struct hstate *h = hstate_vma(vma);
	struct mm_struct *mm = vma->vm_mm;
	spinlock_t *ptl;
	pte_t *ptep, pte;

	ptep = hugetlb_walk(vma, addr, huge_page_size(h));
	if (!ptep)
		return true;
	ptl = huge_pte_lockptr(h, mm, ptep);
	spin_lock(ptl);
	pte = huge_ptep_get(mm, addr, ptep);
	set_huge_pte_at(mm, addr, ptep, pte, huge_page_size(h));
	spin_unlock(ptl);
	return true;
}
