// SPDX-License-Identifier: GPL-2.0-only
/*
 * Positive: the B8/B9 contracts are about whose tables are walked, not about
 * the shape of the walk.  The same pmd_none()-only walk over a user mm
 * (pgd_offset(mm, ..)) may meet a THP migration entry (seed 000), and a
 * Xen-like walker under another name is not covered by B9.
 */
static struct page *user_pmd_page(struct mm_struct *mm, unsigned long addr)
{
	pmd_t *pmd = pmd_offset(pud_offset(p4d_offset(pgd_offset(mm, addr),
						       addr), addr), addr);

	if (pmd_none(*pmd))
		return NULL;
	return pmd_page(*pmd);
}

static void other_pmd_walk(struct mm_struct *mm, pmd_t *pmd,
			   void (*func)(struct mm_struct *mm, struct page *))
{
	int i;

	for (i = 0; i < PTRS_PER_PMD; i++) {
		if (!pmd_none(pmd[i]))
			(*func)(mm, pmd_page(pmd[i]));
	}
}
