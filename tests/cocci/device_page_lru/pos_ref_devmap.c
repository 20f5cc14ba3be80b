// SPDX-License-Identifier: GPL-2.0-only
/*
 * Positive: a reference leaked on the zone-device bail-out, and
 * pmd_devmap() tested after pmd_bad()-style checks.
 */
static int add_folio_for_migration(struct vm_area_struct *vma, unsigned long addr,
				   struct list_head *pagelist)
{
	struct folio_walk fw;
	struct folio *folio;
	int err = -ENOENT;

	folio = folio_walk_start(&fw, vma, addr, FW_ZEROPAGE);
	if (!folio)
		return -ENOENT;
	folio_get(folio); /* BUG */
	folio_walk_end(&fw, vma);
	if (folio_is_zone_device(folio))
		return -ENOENT;
	err = isolate_folio_to_list(folio, pagelist) ? 0 : -EBUSY;
	folio_put(folio);
	return err;
}

static int walk_pmd_range_bad(pud_t *pud, unsigned long addr, unsigned long end,
			      struct mm_walk *walk)
{
	pmd_t *pmd = pmd_offset(pud, addr);
	unsigned long next;

	do {
		next = pmd_addr_end(addr, end);
		if (pmd_none_or_clear_bad(pmd)) /* BUG */
			continue;
		if (pmd_trans_huge(*pmd) || pmd_devmap(*pmd))
			walk->ops->pmd_entry(pmd, addr, next, walk);
	} while (pmd++, addr = next, addr != end);
	return 0;
}

static int gup_pmd_range_bad(pud_t *pudp, unsigned long addr, unsigned long end)
{
	pmd_t *pmdp = pmd_offset_lockless(pudp, *pudp, addr);
	pmd_t pmd = pmdp_get_lockless(pmdp);

	if (!pmd_present(pmd))
		return 0;
	if (pmd_bad(pmd)) /* BUG */
		return 0;
	if (pmd_devmap(pmd))
		return 1;
	return 2;
}
