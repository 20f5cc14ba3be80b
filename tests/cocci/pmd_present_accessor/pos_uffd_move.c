// SPDX-License-Identifier: GPL-2.0-only
/*
 * Positive (A1) and the patch-mode fix: 6.12 mm/userfaultfd.c move_pages()
 * calls pmd_devmap() on the pmd that pmd_trans_huge_lock() may have locked
 * as a migration entry (fixed by pmdsafe 0003).  The second function has
 * the same use inside a larger condition, where the fix must keep the
 * negation right.
 */
static ssize_t move_one_pmd(struct mm_struct *mm, pmd_t *src_pmd,
			    struct vm_area_struct *src_vma)
{
	spinlock_t *ptl;
	ssize_t err = 0;

	ptl = pmd_trans_huge_lock(src_pmd, src_vma);
	if (ptl) {
		if (pmd_devmap(*src_pmd)) {
			spin_unlock(ptl);
			return -ENOENT;
		}
		if (pmd_present(*src_pmd))
			err = 1;
		spin_unlock(ptl);
	}
	return err;
}

static bool movable_pmd(pmd_t *pmd, struct vm_area_struct *vma)
{
	spinlock_t *ptl = pmd_trans_huge_lock(pmd, vma);
	bool ret = false;

	if (ptl) {
		ret = !pmd_devmap(*pmd) || vma_is_anonymous(vma);
		spin_unlock(ptl);
	}
	return ret;
}
