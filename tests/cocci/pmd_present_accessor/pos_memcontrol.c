// SPDX-License-Identifier: GPL-2.0-only
/*
 * Positive: seed 000, mm/memcontrol.c get_mctgt_type_thp(), '-' side in
 * 6.12 style (mm/memcontrol-v1.c): the callers pass *pmd straight from
 * pmd_trans_huge_lock(), so a migration entry reaches pmd_page().
 */
static enum mc_target_type get_mctgt_type_thp(struct vm_area_struct *vma,
		unsigned long addr, pmd_t pmd, union mc_target *target)
{
	struct page *page;
	struct folio *folio;
	enum mc_target_type ret = MC_TARGET_NONE;

	page = pmd_page(pmd); /* BUG */
	VM_BUG_ON_PAGE(!page || !PageHead(page), page);
	folio = page_folio(page);
	if (folio_memcg(folio) == mc.from)
		ret = MC_TARGET_PAGE;
	return ret;
}

static int mem_cgroup_count_precharge_pte_range(pmd_t *pmd,
					unsigned long addr, unsigned long end,
					struct mm_walk *walk)
{
	struct vm_area_struct *vma = walk->vma;
	spinlock_t *ptl;

	ptl = pmd_trans_huge_lock(pmd, vma);
	if (ptl) {
		if (get_mctgt_type_thp(vma, addr, *pmd, NULL) == MC_TARGET_PAGE)
			mc.precharge += HPAGE_PMD_NR;
		spin_unlock(ptl);
		return 0;
	}
	return 0;
}
