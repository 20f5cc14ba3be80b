// SPDX-License-Identifier: GPL-2.0-only
/*
 * Negative: correct Linux 6.12 code and the documented exceptions.
 */

/* E1/E2: hugetlb_wp() is entered with vmf->ptl held and re-walks under it. */
static vm_fault_t hugetlb_wp(struct folio *pagecache_folio, struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	struct hstate *h = hstate_vma(vma);
	pte_t pte = huge_ptep_get(mm, vmf->address, vmf->pte);

	spin_unlock(vmf->ptl);
	new_folio = alloc_hugetlb_folio(vma, vmf->address, false);
	spin_lock(vmf->ptl);
	vmf->pte = hugetlb_walk(vma, vmf->address, huge_page_size(h));
	if (likely(vmf->pte && pte_same(huge_ptep_get(mm, vmf->address, vmf->pte), pte))) {
		huge_ptep_clear_flush(vma, vmf->address, vmf->pte);
		set_huge_pte_at(mm, vmf->address, vmf->pte, pte, huge_page_size(h));
	}
	spin_unlock(vmf->ptl);
	return 0;
}

/* (A): a lockless huge_ptep_get() peek is fine (fs/hugetlbfs/inode.c). */
static bool hugetlb_vma_maps_page(struct vm_area_struct *vma,
				unsigned long addr, struct page *page)
{
	pte_t *ptep, pte;

	ptep = hugetlb_walk(vma, addr, huge_page_size(hstate_vma(vma)));
	if (!ptep)
		return false;
	pte = huge_ptep_get(vma->vm_mm, addr, ptep);
	if (huge_pte_none(pte) || !pte_present(pte))
		return false;
	return pte_page(pte) == page;
}

/* E3/E5: move_hugetlb_page_tables() unshares under i_mmap_lock_write(). */
int move_hugetlb_page_tables(struct vm_area_struct *vma,
			     struct vm_area_struct *new_vma,
			     unsigned long old_addr, unsigned long new_addr,
			     unsigned long len)
{
	struct hstate *h = hstate_vma(vma);
	struct address_space *mapping = vma->vm_file->f_mapping;
	unsigned long sz = huge_page_size(h);
	struct mm_struct *mm = vma->vm_mm;
	unsigned long old_end = old_addr + len;
	pte_t *src_pte, *dst_pte;

	i_mmap_lock_write(mapping);
	for (; old_addr < old_end; old_addr += sz, new_addr += sz) {
		src_pte = hugetlb_walk(vma, old_addr, sz);
		if (!src_pte)
			continue;
		if (huge_pte_none(huge_ptep_get(mm, old_addr, src_pte)))
			continue;
		if (huge_pmd_unshare(&tlb, vma, old_addr, src_pte))
			continue;
		dst_pte = huge_pte_alloc(mm, new_vma, new_addr, sz);
		if (!dst_pte)
			break;
		move_huge_pte(vma, old_addr, new_addr, src_pte, dst_pte, sz);
	}
	i_mmap_unlock_write(mapping);
	return len + old_addr - old_end;
}

/* E4: huge_pmd_share() takes mm->page_table_lock for *pud only. */
pte_t *huge_pmd_share(struct mm_struct *mm, struct vm_area_struct *vma,
		      unsigned long addr, pud_t *pud)
{
	struct vm_area_struct *svma;
	pte_t *spte = NULL;
	pte_t *pte;

	spte = hugetlb_walk(svma, saddr, vma_mmu_pagesize(svma));
	if (!spte)
		goto out;
	spin_lock(&mm->page_table_lock);
	if (pud_none(*pud))
		pud_populate(mm, pud, (pmd_t *)((unsigned long)spte & PAGE_MASK));
	else
		ptdesc_pmd_pts_dec(virt_to_ptdesc(spte));
	spin_unlock(&mm->page_table_lock);
out:
	pte = (pte_t *)pmd_alloc(mm, pud, addr);
	return pte;
}

/* fs/proc/task_mmu.c: pagemap_scan_hugetlb (huge_pte_lock). */
static int uffd_wp_range_hugetlb(struct vm_area_struct *vma,
				 unsigned long addr, unsigned long end)
{
	struct hstate *h = hstate_vma(vma);
	unsigned long psize = huge_page_size(h);
	struct mm_struct *mm = vma->vm_mm;
	spinlock_t *ptl;
	pte_t *ptep;
	pte_t pte;

	for (addr = ALIGN_DOWN(addr, psize); addr < end; addr += psize) {
		ptep = huge_pte_alloc(mm, vma, addr, psize);
		if (!ptep)
			return -ENOMEM;
		ptl = huge_pte_lock(h, mm, ptep);
		pte = huge_ptep_get(mm, addr, ptep);
		set_huge_pte_at(mm, addr, ptep, pte, psize);
		spin_unlock(ptl);
	}
	return 0;
}
