// SPDX-License-Identifier: GPL-2.0-only
/*
 * Negative: seed 000 '+' sides for mm/memcontrol.c, mm/gup.c and walkers
 * that test presence after pmd_trans_huge_lock() (6.12 mlock, mempolicy).
 */
static enum mc_target_type get_mctgt_type_thp(struct vm_area_struct *vma,
		unsigned long addr, pmd_t pmd, union mc_target *target)
{
	struct page *page;
	enum mc_target_type ret = MC_TARGET_NONE;

	if (unlikely(is_swap_pmd(pmd))) {
		VM_BUG_ON(thp_migration_supported() &&
			  !is_pmd_migration_entry(pmd));
		return ret;
	}
	page = pmd_page(pmd);
	if (folio_memcg(page_folio(page)) == mc.from)
		ret = MC_TARGET_PAGE;
	return ret;
}

static int mlock_pte_range(pmd_t *pmd, unsigned long addr,
			   unsigned long end, struct mm_walk *walk)
{
	struct vm_area_struct *vma = walk->vma;
	spinlock_t *ptl;
	struct folio *folio;

	ptl = pmd_trans_huge_lock(pmd, vma);
	if (ptl) {
		if (!pmd_present(*pmd))
			goto out;
		if (is_huge_zero_pmd(*pmd))
			goto out;
		folio = pmd_folio(*pmd);
		mlock_folio(folio);
		goto out;
	}
out:
	spin_unlock(ptl);
	return 0;
}

static void queue_folios_pmd(pmd_t *pmd, struct mm_walk *walk)
{
	struct folio *folio;
	struct queue_pages *qp = walk->private;

	if (unlikely(is_pmd_migration_entry(*pmd))) {
		qp->nr_failed++;
		return;
	}
	folio = pmd_folio(*pmd);
	queue_folio_required(folio, qp);
}

static int queue_folios_pte_range(pmd_t *pmd, unsigned long addr,
				  unsigned long end, struct mm_walk *walk)
{
	spinlock_t *ptl = pmd_trans_huge_lock(pmd, walk->vma);

	if (ptl) {
		queue_folios_pmd(pmd, walk);
		spin_unlock(ptl);
	}
	return 0;
}

static int gup_fast_pmd_range(pud_t *pudp, pud_t pud, unsigned long addr,
			      unsigned long end, unsigned int flags,
			      struct page **pages, int *nr)
{
	pmd_t pmd = pmdp_get_lockless(pmd_offset_lockless(pudp, pud, addr));

	if (!pmd_present(pmd))
		return 0;
	if (pmd_devmap(pmd))
		return gup_fast_devmap_pmd_leaf(pmd_pfn(pmd), addr, pages, nr);
	return 1;
}

static void show_pmd(pmd_t pmd)
{
	if (pmd_present(pmd))
		pr_info("%lx\n", pmd_pfn(pmd));
	else if (is_swap_pmd(pmd))
		pr_info("%lx\n", swp_offset(pmd_to_swp_entry(pmd)));
	pr_info("%lx\n", pmd_present(pmd) ? pmd_pfn(pmd) : 0UL);
}

/* 6.12 zap_pmd_range(): pmd_devmap() evaluated only when !is_swap_pmd() */
static inline unsigned long zap_pmd_range(struct mmu_gather *tlb,
				struct vm_area_struct *vma, pud_t *pud,
				unsigned long addr, unsigned long end,
				struct zap_details *details)
{
	pmd_t *pmd;
	unsigned long next;

	pmd = pmd_offset(pud, addr);
	do {
		next = pmd_addr_end(addr, end);
		if (is_swap_pmd(*pmd) || pmd_trans_huge(*pmd) || pmd_devmap(*pmd)) {
			if (zap_huge_pmd(tlb, vma, pmd, addr)) {
				addr = next;
				continue;
			}
		}
		if (pmd_none(*pmd)) {
			addr = next;
			continue;
		}
		addr = zap_pte_range(tlb, vma, pmd, addr, next, details);
	} while (pmd++, cond_resched(), addr != end);
	return addr;
}

/* 6.12 __pte_offset_map(): none and migration excluded in one condition */
pte_t *__pte_offset_map(pmd_t *pmd, unsigned long addr, pmd_t *pmdvalp)
{
	pmd_t pmdval = pmdp_get_lockless(pmd);

	if (unlikely(pmd_none(pmdval) || is_pmd_migration_entry(pmdval)))
		goto nomap;
	if (unlikely(pmd_trans_huge(pmdval) || pmd_devmap(pmdval)))
		goto nomap;
	return __pte_map(&pmdval, addr);
nomap:
	return NULL;
}
