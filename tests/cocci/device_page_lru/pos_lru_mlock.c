// SPDX-License-Identifier: GPL-2.0-only
/*
 * Positive: seed 003 '-' side in 6.12 style: mlock, madvise and
 * khugepaged put a possibly DEVICE_COHERENT folio on LRU/mlock paths.
 */
static int mlock_pte_range(pmd_t *pmd, unsigned long addr,
			   unsigned long end, struct mm_walk *walk)
{
	struct vm_area_struct *vma = walk->vma;
	spinlock_t *ptl;
	pte_t *start_pte, *pte;
	pte_t ptent;
	struct folio *folio;

	start_pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	if (!start_pte)
		return 0;
	for (pte = start_pte; addr != end; pte++, addr += PAGE_SIZE) {
		ptent = ptep_get(pte);
		if (!pte_present(ptent))
			continue;
		folio = vm_normal_folio(vma, addr, ptent);
		if (!folio)
			continue;
		if (vma->vm_flags & VM_LOCKED)
			mlock_folio(folio); /* BUG */
		else
			munlock_folio(folio); /* same source as line 26: one report per source */
	}
	pte_unmap(start_pte);
	return 0;
}

static int madvise_cold_or_pageout_pte_range(pmd_t *pmd,
				unsigned long addr, unsigned long end,
				struct mm_walk *walk)
{
	struct vm_area_struct *vma = walk->vma;
	pte_t *start_pte, *pte, ptent;
	spinlock_t *ptl;
	struct folio *folio = NULL;
	LIST_HEAD(folio_list);

	start_pte = pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	for (; addr < end; pte++, addr += PAGE_SIZE) {
		ptent = ptep_get(pte);
		if (!pte_present(ptent))
			continue;
		folio = vm_normal_folio(vma, addr, ptent);
		if (!folio)
			continue;
		if (!folio_test_lru(folio))
			continue;
		if (folio_isolate_lru(folio)) /* BUG */
			list_add(&folio->lru, &folio_list);
	}
	return 0;
}

static int __collapse_huge_page_isolate(struct vm_area_struct *vma,
					unsigned long address, pte_t *pte,
					struct collapse_control *cc,
					struct list_head *compound_pagelist)
{
	struct page *page = NULL;
	struct folio *folio = NULL;
	pte_t *_pte;

	for (_pte = pte; _pte < pte + HPAGE_PMD_NR; _pte++, address += PAGE_SIZE) {
		pte_t pteval = ptep_get(_pte);

		if (!pte_present(pteval))
			goto out;
		page = vm_normal_page(vma, address, pteval);
		if (unlikely(!page))
			goto out;
		folio = page_folio(page);
		if (!folio_trylock(folio))
			goto out;
		if (!folio_isolate_lru(folio)) { /* BUG */
			folio_unlock(folio);
			goto out;
		}
	}
	return 0;
out:
	return -1;
}

/* S3: a devmap PMD reaches folio_isolate_lru() without a devmap test. */
static int pageout_pmd(pmd_t *pmd, struct vm_area_struct *vma, unsigned long addr)
{
	pmd_t orig_pmd = pmdp_get(pmd);
	struct folio *folio;

	if (!pmd_present(orig_pmd))
		return 0;
	folio = pmd_folio(orig_pmd);
	folio_isolate_lru(folio); /* BUG */
	return 0;
}
