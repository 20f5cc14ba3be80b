// SPDX-License-Identifier: GPL-2.0-only
/*
 * Positive: seed 001, mm/mempolicy.c '-' side in 6.12 style: the
 * .hugetlb_entry callback locks mm->page_table_lock instead of
 * huge_pte_lock(); a second callback modifies the entry with no lock.
 */
static int queue_folios_hugetlb(pte_t *pte, unsigned long hmask,
			       unsigned long addr, unsigned long end,
			       struct mm_walk *walk)
{
	struct queue_pages *qp = walk->private;
	struct folio *folio;
	pte_t entry;

	spin_lock(&walk->mm->page_table_lock); /* BUG */
	entry = huge_ptep_get(walk->mm, addr, pte);
	if (!pte_present(entry))
		goto unlock;
	folio = pfn_folio(pte_pfn(entry));
	if (!queue_folio_required(folio, qp))
		goto unlock;
	isolate_hugetlb(folio, qp->pagelist);
unlock:
	spin_unlock(&walk->mm->page_table_lock);
	return 0;
}

static int prot_none_hugetlb_entry(pte_t *pte, unsigned long hmask,
				   unsigned long addr, unsigned long next,
				   struct mm_walk *walk)
{
	pte_t entry = huge_ptep_get(walk->mm, addr, pte);

	huge_ptep_set_wrprotect(walk->mm, addr, pte); /* BUG */
	return 0;
}

static const struct mm_walk_ops queue_pages_walk_ops = {
	.hugetlb_entry		= queue_folios_hugetlb,
	.pmd_entry		= queue_folios_pte_range,
	.test_walk		= queue_pages_test_walk,
	.walk_lock		= PGWALK_RDLOCK,
};

static const struct mm_walk_ops prot_none_walk_ops = {
	.hugetlb_entry		= prot_none_hugetlb_entry,
	.walk_lock		= PGWALK_WRLOCK,
};
