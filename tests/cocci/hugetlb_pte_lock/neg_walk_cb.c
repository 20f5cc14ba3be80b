// SPDX-License-Identifier: GPL-2.0-only
/*
 * Negative: seed 001 '+' side / Linux 6.12 .hugetlb_entry callbacks that
 * take huge_pte_lock(), and lockless read-only callbacks.
 */
static int queue_folios_hugetlb(pte_t *pte, unsigned long hmask,
			       unsigned long addr, unsigned long end,
			       struct mm_walk *walk)
{
	struct queue_pages *qp = walk->private;
	struct folio *folio;
	spinlock_t *ptl;
	pte_t entry;

	ptl = huge_pte_lock(hstate_vma(walk->vma), walk->mm, pte);
	entry = huge_ptep_get(walk->mm, addr, pte);
	if (!pte_present(entry))
		goto unlock;
	folio = pfn_folio(pte_pfn(entry));
	isolate_hugetlb(folio, qp->pagelist);
unlock:
	spin_unlock(ptl);
	return 0;
}

static int damon_mkold_hugetlb_entry(pte_t *pte, unsigned long hmask,
				     unsigned long addr, unsigned long end,
				     struct mm_walk *walk)
{
	struct hstate *h = hstate_vma(walk->vma);
	spinlock_t *ptl;
	pte_t entry;

	ptl = huge_pte_lock(h, walk->mm, pte);
	entry = huge_ptep_get(walk->mm, addr, pte);
	if (!pte_present(entry))
		goto out;
	entry = pte_mkold(entry);
	set_huge_pte_at(walk->mm, addr, pte, entry, huge_page_size(h));
out:
	spin_unlock(ptl);
	return 0;
}

static int mincore_hugetlb(pte_t *pte, unsigned long hmask, unsigned long addr,
			unsigned long end, struct mm_walk *walk)
{
	unsigned char present;
	unsigned char *vec = walk->private;
	const pte_t ptep = huge_ptep_get(walk->mm, addr, pte);

	present = !huge_pte_none_mostly(ptep);
	for (; addr != end; vec++, addr += PAGE_SIZE)
		*vec = present;
	walk->private = vec;
	return 0;
}

static const struct mm_walk_ops queue_pages_walk_ops = {
	.hugetlb_entry		= queue_folios_hugetlb,
	.pmd_entry		= queue_folios_pte_range,
};

static const struct mm_walk_ops damon_mkold_ops = {
	.hugetlb_entry = damon_mkold_hugetlb_entry,
};

static const struct mm_walk_ops mincore_walk_ops = {
	.hugetlb_entry		= mincore_hugetlb,
};
