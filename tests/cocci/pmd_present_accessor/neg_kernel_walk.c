// SPDX-License-Identifier: GPL-2.0-only
/*
 * Negative: contracts B8 and B9.  Walks of the kernel's own page tables
 * (6.12 arch/x86/mm/init_64.c register_page_bootmem_memmap(): tables reached
 * through pgd_offset_k(), ptes through pte_offset_kernel()) and the Xen PV
 * pinning walk (arch/x86/xen/mmu_pv.c xen_pmd_walk()) test only pmd_none()
 * before pmd_page(): no swap-format pmd can exist there.
 */
void register_page_bootmem_memmap(unsigned long section_nr,
				  struct page *start_page, unsigned long nr_pages)
{
	unsigned long addr = (unsigned long)start_page;
	unsigned long end = (unsigned long)(start_page + nr_pages);
	unsigned long next;
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	struct page *page;

	for (; addr < end; addr = next) {
		pte_t *pte = NULL;

		pgd = pgd_offset_k(addr);
		if (pgd_none(*pgd)) {
			next = (addr + PAGE_SIZE) & PAGE_MASK;
			continue;
		}
		p4d = p4d_offset(pgd, addr);
		pud = pud_offset(p4d, addr);
		if (!boot_cpu_has(X86_FEATURE_PSE)) {
			next = (addr + PAGE_SIZE) & PAGE_MASK;
			pmd = pmd_offset(pud, addr);
			if (pmd_none(*pmd))
				continue;
			get_page_bootmem(section_nr, pmd_page(*pmd), MIX_SECTION_INFO);
			pte = pte_offset_kernel(pmd, addr);
			if (pte_none(*pte))
				continue;
		} else {
			next = pmd_addr_end(addr, end);
			pmd = pmd_offset(pud, addr);
			if (pmd_none(*pmd))
				continue;
			page = pmd_page(*pmd);
			get_page_bootmem(section_nr, page, SECTION_INFO);
		}
	}
}

/* A direct-map walk that names init_mm instead of pgd_offset_k(). */
static struct page *kernel_pmd_page(unsigned long addr)
{
	pmd_t *pmd = pmd_offset(pud_offset(p4d_offset(pgd_offset(&init_mm, addr),
						       addr), addr), addr);

	if (pmd_none(*pmd))
		return NULL;
	return pmd_page(*pmd);
}

static void xen_pmd_walk(struct mm_struct *mm, pmd_t *pmd,
			 void (*func)(struct mm_struct *mm, struct page *,
				      enum pt_level),
			 bool last, unsigned long limit)
{
	int i, nr;

	nr = last ? pmd_index(limit) + 1 : PTRS_PER_PMD;
	for (i = 0; i < nr; i++) {
		if (!pmd_none(pmd[i]))
			(*func)(mm, pmd_page(pmd[i]), PT_PTE);
	}
}
