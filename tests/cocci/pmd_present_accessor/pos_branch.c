// SPDX-License-Identifier: GPL-2.0-only
/*
 * Positive: entries known NOT to be present used as present, the inverse
 * (swap accessor on a present entry), and a pmd_none()-only test
 * (seed 000, mm/gup.c gup_pmd_range '-' side: "if (pmd_none(pmd)) return 0;").
 */
static int gup_fast_pmd_range(pud_t *pudp, pud_t pud, unsigned long addr,
			      unsigned long end, unsigned int flags,
			      struct page **pages, int *nr)
{
	pmd_t pmd = pmdp_get_lockless(pmd_offset_lockless(pudp, pud, addr));

	if (pmd_none(pmd))
		return 0;
	if (pmd_devmap(pmd)) /* BUG: pmd_devmap() of a swap entry is true on x86-64 (bit 57 overlaps the inverted swap offset) */
		return gup_fast_devmap_pmd_leaf(pmd_pfn(pmd), addr, pages, nr); /* 2nd use on the path */
	return 1;
}

static void follow_swap_pmd(struct vm_area_struct *vma, pmd_t *pmdp)
{
	pmd_t pmd = pmdp_get(pmdp);
	struct page *page;

	if (is_swap_pmd(pmd)) {
		page = pmd_page(pmd); /* BUG */
		put_page(page);
	}
}

static void show_pmd(pmd_t pmd)
{
	swp_entry_t entry;

	if (pmd_present(pmd)) {
		entry = pmd_to_swp_entry(pmd); /* BUG */
		pr_info("%lx\n", swp_offset(entry));
	}
}

static void show_pmd2(pmd_t pmd)
{
	if (!pmd_present(pmd))
		return;
	if (pmd_swp_soft_dirty(pmd)) /* BUG */
		pr_info("soft dirty\n");
}

static void show_pud(pud_t pud)
{
	if (!pud_present(pud)) {
		pr_info("%lx\n", pud_pfn(pud)); /* BUG */
	}
}
