// SPDX-License-Identifier: GPL-2.0-only
/*
 * Negative: seed 003 '+' side / correct Linux 6.12 code and documented
 * exceptions.
 */
static struct page *can_gather_numa_stats(pte_t pte, struct vm_area_struct *vma,
		unsigned long addr)
{
	struct page *page;

	if (!pte_present(pte))
		return NULL;
	page = vm_normal_page(vma, addr, pte);
	if (!page || is_zone_device_page(page))
		return NULL;
	if (PageReserved(page))
		return NULL;
	return page;
}

static struct page *get_mergeable_page(struct ksm_rmap_item *rmap_item)
{
	struct vm_area_struct *vma;
	struct page *page = NULL;
	struct folio_walk fw;
	struct folio *folio;

	folio = folio_walk_start(&fw, vma, addr, 0);
	if (folio) {
		if (!folio_is_zone_device(folio) &&
		    folio_test_anon(folio)) {
			folio_get(folio);
			page = fw.page;
		}
		folio_walk_end(&fw, vma);
	}
	return page;
}

static int mlock_pte_range(pmd_t *pmd, unsigned long addr,
			   unsigned long end, struct mm_walk *walk)
{
	struct vm_area_struct *vma = walk->vma;
	spinlock_t *ptl;
	pte_t *start_pte, *pte;
	pte_t ptent;
	struct folio *folio;

	ptl = pmd_trans_huge_lock(pmd, vma);
	if (ptl) {
		if (!pmd_present(*pmd))
			goto out;
		if (is_huge_zero_pmd(*pmd))
			goto out;
		/* E: mlock_fixup() never sets VM_LOCKED on DAX VMAs */
		folio = pmd_folio(*pmd);
		if (vma->vm_flags & VM_LOCKED)
			mlock_folio(folio);
		else
			munlock_folio(folio);
		goto out;
	}
	start_pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	for (pte = start_pte; addr != end; pte++, addr += PAGE_SIZE) {
		ptent = ptep_get(pte);
		if (!pte_present(ptent))
			continue;
		folio = vm_normal_folio(vma, addr, ptent);
		if (!folio || folio_is_zone_device(folio))
			continue;
		if (vma->vm_flags & VM_LOCKED)
			mlock_folio(folio);
		else
			munlock_folio(folio);
	}
out:
	return 0;
}

static int __collapse_huge_page_isolate(struct vm_area_struct *vma,
					unsigned long address, pte_t *pte)
{
	struct page *page = NULL;
	struct folio *folio = NULL;
	pte_t *_pte;

	for (_pte = pte; _pte < pte + HPAGE_PMD_NR; _pte++, address += PAGE_SIZE) {
		pte_t pteval = ptep_get(_pte);

		page = vm_normal_page(vma, address, pteval);
		if (unlikely(!page) || unlikely(is_zone_device_page(page)))
			goto out;
		folio = page_folio(page);
		if (!folio_isolate_lru(folio))
			goto out;
	}
	return 0;
out:
	return -1;
}

/* folio_mark_accessed() is not a sink; vm_normal_folio_pmd() is not a source. */
static void touch_pages(struct vm_area_struct *vma, unsigned long addr, pte_t pte, pmd_t pmd)
{
	struct folio *folio = vm_normal_folio(vma, addr, pte);
	struct folio *f2;

	if (folio)
		folio_mark_accessed(folio);
	f2 = vm_normal_folio_pmd(vma, addr, pmd);
	if (f2)
		folio_isolate_lru(f2);
}

/* S3 guarded by pmd_trans_huge() (false for devmap PMDs). */
static int pageout_pmd(pmd_t *pmd, struct vm_area_struct *vma, unsigned long addr)
{
	pmd_t orig_pmd;
	struct folio *folio;

	if (!pmd_trans_huge(*pmd))
		return 0;
	orig_pmd = pmdp_get(pmd);
	folio = pmd_folio(orig_pmd);
	folio_isolate_lru(folio);
	return 0;
}

/* Reference dropped on the zone-device bail-out. */
static int add_folio_for_migration(struct vm_area_struct *vma, unsigned long addr,
				   struct list_head *pagelist)
{
	struct folio_walk fw;
	struct folio *folio;
	int err;

	folio = folio_walk_start(&fw, vma, addr, FW_ZEROPAGE);
	if (!folio)
		return -ENOENT;
	folio_get(folio);
	folio_walk_end(&fw, vma);
	if (folio_is_zone_device(folio)) {
		folio_put(folio);
		return -ENOENT;
	}
	err = isolate_folio_to_list(folio, pagelist) ? 0 : -EBUSY;
	folio_put(folio);
	return err;
}

/* devmap tested before the bad check (mm/pagewalk.c style). */
static int walk_pmd_range(pud_t *pud, unsigned long addr, unsigned long end,
			  struct mm_walk *walk)
{
	pmd_t *pmd = pmd_offset(pud, addr);
	unsigned long next;

	do {
		next = pmd_addr_end(addr, end);
		if (pmd_none(*pmd))
			continue;
		if (pmd_trans_huge(*pmd) || pmd_devmap(*pmd))
			continue;
		if (pmd_none_or_clear_bad(pmd))
			continue;
	} while (pmd++, addr = next, addr != end);
	return 0;
}
