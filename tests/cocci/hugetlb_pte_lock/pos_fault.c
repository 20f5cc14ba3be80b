// SPDX-License-Identifier: GPL-2.0-only
/*
 * Positive: seed 001 '-' side in 6.12 style: hugetlb_fault(),
 * hugetlb_change_protection(), remove_migration_pte() and variants that
 * use a PMD/PTE-level lock or no lock for a hugetlb entry.
 */
vm_fault_t hugetlb_fault(struct mm_struct *mm, struct vm_area_struct *vma,
			 unsigned long address, unsigned int flags)
{
	struct hstate *h = hstate_vma(vma);
	pte_t *ptep, entry;

	ptep = huge_pte_alloc(mm, vma, address, huge_page_size(h));
	if (!ptep)
		return VM_FAULT_OOM;
	entry = huge_ptep_get(mm, address, ptep);
	spin_lock(&mm->page_table_lock); /* BUG */
	if (unlikely(!pte_same(entry, huge_ptep_get(mm, address, ptep))))
		goto out;
	entry = pte_mkyoung(entry);
	huge_ptep_set_access_flags(vma, address, ptep, entry, 1);
out:
	spin_unlock(&mm->page_table_lock);
	return 0;
}

long hugetlb_change_protection(struct vm_area_struct *vma,
		unsigned long address, unsigned long end, pgprot_t newprot)
{
	struct mm_struct *mm = vma->vm_mm;
	struct hstate *h = hstate_vma(vma);
	pte_t *ptep, pte;
	long pages = 0;

	for (; address < end; address += huge_page_size(h)) {
		ptep = hugetlb_walk(vma, address, huge_page_size(h));
		if (!ptep)
			continue;
		if (!huge_pte_none(huge_ptep_get(mm, address, ptep))) {
			pte = huge_ptep_modify_prot_start(vma, address, ptep); /* BUG */
			pte = huge_pte_modify(pte, newprot);
			huge_ptep_modify_prot_commit(vma, address, ptep, pte, pte);
			pages++;
		}
	}
	return pages;
}

static bool remove_migration_pte(struct folio *folio,
		struct vm_area_struct *vma, unsigned long addr, void *old)
{
	struct mm_struct *mm = vma->vm_mm;
	spinlock_t *ptl;
	pte_t *ptep, pte;

	ptep = hugetlb_walk(vma, addr, huge_page_size(hstate_vma(vma)));
	if (!ptep)
		return true;
	ptl = &mm->page_table_lock; /* BUG */
	spin_lock(ptl);
	pte = huge_ptep_get(mm, addr, ptep);
	set_huge_pte_at(mm, addr, ptep, pte, PMD_SIZE);
	spin_unlock(ptl);
	return true;
}

static void hugetlb_pmd_locked(struct vm_area_struct *vma, unsigned long addr)
{
	struct mm_struct *mm = vma->vm_mm;
	spinlock_t *ptl;
	pte_t *ptep;

	ptep = hugetlb_walk(vma, addr, PUD_SIZE);
	if (!ptep)
		return;
	ptl = pmd_lock(mm, (pmd_t *)ptep); /* BUG */
	huge_ptep_set_wrprotect(mm, addr, ptep);
	spin_unlock(ptl);
}
