// SPDX-License-Identifier: GPL-2.0-only
/*
 * Positive: seed 003 '-' side in 6.12 style: can_gather_numa_stats(),
 * get_mergeable_page() and do_numa_page() use the page returned by
 * vm_normal_page()/folio_walk_start() without excluding ZONE_DEVICE.
 */
static struct page *can_gather_numa_stats(pte_t pte, struct vm_area_struct *vma,
		unsigned long addr)
{
	struct page *page;
	int nid;

	if (!pte_present(pte))
		return NULL;

	page = vm_normal_page(vma, addr, pte);
	if (!page)
		return NULL;

	if (PageReserved(page))
		return NULL;

	nid = page_to_nid(page);
	if (!node_isset(nid, node_states[N_MEMORY]))
		return NULL;

	return page; /* BUG */
}

static struct page *get_mergeable_page(struct ksm_rmap_item *rmap_item)
{
	struct mm_struct *mm = rmap_item->mm;
	unsigned long addr = rmap_item->address;
	struct vm_area_struct *vma;
	struct page *page = NULL;
	struct folio_walk fw;
	struct folio *folio;

	mmap_read_lock(mm);
	vma = find_mergeable_vma(mm, addr);
	if (!vma)
		goto out;

	folio = folio_walk_start(&fw, vma, addr, 0);
	if (folio) {
		if (folio_test_anon(folio)) {
			folio_get(folio);
			page = fw.page;
		}
		folio_walk_end(&fw, vma);
	}
out:
	mmap_read_unlock(mm);
	return page; /* BUG */
}

static vm_fault_t do_numa_page(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct folio *folio = NULL;
	int nid = NUMA_NO_NODE;
	bool writable = false;
	int last_cpupid;
	int target_nid;
	pte_t pte, old_pte;
	int flags = 0;

	old_pte = ptep_get(vmf->pte);
	pte = pte_modify(old_pte, vma->vm_page_prot);
	folio = vm_normal_folio(vma, vmf->address, pte);
	if (!folio)
		goto out_map;

	nid = folio_nid(folio);
	target_nid = numa_migrate_check(folio, vmf, vmf->address, &flags, /* BUG */
					writable, &last_cpupid);
	if (target_nid == NUMA_NO_NODE)
		goto out_map;
	if (migrate_misplaced_folio_prepare(folio, vma, target_nid))
		goto out_map;
	pte_unmap_unlock(vmf->pte, vmf->ptl);
	if (!migrate_misplaced_folio(folio, vma, target_nid))
		return 0;
out_map:
	return 0;
}
