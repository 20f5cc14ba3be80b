// SPDX-License-Identifier: GPL-2.0
/*
 * Smoke test of the path seed 000 hardens: a PMD-mapped THP is migrated
 * to the other NUMA node and back with move_pages(), which installs a PMD
 * migration entry while the move is in flight. Checks the data, that the
 * range is still PMD-mapped (AnonHugePages) and that thp_migration_success
 * grew, i.e. the THP moved whole rather than being split.
 */
#include <stdint.h>
#include <sys/mman.h>
#include "../guest.h"

#define HPAGE	(2UL << 20)
#define NR_HP	4

static long anon_huge_kb(void *addr)
{
	char line[256], want[64];
	long kb = -1;
	int in = 0;
	FILE *f = fopen("/proc/self/smaps", "r");

	snprintf(want, sizeof(want), "%lx-", (unsigned long)addr);
	while (f && fgets(line, sizeof(line), f)) {
		if (strchr(line, '-') && strchr(line, ' ') > strchr(line, '-'))
			in = !strncmp(line, want, strlen(want));
		if (in && sscanf(line, "AnonHugePages: %ld", &kb) == 1)
			break;
	}
	if (f)
		fclose(f);
	return kb;
}

static int check(unsigned char *p, unsigned char seed)
{
	for (size_t i = 0; i < NR_HP * HPAGE; i += 64)
		if (p[i] != (unsigned char)(seed + i / 4096))
			return 0;
	return 1;
}

static int move_all(unsigned char *p, int node)
{
	void *pages[NR_HP];
	int nodes[NR_HP], status[NR_HP], ok = 1;

	for (int i = 0; i < NR_HP; i++) {
		pages[i] = p + i * HPAGE;
		nodes[i] = node;
	}
	if (move_pages(0, NR_HP, pages, nodes, status, MPOL_MF_MOVE)) {
		tap_diag("move_pages: %s", strerror(errno));
		return 0;
	}
	for (int i = 0; i < NR_HP; i++)
		if (status[i] != node) {
			tap_diag("page %d: status %d, want node %d", i, status[i], node);
			ok = 0;
		}
	return ok;
}

/* Node of the first THP (move_pages() with no target node only queries). */
static int node_of(unsigned char *p)
{
	void *page = p;
	int status = -1;

	if (move_pages(0, 1, &page, NULL, &status, 0))
		return -1;
	return status;
}

int main(void)
{
	size_t len = (NR_HP + 1) * HPAGE;
	unsigned char *raw, *p;
	long long mig0, mig1;
	int home, gathered;
	long kb;

	tap_plan(5);
	raw = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		return KSFT_FAIL;
	p = (unsigned char *)(((uintptr_t)raw + HPAGE - 1) & ~(HPAGE - 1));
	munmap(raw, p - raw);
	munmap(p + NR_HP * HPAGE, raw + len - (p + NR_HP * HPAGE));
	madvise(p, NR_HP * HPAGE, MADV_HUGEPAGE);
	for (size_t i = 0; i < NR_HP * HPAGE; i += 64)
		p[i] = (unsigned char)(0x5a + i / 4096);

	kb = anon_huge_kb(p);
	tap_result(kb == (long)(NR_HP * HPAGE >> 10), "range is THP-backed (AnonHugePages %ld kB)", kb);

	/*
	 * The THPs start on whichever node had memory when they were
	 * faulted, not necessarily all on one: gather them on the first
	 * one's node (uncounted), then move them to the other node and back,
	 * so that both moves migrate every THP.
	 */
	home = node_of(p);
	gathered = (home == 0 || home == 1) && move_all(p, home);
	mig0 = vmstat("thp_migration_success");
	tap_result(gathered && move_all(p, !home) && move_all(p, home),
		   "move_pages from node %d to node %d and back", home, !home);
	mig1 = vmstat("thp_migration_success");
	tap_result(mig0 >= 0 && mig1 - mig0 >= 2 * NR_HP,
		   "thp_migration_success grew by %lld (want >= %d)", mig1 - mig0, 2 * NR_HP);
	tap_result(check(p, 0x5a), "data intact after migration");
	kb = anon_huge_kb(p);
	tap_result(kb == (long)(NR_HP * HPAGE >> 10), "still PMD-mapped after migration (%ld kB)", kb);
	return tap_exit();
}
