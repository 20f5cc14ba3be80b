// SPDX-License-Identifier: GPL-2.0
/*
 * thp_migration_race - THP migration between NUMA nodes racing with every
 * kind of pmd-level user.
 *
 * Covers seed 000 (/work/shared/seeds/000_bfe1789a9307b7ef.txt):
 * "[PATCH v2 07/12] mm: thp: check pmd migration entry in common path".
 * Once THPs migrate as a whole, a PMD can hold a migration entry, and
 * every path that looks at a huge PMD (pagemap, smaps, numa_maps,
 * clear_refs, mincore, mprotect, mremap, madvise, zap, fork/COW, GUP)
 * must notice it is not present instead of calling pmd_page() on it.
 *
 * Each test keeps a 16 MiB, 2 MiB aligned, THP-backed private region
 * whose every 4 KiB page carries a pattern derived from (page index,
 * generation).  A migrator thread bounces the process (and, in the fork
 * test, its child) between node 0 and node 1 with migrate_pages(2) and
 * move_pages(2) while racers run for PMDSAFE_STRESS_SECONDS (default 5):
 *
 *   proc_walkers  pagemap, smaps, numa_maps readers in another process,
 *                 clear_refs (4 and 1) + soft-dirty check, mincore
 *   vma_ops       mprotect (whole and partial), mremap (whole and partial,
 *                 away and back), munmap + mmap MAP_FIXED + refill
 *   madvise_ops   MADV_DONTNEED (whole and partial), MADV_FREE, MADV_COLD,
 *                 MADV_PAGEOUT
 *   fork_cow      fork while migrating; child and parent COW-write and
 *                 check each other's isolation; the child is migrated too
 *   gup_readers   process_vm_readv/writev and /proc/pid/mem from another
 *                 process, vmsplice into a pipe
 *
 * The racers own disjoint chunks of the region, so the expected content of
 * every page is known at any time.  Each test then checks: no racer saw
 * unexpected data or an impossible /proc value, thp_migration_success in
 * /proc/vmstat grew by at least one full bounce of the region, a final
 * migration puts every page on the requested node (move_pages status query)
 * and the whole region still holds the expected patterns.
 *
 * Missing preconditions (two NUMA nodes, THP, madvise(2)) are failures,
 * never skips: a skipped migration test proves nothing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The 6.12 harness has unused parameters; keep -Wextra -Werror usable. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "../kselftest_harness.h"
#pragma GCC diagnostic pop

#define HPAGE			(2UL << 20)
#define PG			4096UL
#define WORDS			(PG / sizeof(uint64_t))
#define NR_CHUNKS		8
#define REGION_SIZE		(NR_CHUNKS * HPAGE)
#define NR_PAGES		(REGION_SIZE / PG)
#define PAGES_PER_CHUNK		(HPAGE / PG)
#define DEFAULT_STRESS_SECONDS	5

#ifndef MPOL_MF_MOVE
#define MPOL_MF_MOVE		(1 << 1)
#endif
#ifndef MPOL_MF_MOVE_ALL
#define MPOL_MF_MOVE_ALL	(1 << 2)
#endif
#ifndef MADV_COLD
#define MADV_COLD		20
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT		21
#endif

#define PM_PRESENT		(1ULL << 63)
#define PM_SWAP			(1ULL << 62)
#define PM_SOFT_DIRTY		(1ULL << 55)
#define PM_PFN_MASK		((1ULL << 55) - 1)

/* ---------------------------------------------------------------------- */
/* helpers                                                                */

static int stress_seconds(void)
{
	const char *s = getenv("PMDSAFE_STRESS_SECONDS");
	long v = s ? strtol(s, NULL, 10) : 0;

	if (v <= 0)
		v = DEFAULT_STRESS_SECONDS;
	return v > 3600 ? 3600 : (int)v;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Unique, never zero, for page < 2^19 and any 32-bit generation. */
static inline uint64_t pattern(unsigned long page, uint32_t gen, unsigned long w)
{
	return (1ULL << 63) | ((uint64_t)page << 44) | ((uint64_t)gen << 12) | w;
}

static void fill_page(char *addr, unsigned long page, uint32_t gen)
{
	uint64_t *p = (uint64_t *)addr;
	unsigned long w;

	for (w = 0; w < WORDS; w++)
		p[w] = pattern(page, gen, w);
}

/* Returns -1 if the page holds (page, gen), else the first bad word. */
static long check_page(const char *addr, unsigned long page, uint32_t gen)
{
	const uint64_t *p = (const uint64_t *)addr;
	unsigned long w;

	for (w = 0; w < WORDS; w++)
		if (p[w] != pattern(page, gen, w))
			return w;
	return -1;
}

static int page_is_zero(const char *addr)
{
	const uint64_t *p = (const uint64_t *)addr;
	unsigned long w;

	for (w = 0; w < WORDS; w++)
		if (p[w])
			return 0;
	return 1;
}

static long long vmstat(const char *name)
{
	char key[128];
	long long v, found = -1;
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		return -1;
	while (fscanf(f, "%127s %lld", key, &v) == 2)
		if (!strcmp(key, name))
			found = v;
	fclose(f);
	return found;
}

static int read_file(const char *path, char *buf, size_t len)
{
	size_t off = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	while (off < len - 1 && (n = read(fd, buf + off, len - 1 - off)) > 0)
		off += n;
	close(fd);
	buf[off] = 0;
	return (int)off;
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

static long sys_migrate_pages(pid_t pid, int from, int to)
{
	unsigned long old_nodes = 1UL << from, new_nodes = 1UL << to;

	/* maxnode counts bits + 1, like libnuma does. */
	return syscall(SYS_migrate_pages, pid, 8 * sizeof(unsigned long) + 1,
		       &old_nodes, &new_nodes);
}

static long sys_move_pages(pid_t pid, unsigned long count, void **pages,
			   const int *nodes, int *status, int flags)
{
	return syscall(SYS_move_pages, pid, count, pages, nodes, status, flags);
}

/* Both node 0 and node 1 online and holding memory. */
static int two_nodes(char *why, size_t len)
{
	char buf[64];

	if (read_file("/sys/devices/system/node/has_memory", buf, sizeof(buf)) < 0) {
		snprintf(why, len, "no /sys/devices/system/node/has_memory (CONFIG_NUMA?)");
		return 0;
	}
	if (strncmp(buf, "0-1", 3) && strncmp(buf, "0,1", 3) &&
	    strncmp(buf, "0-", 2)) {
		snprintf(why, len, "need memory on nodes 0 and 1, has_memory=%s", buf);
		return 0;
	}
	return 1;
}

/* Sum of Rss/AnonHugePages/Swap (kB) over the VMAs inside [start, end). */
struct vma_sum {
	long rss_kb, anon_huge_kb, swap_kb;
	int vmas;
};

static int smaps_range(pid_t pid, unsigned long start, unsigned long end,
		       struct vma_sum *s)
{
	/* not reentrant: main thread or a single-threaded child only */
	static char buf[256 * 1024];
	char path[64], *line, *save = NULL;
	int in = 0;

	memset(s, 0, sizeof(*s));
	snprintf(path, sizeof(path), "/proc/%d/smaps", pid);
	if (read_file(path, buf, sizeof(buf)) < 0)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned long a, b;
		long v;

		if (sscanf(line, "%lx-%lx ", &a, &b) == 2 && strchr(line, ' ')) {
			in = a >= start && b <= end;
			s->vmas += in;
			continue;
		}
		if (!in)
			continue;
		if (sscanf(line, "Rss: %ld kB", &v) == 1)
			s->rss_kb += v;
		else if (sscanf(line, "AnonHugePages: %ld kB", &v) == 1)
			s->anon_huge_kb += v;
		else if (sscanf(line, "Swap: %ld kB", &v) == 1)
			s->swap_kb += v;
	}
	return 0;
}

/* ---------------------------------------------------------------------- */
/* shared control block (MAP_SHARED: visible to threads and children)     */

struct ctl {
	volatile int stop;
	volatile pid_t child;		/* also migrated when non-zero */
	volatile int failed;
	volatile int ready;		/* helper child dropped its region copy */
	char msg[1024];
	/* migrator */
	long mig_calls, mig_unmoved, mv_calls, mv_moved, mv_errs, mv_partial;
	/* racers */
	long ops[8];
	long seen_migration_entries;
	/* fork test: child gens written, gup test: remote gens */
	uint32_t remote_gen[NR_PAGES];
};

static void failf(struct ctl *c, const char *fmt, ...)
{
	va_list ap;

	if (!__sync_bool_compare_and_swap(&c->failed, 0, 1))
		return;
	va_start(ap, fmt);
	vsnprintf(c->msg, sizeof(c->msg), fmt, ap);
	va_end(ap);
	c->stop = 1;
}

/* ---------------------------------------------------------------------- */
/* fixture                                                                */

FIXTURE(thp)
{
	char *resv;		/* whole PROT_NONE reservation */
	size_t resv_len;
	char *region;		/* 2 MiB aligned, REGION_SIZE, RW */
	char *spare;		/* 2 MiB aligned PROT_NONE slot (mremap target) */
	struct ctl *c;
	uint32_t gen[NR_PAGES];
	int secs;
	long long thp_succ0, thp_fail0, thp_split0, split_pmd0;
};

FIXTURE_SETUP(thp)
{
	char why[256], en[256], buf[64];
	struct vma_sum s;
	unsigned long i;

	self->secs = stress_seconds();
	ASSERT_TRUE(two_nodes(why, sizeof(why))) TH_LOG("%s", why);
	ASSERT_GE(read_file("/sys/kernel/mm/transparent_hugepage/enabled", en,
			    sizeof(en)), 0)
		TH_LOG("no THP sysfs: kernel without CONFIG_TRANSPARENT_HUGEPAGE");
	ASSERT_TRUE(strstr(en, "[always]") || strstr(en, "[madvise]"))
		TH_LOG("THP disabled: enabled=%s", en);
	ASSERT_GE(read_file("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size",
			    buf, sizeof(buf)), 0);
	ASSERT_EQ(HPAGE, strtoul(buf, NULL, 10));
	ASSERT_GE(vmstat("thp_migration_success"), 0)
		TH_LOG("no thp_migration_success in /proc/vmstat");

	self->c = mmap(NULL, sizeof(*self->c), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->c);

	/* [guard][region][gap][spare][guard], all PROT_NONE but the region */
	self->resv_len = REGION_SIZE + 5 * HPAGE;
	self->resv = mmap(NULL, self->resv_len, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ASSERT_NE(MAP_FAILED, self->resv);
	self->region = (char *)(((unsigned long)self->resv + 2 * HPAGE - 1) &
				~(HPAGE - 1));
	self->spare = self->region + REGION_SIZE + HPAGE;
	ASSERT_EQ(0, mprotect(self->region, REGION_SIZE, PROT_READ | PROT_WRITE));
	/* Without madvise(2) (ENOSYS) THP must be "always" to get THPs. */
	if (madvise(self->region, REGION_SIZE, MADV_HUGEPAGE))
		ASSERT_TRUE(errno == ENOSYS && strstr(en, "[always]"))
			TH_LOG("madvise(MADV_HUGEPAGE): %s", strerror(errno));

	for (i = 0; i < NR_PAGES; i++) {
		self->gen[i] = 1;
		fill_page(self->region + i * PG, i, 1);
	}
	ASSERT_EQ(0, smaps_range(getpid(), (unsigned long)self->region,
				 (unsigned long)self->region + REGION_SIZE, &s));
	ASSERT_EQ((long)(REGION_SIZE / 1024), s.anon_huge_kb)
		TH_LOG("region is not THP-backed: AnonHugePages %ld kB of %lu",
		       s.anon_huge_kb, REGION_SIZE / 1024);

	self->thp_succ0 = vmstat("thp_migration_success");
	self->thp_fail0 = vmstat("thp_migration_fail");
	self->thp_split0 = vmstat("thp_migration_split");
	self->split_pmd0 = vmstat("thp_split_pmd");
}

FIXTURE_TEARDOWN(thp)
{
	if (self->c && self->c != MAP_FAILED && self->c->child > 0)
		kill(self->c->child, SIGKILL);
	if (self->resv && self->resv != MAP_FAILED)
		munmap(self->resv, self->resv_len);
	if (self->c && self->c != MAP_FAILED)
		munmap(self->c, sizeof(*self->c));
}

/* ---------------------------------------------------------------------- */
/* migrator                                                               */

struct margs {
	struct ctl *c;
	char *region;
};

static void check_move_status(struct ctl *c, const char *who, long r,
			      int n, const int *status, int node)
{
	int i;

	for (i = 0; i < n; i++) {
		int s = status[i];

		if (s == node) {
			c->mv_moved++;
			continue;
		}
		if (s == -1000 && r > 0)	/* batch aborted before it */
			continue;
		if (s == -EFAULT || s == -ENOENT || s == -EBUSY ||
		    s == -EACCES || s == -EAGAIN || s == -ENOMEM) {
			c->mv_errs++;
			continue;
		}
		failf(c, "move_pages(%s) to node %d: entry %d status %d (ret %ld)",
		      who, node, i, s, r);
		return;
	}
}

static void *migrator(void *arg)
{
	struct margs *m = arg;
	struct ctl *c = m->c;
	void *addrs[NR_CHUNKS];
	int nodes[NR_CHUNKS], status[NR_CHUNKS];
	unsigned long iter = 0;
	pid_t self = getpid();

	while (!c->stop) {
		int to = (iter & 1) ? 0 : 1, from = !to;
		pid_t pids[2] = { self, c->child };
		int p, i;
		long r;

		/* migrate_pages(2): the whole address space, from -> to */
		for (p = 0; p < 2; p++) {
			if (pids[p] <= 0)
				continue;
			r = sys_migrate_pages(pids[p], from, to);
			if (r < 0) {
				if (p && errno == ESRCH)
					continue;
				failf(c, "migrate_pages(%d, %d->%d): %s",
				      pids[p], from, to, strerror(errno));
				return NULL;
			}
			c->mig_calls++;
			c->mig_unmoved += r;
		}
		if (c->stop)
			break;

		/* move_pages(2): one address per THP (head or a tail), back */
		for (i = 0; i < NR_CHUNKS; i++) {
			unsigned long sub = (iter * 37 + i * 101) % PAGES_PER_CHUNK;

			addrs[i] = m->region + i * HPAGE + sub * PG;
			nodes[i] = from;
		}
		for (p = 0; p < 2; p++) {
			if (pids[p] <= 0)
				continue;
			for (i = 0; i < NR_CHUNKS; i++)
				status[i] = -1000;
			r = sys_move_pages(pids[p], NR_CHUNKS, addrs, nodes,
					   status, MPOL_MF_MOVE_ALL);
			if (r < 0) {
				if (p && errno == ESRCH)
					continue;
				failf(c, "move_pages(%d): %s", pids[p],
				      strerror(errno));
				return NULL;
			}
			c->mv_calls++;
			if (r > 0)
				c->mv_partial++;
			check_move_status(c, p ? "child" : "self", r, NR_CHUNKS,
					  status, from);
		}
		iter++;
	}
	return NULL;
}

/* ---------------------------------------------------------------------- */
/* common start/stop and final checks                                     */

static int start_migrator(FIXTURE_DATA(thp) *self, pthread_t *t,
			  struct margs *m)
{
	m->c = self->c;
	m->region = self->region;
	return pthread_create(t, NULL, migrator, m);
}

static void run_for(FIXTURE_DATA(thp) *self)
{
	double end = now() + self->secs;

	while (!self->c->stop && now() < end)
		usleep(20000);
	self->c->stop = 1;
}

/*
 * After the racers stopped: migrate everything to @node, query every page
 * of the region, and verify all patterns.  Returns 0 or fills c->msg.
 */
static int final_checks(FIXTURE_DATA(thp) *self, int node)
{
	static void *addrs[NR_PAGES];
	static int status[NR_PAGES];
	struct ctl *c = self->c;
	unsigned long i;
	int tries, wrong = 0;
	long r;

	for (i = 0; i < NR_PAGES; i++)
		addrs[i] = self->region + i * PG;
	for (tries = 0; tries < 5; tries++) {
		r = sys_migrate_pages(getpid(), !node, node);
		if (r < 0) {
			failf(c, "final migrate_pages: %s", strerror(errno));
			return -1;
		}
		r = sys_move_pages(0, NR_PAGES, addrs, NULL, status, 0);
		if (r) {
			failf(c, "move_pages query: %ld %s", r, strerror(errno));
			return -1;
		}
		for (wrong = 0, i = 0; i < NR_PAGES; i++)
			wrong += status[i] != node;
		if (!wrong)
			break;
		usleep(100000);
	}
	if (wrong) {
		for (i = 0; i < NR_PAGES && status[i] == node; i++)
			;
		failf(c, "%d pages not on node %d after final migration (page %lu status %d)",
		      wrong, node, i, status[i]);
		return -1;
	}
	for (i = 0; i < NR_PAGES; i++) {
		long w = check_page(self->region + i * PG, i, self->gen[i]);

		if (w >= 0) {
			failf(c, "page %lu word %ld: %#llx, expected %#llx (gen %u)",
			      i, w,
			      (unsigned long long)((uint64_t *)(self->region + i * PG))[w],
			      (unsigned long long)pattern(i, self->gen[i], w),
			      self->gen[i]);
			return -1;
		}
	}
	return 0;
}

static void report(struct __test_metadata *_metadata, FIXTURE_DATA(thp) *self,
		   const char *names[], int nops)
{
	struct ctl *c = self->c;
	char ops[256] = "";
	int i, n = 0;

	for (i = 0; i < nops; i++)
		n += snprintf(ops + n, sizeof(ops) - n, " %s=%ld", names[i],
			      c->ops[i]);
	ksft_print_msg("%ds: migrate_pages=%ld (unmoved %ld) move_pages=%ld moved=%ld errs=%ld partial=%ld;%s\n",
		       self->secs, c->mig_calls, c->mig_unmoved, c->mv_calls,
		       c->mv_moved, c->mv_errs, c->mv_partial, ops);
	ksft_print_msg("thp_migration success +%lld fail +%lld split +%lld; thp_split_pmd +%lld\n",
		       vmstat("thp_migration_success") - self->thp_succ0,
		       vmstat("thp_migration_fail") - self->thp_fail0,
		       vmstat("thp_migration_split") - self->thp_split0,
		       vmstat("thp_split_pmd") - self->split_pmd0);
	(void)_metadata;
}

#define FINISH(names, require_pmd, min_thp)					\
do {										\
	struct vma_sum s;							\
	ASSERT_EQ(0, self->c->failed) TH_LOG("%s", self->c->msg);		\
	report(_metadata, self, names, sizeof(names) / sizeof(names[0]));	\
	ASSERT_EQ(0, final_checks(self, 1)) TH_LOG("%s", self->c->msg);	\
	ASSERT_EQ(0, final_checks(self, 0)) TH_LOG("%s", self->c->msg);	\
	ASSERT_GE(vmstat("thp_migration_success") - self->thp_succ0, min_thp)	\
		TH_LOG("THPs were not migrated as THPs");			\
	ASSERT_EQ(0, smaps_range(getpid(), (unsigned long)self->region,	\
				 (unsigned long)self->region + REGION_SIZE, &s)); \
	EXPECT_EQ((long)(REGION_SIZE / 1024), s.rss_kb);			\
	EXPECT_EQ(0, s.swap_kb);						\
	if (require_pmd)							\
		EXPECT_EQ((long)(REGION_SIZE / 1024), s.anon_huge_kb)		\
			TH_LOG("THPs lost their PMD mapping");			\
} while (0)

/* ---------------------------------------------------------------------- */
/* 1. /proc walkers, clear_refs, mincore                                  */

/*
 * A helper child must not keep the region COW-shared: the parent's THPs
 * would lose PageAnonExclusive and the first write or pin would split their
 * PMD.  (Without madvise(2) there is no MADV_DONTFORK.)
 */
static void drop_region_copy(struct ctl *c, char *resv, size_t resv_len)
{
	if (munmap(resv, resv_len)) {
		failf(c, "child munmap: %s", strerror(errno));
		_exit(1);
	}
	c->ready = 1;
}

static int wait_ready(struct ctl *c)
{
	double end = now() + 30;

	while (!c->ready && !c->failed && now() < end)
		usleep(1000);
	return c->ready ? 0 : -1;
}

/* Child process: reads the parent's pagemap, smaps and numa_maps. */
static void proc_reader(struct ctl *c, pid_t pid, char *region,
			char *resv, size_t resv_len)
{
	static uint64_t pm[NR_PAGES];
	static char buf[256 * 1024];
	unsigned long start = (unsigned long)region, i;
	char path[64];
	int fd;

	drop_region_copy(c, resv, resv_len);
	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		failf(c, "open %s: %s", path, strerror(errno));
		_exit(1);
	}
	while (!c->stop) {
		struct vma_sum s;
		char *l;
		ssize_t n = pread(fd, pm, sizeof(pm), (start / PG) * 8);

		if (n != sizeof(pm)) {
			failf(c, "pagemap read %zd: %s", n, strerror(errno));
			break;
		}
		for (i = 0; i < NR_PAGES; i++) {
			uint64_t e = pm[i], f = e & PM_PFN_MASK;

			if (!!(e & PM_PRESENT) == !!(e & PM_SWAP)) {
				failf(c, "pagemap page %lu: %#llx (populated page neither present nor swap)",
				      i, (unsigned long long)e);
				break;
			}
			if ((e & PM_PRESENT) && !f) {
				failf(c, "pagemap page %lu: present with pfn 0", i);
				break;
			}
			if (e & PM_SWAP) {
				/* no swap device: only migration entries */
				if ((f & 0x1f) < 16 || !(f >> 5)) {
					failf(c, "pagemap page %lu: swap entry %#llx is not a migration entry",
					      i, (unsigned long long)e);
					break;
				}
				__sync_fetch_and_add(&c->seen_migration_entries, 1);
			}
		}
		c->ops[0]++;

		if (smaps_range(pid, start, start + REGION_SIZE, &s)) {
			failf(c, "smaps read: %s", strerror(errno));
			break;
		}
		if (s.vmas != 1 || s.rss_kb > (long)(REGION_SIZE / 1024) ||
		    s.anon_huge_kb > (long)(REGION_SIZE / 1024) || s.swap_kb) {
			failf(c, "smaps: vmas=%d Rss=%ld AnonHugePages=%ld Swap=%ld kB",
			      s.vmas, s.rss_kb, s.anon_huge_kb, s.swap_kb);
			break;
		}
		c->ops[1]++;

		snprintf(path, sizeof(path), "/proc/%d/numa_maps", pid);
		if (read_file(path, buf, sizeof(buf)) < 0) {
			failf(c, "numa_maps read: %s", strerror(errno));
			break;
		}
		for (l = buf; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
			if (strtoul(l, NULL, 16) == start)
				break;
		if (!l || !*l) {
			failf(c, "numa_maps: no line for %#lx", start);
			break;
		} else {
			char *n0 = strstr(l, " N0="), *n1 = strstr(l, " N1=");
			char *eol = strchr(l, '\n');
			unsigned long a = 0, b = 0;

			if (n0 && (!eol || n0 < eol))
				a = strtoul(n0 + 4, NULL, 10);
			if (n1 && (!eol || n1 < eol))
				b = strtoul(n1 + 4, NULL, 10);
			if (a + b > NR_PAGES) {
				failf(c, "numa_maps: N0=%lu + N1=%lu > %lu pages",
				      a, b, NR_PAGES);
				break;
			}
		}
		c->ops[2]++;
	}
	close(fd);
	_exit(0);
}

struct targs {
	FIXTURE_DATA(thp) *self;
	unsigned long first, last;	/* owned chunk range [first, last) */
	int slot;			/* ops[] index */
	int whole;			/* mincore the whole region */
};

/* clear_refs 4 (and sometimes 1), write a page, its pagemap SD bit must be set */
static void *soft_dirty_racer(void *arg)
{
	struct targs *a = arg;
	FIXTURE_DATA(thp) *self = a->self;
	struct ctl *c = self->c;
	unsigned long it = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0) {
		failf(c, "open pagemap: %s", strerror(errno));
		return NULL;
	}
	while (!c->stop) {
		unsigned long pg = a->first * PAGES_PER_CHUNK +
			(it * 613) % ((a->last - a->first) * PAGES_PER_CHUNK);
		char *addr = self->region + pg * PG;
		uint64_t e;
		long w;

		if (write_file("/proc/self/clear_refs", (it % 4) == 3 ? "1" : "4")) {
			failf(c, "clear_refs: %s", strerror(errno));
			break;
		}
		fill_page(addr, pg, ++self->gen[pg]);
		if (pread(fd, &e, 8, ((unsigned long)addr / PG) * 8) != 8) {
			failf(c, "pagemap pread: %s", strerror(errno));
			break;
		}
		if ((it % 4) != 3 && !(e & PM_SOFT_DIRTY)) {
			failf(c, "page %lu written after clear_refs but not soft-dirty (pagemap %#llx)",
			      pg, (unsigned long long)e);
			break;
		}
		w = check_page(addr, pg, self->gen[pg]);
		if (w >= 0) {
			failf(c, "soft-dirty page %lu word %ld corrupt", pg, w);
			break;
		}
		c->ops[a->slot]++;
		it++;
	}
	close(fd);
	return NULL;
}

/* mincore must see every page resident; owned chunks keep their data */
static void *mincore_verifier(void *arg)
{
	struct targs *a = arg;
	FIXTURE_DATA(thp) *self = a->self;
	struct ctl *c = self->c;
	static unsigned char vec[NR_PAGES];
	unsigned long i;

	unsigned long lo = a->whole ? 0 : a->first * PAGES_PER_CHUNK;
	unsigned long hi = a->whole ? NR_PAGES : a->last * PAGES_PER_CHUNK;

	while (!c->stop) {
		/* racers elsewhere may zap or move their chunks: owned range */
		if (mincore(self->region + lo * PG, (hi - lo) * PG, vec)) {
			failf(c, "mincore: %s", strerror(errno));
			break;
		}
		for (i = 0; i < hi - lo; i++)
			if (!(vec[i] & 1)) {
				failf(c, "mincore: page %lu not resident", lo + i);
				return NULL;
			}
		for (i = a->first * PAGES_PER_CHUNK;
		     i < a->last * PAGES_PER_CHUNK && !c->stop; i++) {
			long w = check_page(self->region + i * PG, i, self->gen[i]);

			if (w >= 0) {
				failf(c, "page %lu word %ld corrupt", i, w);
				return NULL;
			}
		}
		c->ops[a->slot]++;
	}
	return NULL;
}

TEST_F(thp, proc_walkers)
{
	static const char *names[] = { "pagemap", "smaps", "numa_maps",
				       "softdirty", "mincore" };
	struct targs sd = { .self = self, .first = 0, .last = 2, .slot = 3 };
	struct targs mc = { .self = self, .first = 2, .last = NR_CHUNKS,
			    .slot = 4, .whole = 1 };
	pthread_t tm, tsd, tmc;
	struct margs m;
	pid_t reader, parent = getpid();
	int st;

	reader = fork();
	ASSERT_GE(reader, 0);
	if (!reader)
		proc_reader(self->c, parent, self->region, self->resv,
			    self->resv_len);
	ASSERT_EQ(0, wait_ready(self->c)) TH_LOG("%s", self->c->msg);

	ASSERT_EQ(0, start_migrator(self, &tm, &m));
	ASSERT_EQ(0, pthread_create(&tsd, NULL, soft_dirty_racer, &sd));
	ASSERT_EQ(0, pthread_create(&tmc, NULL, mincore_verifier, &mc));
	run_for(self);
	pthread_join(tm, NULL);
	pthread_join(tsd, NULL);
	pthread_join(tmc, NULL);
	ASSERT_EQ(reader, waitpid(reader, &st, 0));
	ASSERT_TRUE(WIFEXITED(st) && !WEXITSTATUS(st)) TH_LOG("%s", self->c->msg);
	ksft_print_msg("pagemap saw %ld migration entries\n",
		       self->c->seen_migration_entries);
	FINISH(names, 1, 2 * NR_CHUNKS);
	ASSERT_GT(self->c->ops[0], 0);
	ASSERT_GT(self->c->ops[3], 0);
}

/* ---------------------------------------------------------------------- */
/* 2. mprotect, mremap, munmap + remap                                    */

static int verify_chunk(struct ctl *c, const char *addr, unsigned long chunk,
			const uint32_t *gen, const char *what)
{
	unsigned long i, pg0 = chunk * PAGES_PER_CHUNK;

	for (i = 0; i < PAGES_PER_CHUNK; i++) {
		long w = check_page(addr + i * PG, pg0 + i, gen[pg0 + i]);

		if (w >= 0) {
			failf(c, "%s: chunk %lu page %lu word %ld: %#llx expected %#llx",
			      what, chunk, i, w,
			      (unsigned long long)((const uint64_t *)(addr + i * PG))[w],
			      (unsigned long long)pattern(pg0 + i, gen[pg0 + i], w));
			return -1;
		}
	}
	return 0;
}

static void *mprotect_racer(void *arg)
{
	struct targs *a = arg;
	FIXTURE_DATA(thp) *self = a->self;
	struct ctl *c = self->c;
	unsigned long it = 0;

	while (!c->stop) {
		unsigned long ch = a->first + it % (a->last - a->first);
		char *base = self->region + ch * HPAGE;
		unsigned long off = ((it * 77) % (PAGES_PER_CHUNK - 16)) * PG;
		unsigned long pg = ch * PAGES_PER_CHUNK + off / PG;
		int step = it % 3;

		if (step == 0) {	/* whole PMD: change_huge_pmd */
			if (mprotect(base, HPAGE, PROT_READ))
				goto err;
			if (verify_chunk(c, base, ch, self->gen, "mprotect RO"))
				break;
			if (mprotect(base, HPAGE, PROT_NONE) ||
			    mprotect(base, HPAGE, PROT_READ | PROT_WRITE))
				goto err;
		} else if (step == 1) {	/* 64K inside: splits the PMD */
			if (mprotect(base + off, 16 * PG, PROT_READ) ||
			    mprotect(base + off, 16 * PG, PROT_READ | PROT_WRITE))
				goto err;
		} else {		/* 2 MiB across a chunk boundary */
			if (ch + 1 < a->last &&
			    (mprotect(base + HPAGE / 2, HPAGE, PROT_READ) ||
			     mprotect(base + HPAGE / 2, HPAGE, PROT_READ | PROT_WRITE)))
				goto err;
		}
		fill_page(base + off, pg, ++self->gen[pg]);
		if (verify_chunk(c, base, ch, self->gen, "mprotect"))
			break;
		c->ops[a->slot]++;
		it++;
		continue;
err:
		failf(c, "mprotect: %s", strerror(errno));
		break;
	}
	return NULL;
}

static void *placeholder(char *addr, size_t len)
{
	return mmap(addr, len, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
}

static void *mremap_racer(void *arg)
{
	struct targs *a = arg;
	FIXTURE_DATA(thp) *self = a->self;
	struct ctl *c = self->c;
	unsigned long ch = a->first, it = 0;
	char *src = self->region + ch * HPAGE, *dst = self->spare;

	while (!c->stop) {
		unsigned long half = (it & 1) ? HPAGE / 2 : 0;
		size_t len = (it & 1) ? HPAGE / 2 : HPAGE;
		unsigned long pg = ch * PAGES_PER_CHUNK + half / PG + it % 64;
		char *p;

		/* away: move_huge_pmd (whole) or a split + pte move (half) */
		p = mremap(src + half, len, len, MREMAP_MAYMOVE | MREMAP_FIXED,
			   dst + half);
		if (p != dst + half)
			goto err;
		if (placeholder(src + half, len) == MAP_FAILED)
			goto err;
		/* the moved part is at dst, the rest (if any) still at src */
		fill_page(dst + (pg - ch * PAGES_PER_CHUNK) * PG, pg,
			  ++self->gen[pg]);
		{
			unsigned long i;

			for (i = 0; i < PAGES_PER_CHUNK; i++) {
				unsigned long gp = ch * PAGES_PER_CHUNK + i;
				char *at = (i * PG >= half && i * PG < half + len) ?
					dst : src;
				long w = check_page(at + i * PG, gp, self->gen[gp]);

				if (w >= 0) {
					failf(c, "mremap away: page %lu word %ld corrupt",
					      i, w);
					return NULL;
				}
			}
		}
		/* and back */
		p = mremap(dst + half, len, len, MREMAP_MAYMOVE | MREMAP_FIXED,
			   src + half);
		if (p != src + half)
			goto err;
		if (placeholder(dst + half, len) == MAP_FAILED)
			goto err;
		if (verify_chunk(c, src, ch, self->gen, "mremap back"))
			break;
		c->ops[a->slot]++;
		it++;
		continue;
err:
		failf(c, "mremap/placeholder (it %lu): %s", it, strerror(errno));
		break;
	}
	return NULL;
}

static void *munmap_racer(void *arg)
{
	struct targs *a = arg;
	FIXTURE_DATA(thp) *self = a->self;
	struct ctl *c = self->c;
	unsigned long ch = a->first, it = 0, i;
	char *base = self->region + ch * HPAGE;

	while (!c->stop) {
		char *at = base;
		size_t len = HPAGE;
		unsigned long pg0 = ch * PAGES_PER_CHUNK;

		if (it & 1) {		/* one 4K page: zap after PMD split */
			unsigned long k = (it * 131) % PAGES_PER_CHUNK;

			at = base + k * PG;
			len = PG;
			pg0 += k;
		}
		if (munmap(at, len))
			goto err;
		if (mmap(at, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != at)
			goto err;
		for (i = 0; i < len / PG; i++) {
			if (!page_is_zero(at + i * PG)) {
				failf(c, "remapped page %lu not zero", pg0 + i);
				return NULL;
			}
			fill_page(at + i * PG, pg0 + i, ++self->gen[pg0 + i]);
		}
		if (verify_chunk(c, base, ch, self->gen, "munmap+remap"))
			break;
		c->ops[a->slot]++;
		it++;
		continue;
err:
		failf(c, "munmap/mmap: %s", strerror(errno));
		break;
	}
	return NULL;
}

TEST_F(thp, vma_ops)
{
	static const char *names[] = { "mprotect", "mremap", "munmap", "verify" };
	struct targs mp = { .self = self, .first = 0, .last = 2, .slot = 0 };
	struct targs mr = { .self = self, .first = 2, .last = 3, .slot = 1 };
	struct targs mu = { .self = self, .first = 3, .last = 4, .slot = 2 };
	struct targs ve = { .self = self, .first = 4, .last = NR_CHUNKS, .slot = 3 };
	pthread_t tm, t[4];
	struct margs m;
	int i;

	ASSERT_EQ(0, start_migrator(self, &tm, &m));
	ASSERT_EQ(0, pthread_create(&t[0], NULL, mprotect_racer, &mp));
	ASSERT_EQ(0, pthread_create(&t[1], NULL, mremap_racer, &mr));
	ASSERT_EQ(0, pthread_create(&t[2], NULL, munmap_racer, &mu));
	ASSERT_EQ(0, pthread_create(&t[3], NULL, mincore_verifier, &ve));
	run_for(self);
	pthread_join(tm, NULL);
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	FINISH(names, 0, 2 * NR_CHUNKS);
	for (i = 0; i < 3; i++)
		ASSERT_GT(self->c->ops[i], 0);
}

/* ---------------------------------------------------------------------- */
/* 3. madvise                                                             */

static void *madvise_racer(void *arg)
{
	struct targs *a = arg;
	FIXTURE_DATA(thp) *self = a->self;
	struct ctl *c = self->c;
	unsigned long it = 0, i;

	while (!c->stop) {
		unsigned long ch = a->first + it % (a->last - a->first);
		unsigned long pg0 = ch * PAGES_PER_CHUNK;
		char *base = self->region + ch * HPAGE;
		unsigned long k = (it * 211) % (PAGES_PER_CHUNK - 4);
		const char *op = "?";

		switch (it % 5) {
		case 0:		/* DONTNEED whole THP: zap_huge_pmd */
			op = "MADV_DONTNEED";
			if (madvise(base, HPAGE, MADV_DONTNEED))
				goto err;
			for (i = 0; i < PAGES_PER_CHUNK; i++)	/* huge zero page */
				if (!page_is_zero(base + i * PG)) {
					failf(c, "DONTNEED: chunk %lu page %lu not zero",
					      ch, i);
					return NULL;
				}
			for (i = 0; i < PAGES_PER_CHUNK; i++)
				fill_page(base + i * PG, pg0 + i, ++self->gen[pg0 + i]);
			break;
		case 1:		/* DONTNEED 4 pages: split then zap ptes */
			op = "MADV_DONTNEED(partial)";
			if (madvise(base + k * PG, 4 * PG, MADV_DONTNEED))
				goto err;
			for (i = k; i < k + 4; i++) {
				if (!page_is_zero(base + i * PG)) {
					failf(c, "DONTNEED: chunk %lu page %lu not zero",
					      ch, i);
					return NULL;
				}
				fill_page(base + i * PG, pg0 + i, ++self->gen[pg0 + i]);
			}
			break;
		case 2:		/* FREE: madvise_free_huge_pmd */
			op = "MADV_FREE";
			if (madvise(base, HPAGE, MADV_FREE))
				goto err;
			for (i = 0; i < PAGES_PER_CHUNK; i++) {
				char *p = base + i * PG;

				if (check_page(p, pg0 + i, self->gen[pg0 + i]) >= 0 &&
				    !page_is_zero(p)) {
					failf(c, "MADV_FREE: chunk %lu page %lu neither old data nor zero",
					      ch, i);
					return NULL;
				}
				fill_page(p, pg0 + i, ++self->gen[pg0 + i]);
			}
			break;
		case 3:
			op = "MADV_COLD";
			if (madvise(base, HPAGE, MADV_COLD))
				goto err;
			break;
		case 4:
			op = "MADV_PAGEOUT";
			if (madvise(base, HPAGE, MADV_PAGEOUT))
				goto err;
			break;
		}
		if (verify_chunk(c, base, ch, self->gen, op))
			break;
		c->ops[a->slot]++;
		it++;
		continue;
err:
		failf(c, "madvise(%s): %s", op, strerror(errno));
		break;
	}
	return NULL;
}

TEST_F(thp, madvise_ops)
{
	static const char *names[] = { "madvise", "verify" };
	struct targs ma = { .self = self, .first = 0, .last = 4, .slot = 0 };
	struct targs ve = { .self = self, .first = 4, .last = NR_CHUNKS, .slot = 1 };
	pthread_t tm, t[2];
	struct margs m;

	/* The racer is the point of this test: no madvise(2), no test. */
	ASSERT_EQ(0, madvise(self->region, PG, MADV_COLD))
		TH_LOG("madvise(2) unusable (%s): kernel built without CONFIG_ADVISE_SYSCALLS?",
		       strerror(errno));
	ASSERT_EQ(0, start_migrator(self, &tm, &m));
	ASSERT_EQ(0, pthread_create(&t[0], NULL, madvise_racer, &ma));
	ASSERT_EQ(0, pthread_create(&t[1], NULL, mincore_verifier, &ve));
	run_for(self);
	pthread_join(tm, NULL);
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	FINISH(names, 0, 2 * NR_CHUNKS);
	ASSERT_GE(self->c->ops[0], 5);
}

/* ---------------------------------------------------------------------- */
/* 4. fork + COW while both processes are being migrated                  */

#define COW_PAGES	(4 * PAGES_PER_CHUNK)

static int refresh_chunk(FIXTURE_DATA(thp) *self, unsigned long ch)
{
	char *base = self->region + ch * HPAGE;
	unsigned long i, pg0 = ch * PAGES_PER_CHUNK;

	if (munmap(base, HPAGE) ||
	    mmap(base, HPAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != base) {
		failf(self->c, "refresh chunk %lu: %s", ch, strerror(errno));
		return -1;
	}
	for (i = 0; i < PAGES_PER_CHUNK; i++)
		fill_page(base + i * PG, pg0 + i, ++self->gen[pg0 + i]);
	return 0;
}

/*
 * Child of a fork racing with migration: sees the parent's data as of the
 * fork, COW-writes its own pages and keeps checking, while the migrator
 * moves it between the nodes too.  Reports through the shared ctl.
 */
static void cow_child(FIXTURE_DATA(thp) *self, unsigned long round)
{
	struct ctl *c = self->c;
	unsigned long i, k, spins;

	for (i = 0; i < NR_PAGES; i++)
		if (check_page(self->region + i * PG, i, self->gen[i]) >= 0) {
			failf(c, "child %lu: page %lu differs from the parent's at fork",
			      round, i);
			_exit(1);
		}
	/* COW-write 16 odd pages of chunks 0-3 (4-7 stay PMD-mapped) */
	for (k = 0; k < 16; k++) {
		i = (((round * 16 + k) * 2 * 97 + 1) % COW_PAGES) | 1;
		self->gen[i] += 1000;
		fill_page(self->region + i * PG, i, self->gen[i]);
	}
	for (spins = 0; spins < 3; spins++) {
		for (i = 0; i < NR_PAGES; i++)
			if (check_page(self->region + i * PG, i, self->gen[i]) >= 0) {
				failf(c, "child %lu pass %lu: page %lu corrupt",
				      round, spins, i);
				_exit(1);
			}
		sched_yield();
	}
	_exit(0);
}

TEST_F(thp, fork_cow)
{
	static const char *names[] = { "forks", "child_ok" };
	struct ctl *c = self->c;
	unsigned long round = 0, k, i;
	double end = now() + self->secs;
	pthread_t tm;
	struct margs m;

	ASSERT_EQ(0, start_migrator(self, &tm, &m));
	while (!c->failed && now() < end) {
		pid_t pid;
		int st;

		pid = fork();
		if (pid < 0) {
			failf(c, "fork: %s", strerror(errno));
			break;
		}
		if (!pid)
			cow_child(self, round);
		c->child = pid;
		c->ops[0]++;
		/* parent COW-writes even pages of chunks 0-3 meanwhile */
		for (k = 0; k < 16; k++) {
			i = (((round * 16 + k) * 2 * 89) % COW_PAGES) & ~1UL;
			fill_page(self->region + i * PG, i, ++self->gen[i]);
		}
		if (waitpid(pid, &st, 0) != pid) {
			failf(c, "waitpid: %s", strerror(errno));
			break;
		}
		c->child = 0;
		if (!WIFEXITED(st) || WEXITSTATUS(st)) {
			if (!c->failed)
				failf(c, "child %lu died: status %#x", round, st);
			break;
		}
		c->ops[1]++;
		/* the child's COW writes must not be visible here */
		for (i = 0; i < NR_PAGES; i++)
			if (check_page(self->region + i * PG, i, self->gen[i]) >= 0) {
				failf(c, "parent after child %lu: page %lu corrupt",
				      round, i);
				break;
			}
		/* a fresh THP in one COW chunk for the next fork to share */
		if (refresh_chunk(self, round % (COW_PAGES / PAGES_PER_CHUNK)))
			break;
		round++;
	}
	c->stop = 1;
	pthread_join(tm, NULL);
	FINISH(names, 0, NR_CHUNKS);
	ASSERT_GE(c->ops[1], 2);
}

/* ---------------------------------------------------------------------- */
/* 5. GUP: process_vm_readv/writev, /proc/pid/mem, vmsplice               */

/* Other process: reads stable chunks, writes and re-reads its own chunk 0/1 */
static void gup_child(FIXTURE_DATA(thp) *self, pid_t pid)
{
	static char buf[16 * PG] __attribute__((aligned(4096)));
	struct ctl *c = self->c;
	unsigned long it = 0, i;
	char path[64];
	int memfd;

	drop_region_copy(c, self->resv, self->resv_len);
	snprintf(path, sizeof(path), "/proc/%d/mem", pid);
	memfd = open(path, O_RDWR);
	if (memfd < 0) {
		failf(c, "open %s: %s", path, strerror(errno));
		_exit(1);
	}
	for (i = 0; i < NR_PAGES; i++)
		c->remote_gen[i] = self->gen[i];
	while (!c->stop) {
		/* read 16 pages of a stable chunk (2..7), both ways */
		unsigned long pg = 2 * PAGES_PER_CHUNK +
			(it * 16 * 7) % ((NR_CHUNKS - 2) * PAGES_PER_CHUNK - 16);
		struct iovec l = { buf, sizeof(buf) };
		struct iovec r = { self->region + pg * PG, sizeof(buf) };
		/* write one page of chunk 0 or 1 (owned by this process) */
		unsigned long wp = (it * 29) % (2 * PAGES_PER_CHUNK);
		struct iovec wl = { buf, PG }, wr = { self->region + wp * PG, PG };
		ssize_t n;

		if (it & 1)
			n = process_vm_readv(pid, &l, 1, &r, 1, 0);
		else
			n = pread(memfd, buf, sizeof(buf),
				  (off_t)(unsigned long)r.iov_base);
		if (n != (ssize_t)sizeof(buf)) {
			failf(c, "%s read: %zd %s",
			      (it & 1) ? "process_vm_readv" : "/proc/pid/mem",
			      n, strerror(errno));
			_exit(1);
		}
		for (i = 0; i < 16; i++)
			if (check_page(buf + i * PG, pg + i, self->gen[pg + i]) >= 0) {
				failf(c, "GUP read of page %lu: wrong data", pg + i);
				_exit(1);
			}

		fill_page(buf, wp, c->remote_gen[wp] + 1);
		if (it & 1)
			n = process_vm_writev(pid, &wl, 1, &wr, 1, 0);
		else
			n = pwrite(memfd, buf, PG, (off_t)(unsigned long)wr.iov_base);
		if (n != (ssize_t)PG) {
			failf(c, "GUP write: %zd %s", n, strerror(errno));
			_exit(1);
		}
		c->remote_gen[wp]++;
		memset(buf, 0, PG);
		n = process_vm_readv(pid, &wl, 1, &wr, 1, 0);
		if (n != (ssize_t)PG ||
		    check_page(buf, wp, c->remote_gen[wp]) >= 0) {
			failf(c, "GUP write of page %lu not read back (%zd)", wp, n);
			_exit(1);
		}
		c->ops[0]++;
		it++;
	}
	_exit(0);
}

static void *vmsplice_reader(void *arg)
{
	struct targs *a = arg;
	FIXTURE_DATA(thp) *self = a->self;
	struct ctl *c = self->c;
	static char buf[16 * PG];
	unsigned long it = 0, i;
	int p[2];

	if (pipe(p)) {
		failf(c, "pipe: %s", strerror(errno));
		return NULL;
	}
	while (!c->stop) {
		unsigned long npg = (a->last - a->first) * PAGES_PER_CHUNK;
		unsigned long pg = a->first * PAGES_PER_CHUNK + (it * 16 * 5) % (npg - 16);
		struct iovec iov = { self->region + pg * PG, sizeof(buf) };
		size_t got = 0;
		ssize_t n;

		/* gup_fast on the (possibly migrating) THP, pages held by the pipe */
		n = vmsplice(p[1], &iov, 1, 0);
		if (n <= 0) {
			failf(c, "vmsplice: %zd %s", n, strerror(errno));
			break;
		}
		while (got < (size_t)n) {
			ssize_t r = read(p[0], buf + got, n - got);

			if (r <= 0) {
				failf(c, "pipe read: %s", strerror(errno));
				goto out;
			}
			got += r;
		}
		for (i = 0; i < got / PG; i++)
			if (check_page(buf + i * PG, pg + i, self->gen[pg + i]) >= 0) {
				failf(c, "vmsplice: page %lu wrong data", pg + i);
				goto out;
			}
		c->ops[a->slot]++;
		it++;
	}
out:
	close(p[0]);
	close(p[1]);
	return NULL;
}

TEST_F(thp, gup_readers)
{
	static const char *names[] = { "remote_rw", "vmsplice", "verify" };
	struct targs vs = { .self = self, .first = 2, .last = NR_CHUNKS, .slot = 1 };
	struct targs ve = { .self = self, .first = 2, .last = NR_CHUNKS, .slot = 2 };
	pthread_t tm, t[2];
	struct margs m;
	pid_t child, parent = getpid();
	unsigned long i;
	int st;

	child = fork();
	ASSERT_GE(child, 0);
	if (!child)
		gup_child(self, parent);
	ASSERT_EQ(0, wait_ready(self->c)) TH_LOG("%s", self->c->msg);
	ASSERT_EQ(0, start_migrator(self, &tm, &m));
	ASSERT_EQ(0, pthread_create(&t[0], NULL, vmsplice_reader, &vs));
	ASSERT_EQ(0, pthread_create(&t[1], NULL, mincore_verifier, &ve));
	run_for(self);
	pthread_join(tm, NULL);
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	ASSERT_EQ(child, waitpid(child, &st, 0));
	ASSERT_TRUE(WIFEXITED(st) && !WEXITSTATUS(st)) TH_LOG("%s", self->c->msg);
	/* the child wrote chunks 0-1 through GUP: adopt its generations */
	for (i = 0; i < 2 * PAGES_PER_CHUNK; i++)
		self->gen[i] = self->c->remote_gen[i];
	FINISH(names, 1, 2 * NR_CHUNKS);
	ASSERT_GT(self->c->ops[0], 0);
	ASSERT_GT(self->c->ops[1], 0);
}

/* The harness's per-test timeout must cover the configured duration. */
int main(int argc, char **argv)
{
	struct __fixture_metadata *f;
	struct __test_metadata *t;
	int secs = stress_seconds();

	for (f = __fixture_list; f; f = f->next)
		for (t = f->tests; t; t = t->next)
			t->timeout = 120 + 4 * secs;
	return test_harness_run(argc, argv);
}
