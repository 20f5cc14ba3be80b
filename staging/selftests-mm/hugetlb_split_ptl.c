// SPDX-License-Identifier: GPL-2.0
/*
 * hugetlb_split_ptl - hugetlb page tables under the split page-table lock.
 *
 * Covers seed 001 (/work/shared/seeds/001_a81993d5dd5432b1.txt):
 * "[PATCH v4] hugetlbfs: support split page table lock".  With the split
 * lock, hugetlb faults, COW, copy_hugetlb_page_range (fork),
 * hugetlb_change_protection (mprotect), __unmap_hugepage_range (munmap),
 * follow_hugetlb_page (GUP), the mempolicy queueing and the migration entry
 * wait/removal paths take the lock of the page-table page holding the huge
 * PTE instead of mm->page_table_lock; any path that takes the wrong lock
 * (or none) races with the others.
 *
 *   threads_ptl   4 threads fault, write, check, mprotect and munmap+remap
 *                 their own MAP_PRIVATE huge pages, and store into their
 *                 slots of shared MAP_SHARED huge pages while another thread
 *                 flips those between RW, RO and NONE (faulting stores are
 *                 retried from a SIGSEGV handler); a migrator thread moves
 *                 the process between the nodes (migrate_pages, move_pages)
 *                 and pagemap is read meanwhile
 *   fork_cow      fork while the parent's and the child's huge pages are
 *                 being migrated: MAP_PRIVATE pages must COW (neither side
 *                 sees the other's writes), MAP_SHARED pages must carry
 *                 data both ways (handshake through them)
 *   migration     move_pages(2) bounces 8 huge pages (private and shared)
 *                 between node 0 and node 1 while their owners write and
 *                 mprotect them; after every successful move the status
 *                 query must report the target node; a final move of
 *                 everything to each node must succeed for every page;
 *                 pgmigrate_success must grow by 512 per huge page moved
 *
 * Every test checks the data of every huge page against a pattern known
 * to its single writer, and that HugePages_Free/HugePages_Rsvd return to
 * their starting values once everything is unmapped (no leaked or lost
 * reservation).  Racing parts run for PMDSAFE_STRESS_SECONDS (default 5).
 * Fewer than NEED_TOTAL reserved 2 MiB pages (boot with hugepages=64),
 * fewer than NEED_NODE free on either node, or a missing node 1 are
 * failures, not skips.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The 6.12 harness has unused parameters; keep -Wextra -Werror usable. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "../kselftest_harness.h"
#pragma GCC diagnostic pop
/* ...and its TEST_F wrapper's setjmp() trips -Wclobbered when inlined. */
#pragma GCC diagnostic ignored "-Wclobbered"

#define HP			(2UL << 20)
#define PG			4096UL
#define SUBPAGES		(HP / PG)
#define WORDS			(PG / sizeof(uint64_t))
#define NEED_TOTAL		32
#define NEED_NODE		12
#define DEFAULT_STRESS_SECONDS	5

#ifndef MAP_HUGETLB
#define MAP_HUGETLB		0x40000
#endif
#ifndef MPOL_MF_MOVE_ALL
#define MPOL_MF_MOVE_ALL	(1 << 2)
#endif

#define PM_PRESENT		(1ULL << 63)
#define PM_SWAP			(1ULL << 62)
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

static long meminfo(const char *key)
{
	char buf[8192], *p;
	size_t klen = strlen(key);

	if (read_file("/proc/meminfo", buf, sizeof(buf)) < 0)
		return -1;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, klen) && p[klen] == ':')
			return strtol(p + klen + 1, NULL, 10);
	return -1;
}

static long node_free_hugepages(int node)
{
	char path[128], buf[64];

	snprintf(path, sizeof(path),
		 "/sys/devices/system/node/node%d/hugepages/hugepages-2048kB/free_hugepages",
		 node);
	if (read_file(path, buf, sizeof(buf)) < 0)
		return -1;
	return strtol(buf, NULL, 10);
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

static long sys_migrate_pages(pid_t pid, int from, int to)
{
	unsigned long old_nodes = 1UL << from, new_nodes = 1UL << to;

	return syscall(SYS_migrate_pages, pid, 8 * sizeof(unsigned long) + 1,
		       &old_nodes, &new_nodes);
}

static long sys_move_pages(pid_t pid, unsigned long count, void **pages,
			   const int *nodes, int *status, int flags)
{
	return syscall(SYS_move_pages, pid, count, pages, nodes, status, flags);
}

/* Pattern of 4 KiB subpage @sub of huge page @hp, generation @gen. */
static inline uint64_t pattern(unsigned long hp, unsigned long sub,
			       uint32_t gen, unsigned long w)
{
	return (1ULL << 63) | ((uint64_t)hp << 52) | ((uint64_t)sub << 43) |
	       ((uint64_t)gen << 9) | w;
}

static void fill_hp(char *addr, unsigned long hp, uint32_t gen)
{
	uint64_t *p = (uint64_t *)addr;
	unsigned long s, w;

	for (s = 0; s < SUBPAGES; s++)
		for (w = 0; w < WORDS; w++)
			p[s * WORDS + w] = pattern(hp, s, gen, w);
}

/* -1 if the huge page holds (hp, gen), else the first bad word index. */
static long check_hp(const char *addr, unsigned long hp, uint32_t gen)
{
	const uint64_t *p = (const uint64_t *)addr;
	unsigned long s, w;

	for (s = 0; s < SUBPAGES; s++)
		for (w = 0; w < WORDS; w++)
			if (p[s * WORDS + w] != pattern(hp, s, gen, w))
				return s * WORDS + w;
	return -1;
}

static long check_zero(const char *addr)
{
	const uint64_t *p = (const uint64_t *)addr;
	unsigned long i;

	for (i = 0; i < HP / 8; i++)
		if (p[i])
			return i;
	return -1;
}

struct ctl {
	volatile int stop;
	volatile int failed;
	char msg[1024];
	volatile pid_t child;
	long mig_calls, mv_calls, mv_moved, mv_errs, mv_partial;
	long ops[8];
	long faults;
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

static void *map_huge(void *addr, size_t len, int shared)
{
	return mmap(addr, len, PROT_READ | PROT_WRITE,
		    (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS |
		    MAP_HUGETLB | (addr ? MAP_FIXED : 0), -1, 0);
}

/* ---------------------------------------------------------------------- */
/* fixture                                                                */

FIXTURE(hugetlb)
{
	struct ctl *c;
	int secs;
	long free0, rsvd0, surp0;
};

FIXTURE_SETUP(hugetlb)
{
	char buf[64];
	long total, n0, n1;

	self->secs = stress_seconds();
	ASSERT_GE(read_file("/sys/devices/system/node/has_memory", buf,
			    sizeof(buf)), 0)
		TH_LOG("no /sys/devices/system/node/has_memory (CONFIG_NUMA?)");
	ASSERT_TRUE(!strncmp(buf, "0-", 2) || !strncmp(buf, "0,1", 3))
		TH_LOG("need memory on nodes 0 and 1, has_memory=%s", buf);
	ASSERT_EQ(2048, meminfo("Hugepagesize"))
		TH_LOG("default huge page size is not 2 MiB");
	total = meminfo("HugePages_Total");
	self->free0 = meminfo("HugePages_Free");
	self->rsvd0 = meminfo("HugePages_Rsvd");
	self->surp0 = meminfo("HugePages_Surp");
	ASSERT_GE(total, NEED_TOTAL)
		TH_LOG("HugePages_Total %ld < %d: boot with hugepages=64", total,
		       NEED_TOTAL);
	ASSERT_GE(self->free0 - self->rsvd0, NEED_TOTAL)
		TH_LOG("HugePages_Free %ld (Rsvd %ld): fewer than %d usable",
		       self->free0, self->rsvd0, NEED_TOTAL);
	n0 = node_free_hugepages(0);
	n1 = node_free_hugepages(1);
	ASSERT_TRUE(n0 >= NEED_NODE && n1 >= NEED_NODE)
		TH_LOG("free 2 MiB pages per node: %ld/%ld, need %d on each to migrate",
		       n0, n1, NEED_NODE);
	self->c = mmap(NULL, sizeof(*self->c), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->c);
}

FIXTURE_TEARDOWN(hugetlb)
{
	if (self->c && self->c != MAP_FAILED) {
		if (self->c->child > 0)
			kill(self->c->child, SIGKILL);
		munmap(self->c, sizeof(*self->c));
	}
}

/* All huge pages unmapped: the pool must be back where it started. */
#define CHECK_POOL()							\
do {									\
	EXPECT_EQ(self->free0, meminfo("HugePages_Free"))		\
		TH_LOG("huge pages leaked");				\
	EXPECT_EQ(self->rsvd0, meminfo("HugePages_Rsvd"))		\
		TH_LOG("reservations leaked");				\
	EXPECT_EQ(self->surp0, meminfo("HugePages_Surp"));		\
} while (0)

/* ---------------------------------------------------------------------- */
/* migrator thread                                                        */

struct margs {
	struct ctl *c;
	void **addrs;		/* huge page addresses to move_pages() */
	int n;
	int use_migrate_pages;
};

static void *migrator(void *arg)
{
	struct margs *m = arg;
	struct ctl *c = m->c;
	int nodes[64], status[64];
	unsigned long it = 0;

	while (!c->stop) {
		int to = (it & 1) ? 0 : 1, i, p;
		pid_t pids[2] = { getpid(), c->child };
		long r;

		for (p = 0; p < 2; p++) {
			if (pids[p] <= 0)
				continue;
			if (m->use_migrate_pages) {
				r = sys_migrate_pages(pids[p], !to, to);
				if (r < 0 && !(p && (errno == ESRCH || errno == EINVAL))) {
					failf(c, "migrate_pages(%d): %s", pids[p],
					      strerror(errno));
					return NULL;
				}
				c->mig_calls += r >= 0;
			}
			for (i = 0; i < m->n; i++) {
				nodes[i] = !to;
				status[i] = -1000;
			}
			r = sys_move_pages(pids[p], m->n, m->addrs, nodes, status,
					   MPOL_MF_MOVE_ALL);
			if (r < 0) {
				if (p && errno == ESRCH)
					continue;
				failf(c, "move_pages(%d): %s", pids[p],
				      strerror(errno));
				return NULL;
			}
			c->mv_calls++;
			c->mv_partial += r > 0;
			for (i = 0; i < m->n; i++) {
				int s = status[i];

				if (s == !to)
					c->mv_moved++;
				else if ((s == -1000 && r > 0) || s == -EFAULT ||
					 s == -ENOENT || s == -EBUSY ||
					 s == -EAGAIN || s == -ENOMEM ||
					 s == -EACCES)
					c->mv_errs++;
				else {
					failf(c, "move_pages(%d) entry %d: status %d (ret %ld)",
					      pids[p], i, s, r);
					return NULL;
				}
			}
		}
		it++;
	}
	return NULL;
}

static void run_for(struct ctl *c, int secs)
{
	double end = now() + secs;

	while (!c->stop && now() < end)
		usleep(20000);
	c->stop = 1;
}

/* ---------------------------------------------------------------------- */
/* 1. threads: fault, write, mprotect, munmap; shared stores vs mprotect   */

#define NTHREADS	4
#define PRIV_PER_T	2
#define NPRIV		(NTHREADS * PRIV_PER_T)
#define NSHARED		4

struct ptl_test {
	struct ctl *c;
	char *priv, *shared;
	uint32_t gen[NPRIV];
	long stores[NTHREADS][NSHARED];
};

struct wargs {
	struct ptl_test *t;
	int id;
};

static __thread sigjmp_buf *segv_env;

static void segv_handler(int sig)
{
	if (segv_env)
		siglongjmp(*segv_env, 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* A store that may hit a PROT_READ/PROT_NONE window: retried until done. */
static void protected_store(volatile uint64_t *p, uint64_t v, struct ctl *c)
{
	sigjmp_buf env;

	for (;;) {
		if (!sigsetjmp(env, 1)) {
			segv_env = &env;
			*p = v;
			segv_env = NULL;
			return;
		}
		segv_env = NULL;
		__sync_fetch_and_add(&c->faults, 1);
		sched_yield();
	}
}

static void *ptl_worker(void *arg)
{
	struct wargs *a = arg;
	struct ptl_test *t = a->t;
	struct ctl *c = t->c;
	unsigned long it = 0;
	int k, s;

	while (!c->stop) {
		for (k = 0; k < PRIV_PER_T; k++) {
			int hp = a->id * PRIV_PER_T + k;
			char *addr = t->priv + hp * HP;
			long w;

			if (it % 3 == 2) {	/* unmap and fault a new page */
				if (munmap(addr, HP) ||
				    map_huge(addr, HP, 0) != addr) {
					failf(c, "thread %d munmap/mmap: %s",
					      a->id, strerror(errno));
					return NULL;
				}
				w = check_zero(addr);
				if (w >= 0) {
					failf(c, "fresh huge page %d not zero at word %ld",
					      hp, w);
					return NULL;
				}
			}
			fill_hp(addr, hp, ++t->gen[hp]);
			if (mprotect(addr, HP, PROT_READ)) {
				failf(c, "mprotect: %s", strerror(errno));
				return NULL;
			}
			w = check_hp(addr, hp, t->gen[hp]);
			if (w >= 0) {
				failf(c, "thread %d huge page %d word %ld corrupt (gen %u)",
				      a->id, hp, w, t->gen[hp]);
				return NULL;
			}
			if (mprotect(addr, HP, PROT_READ | PROT_WRITE)) {
				failf(c, "mprotect: %s", strerror(errno));
				return NULL;
			}
		}
		/* own slot (4 KiB subpage @id) of every shared huge page */
		for (s = 0; s < NSHARED; s++) {
			volatile uint64_t *slot = (volatile uint64_t *)
				(t->shared + s * HP + a->id * PG);

			protected_store(slot + (it % WORDS), ++t->stores[a->id][s],
					c);
		}
		c->ops[a->id]++;
		it++;
	}
	return NULL;
}

/* Flips the shared pages RW -> RO -> NONE, and reads pagemap. */
static void *ptl_protector(void *arg)
{
	struct ptl_test *t = arg;
	struct ctl *c = t->c;
	static const int prot[] = { PROT_READ, PROT_NONE, PROT_READ | PROT_WRITE };
	unsigned long it = 0, i;
	uint64_t pm[NPRIV];
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0) {
		failf(c, "pagemap: %s", strerror(errno));
		return NULL;
	}
	while (!c->stop) {
		if (mprotect(t->shared, NSHARED * HP, prot[it % 3])) {
			failf(c, "mprotect shared: %s", strerror(errno));
			break;
		}
		usleep(2000);
		/* first subpage of each private huge page */
		for (i = 0; i < NPRIV; i++) {
			off_t off = ((unsigned long)t->priv + i * HP) / PG * 8;

			if (pread(fd, &pm[i], 8, off) != 8) {
				failf(c, "pagemap read: %s", strerror(errno));
				goto out;
			}
			if ((pm[i] & PM_PRESENT) && (pm[i] & PM_SWAP)) {
				failf(c, "pagemap %#llx: present and swap",
				      (unsigned long long)pm[i]);
				goto out;
			}
			if ((pm[i] & PM_PRESENT) && !(pm[i] & PM_PFN_MASK)) {
				failf(c, "pagemap: present huge page with pfn 0");
				goto out;
			}
		}
		c->ops[NTHREADS]++;
		it++;
	}
out:
	mprotect(t->shared, NSHARED * HP, PROT_READ | PROT_WRITE);
	close(fd);
	return NULL;
}

TEST_F_TIMEOUT(hugetlb, threads_ptl, 600)
{
	static struct ptl_test t;
	struct sigaction sa = { .sa_handler = segv_handler };
	pthread_t th[NTHREADS], prot, mig;
	struct wargs wa[NTHREADS];
	void *addrs[NPRIV + NSHARED];
	struct margs m;
	int i, s;
	long sum = 0;

	ASSERT_EQ(0, sigaction(SIGSEGV, &sa, NULL));
	t.c = self->c;
	t.priv = map_huge(NULL, NPRIV * HP, 0);
	ASSERT_NE(MAP_FAILED, t.priv) TH_LOG("MAP_HUGETLB private: %s",
					      strerror(errno));
	t.shared = map_huge(NULL, NSHARED * HP, 1);
	ASSERT_NE(MAP_FAILED, t.shared) TH_LOG("MAP_HUGETLB shared: %s",
						strerror(errno));
	for (i = 0; i < NPRIV; i++)
		addrs[i] = t.priv + i * HP + (i * 7 % SUBPAGES) * PG;
	for (i = 0; i < NSHARED; i++)
		addrs[NPRIV + i] = t.shared + i * HP;
	m = (struct margs){ self->c, addrs, NPRIV + NSHARED, 1 };

	for (i = 0; i < NTHREADS; i++) {
		wa[i] = (struct wargs){ &t, i };
		ASSERT_EQ(0, pthread_create(&th[i], NULL, ptl_worker, &wa[i]));
	}
	ASSERT_EQ(0, pthread_create(&prot, NULL, ptl_protector, &t));
	ASSERT_EQ(0, pthread_create(&mig, NULL, migrator, &m));
	run_for(self->c, self->secs);
	for (i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	pthread_join(prot, NULL);
	pthread_join(mig, NULL);
	ASSERT_EQ(0, self->c->failed) TH_LOG("%s", self->c->msg);

	ksft_print_msg("%ds: iterations %ld/%ld/%ld/%ld, protector %ld, faulted stores %ld, migrate_pages %ld, move_pages %ld (moved %ld, errs %ld, partial %ld)\n",
		       self->secs, self->c->ops[0], self->c->ops[1],
		       self->c->ops[2], self->c->ops[3], self->c->ops[NTHREADS],
		       self->c->faults, self->c->mig_calls, self->c->mv_calls,
		       self->c->mv_moved, self->c->mv_errs, self->c->mv_partial);
	/* every completed store is in its slot, none lost or misplaced */
	for (i = 0; i < NTHREADS; i++)
		for (s = 0; s < NSHARED; s++) {
			const uint64_t *slot = (const uint64_t *)
				(t.shared + s * HP + i * PG);
			uint64_t max = 0;
			unsigned long w;

			for (w = 0; w < WORDS; w++)
				if (slot[w] > max)
					max = slot[w];
			EXPECT_EQ((uint64_t)t.stores[i][s], max)
				TH_LOG("thread %d shared page %d", i, s);
			sum += t.stores[i][s];
		}
	for (i = 0; i < NPRIV; i++)
		EXPECT_EQ(-1, check_hp(t.priv + i * HP, i, t.gen[i]))
			TH_LOG("private huge page %d", i);
	ASSERT_GT(sum, 0);
	ASSERT_GT(self->c->mv_moved, 0);
	ASSERT_EQ(0, munmap(t.priv, NPRIV * HP));
	ASSERT_EQ(0, munmap(t.shared, NSHARED * HP));
	CHECK_POOL();
}

/* ---------------------------------------------------------------------- */
/* 2. fork: private COW and shared data while migrating                   */

#define NP	4		/* private huge pages */
#define NS	2		/* shared huge pages: [0] parent -> child, [1] back */

struct tokens {			/* in shared huge page 0, subpage 0 */
	volatile uint64_t parent_round, child_round, parent_ack;
};

static int wait_for(volatile uint64_t *p, uint64_t v, double secs)
{
	double end = now() + secs;

	while (*p != v) {
		if (now() > end)
			return -1;
		sched_yield();
	}
	return 0;
}

TEST_F_TIMEOUT(hugetlb, fork_cow, 600)
{
	struct ctl *c = self->c;
	char *priv, *shared;
	struct tokens *tok;
	uint32_t gen[NP];
	void *addrs[NP + NS];
	unsigned long round = 0;
	double end;
	pthread_t mig;
	struct margs m;
	int i;

	priv = map_huge(NULL, NP * HP, 0);
	ASSERT_NE(MAP_FAILED, priv) TH_LOG("MAP_HUGETLB: %s", strerror(errno));
	shared = map_huge(NULL, NS * HP, 1);
	ASSERT_NE(MAP_FAILED, shared) TH_LOG("MAP_HUGETLB: %s", strerror(errno));
	tok = (struct tokens *)shared;
	for (i = 0; i < NP; i++)
		fill_hp(priv + i * HP, i, gen[i] = 1);
	fill_hp(shared + HP, NP + 1, 0);
	memset(shared, 0, PG);
	for (i = 0; i < NP; i++)
		addrs[i] = priv + i * HP;
	for (i = 0; i < NS; i++)
		addrs[NP + i] = shared + i * HP;
	m = (struct margs){ c, addrs, NP + NS, 0 };
	ASSERT_EQ(0, pthread_create(&mig, NULL, migrator, &m));

	end = now() + self->secs;
	while (!c->failed && (now() < end || round < 2)) {
		int cow = round % NP, st;
		pid_t pid;

		tok->parent_round = round + 1;
		pid = fork();
		if (pid < 0) {
			failf(c, "fork: %s", strerror(errno));
			break;
		}
		if (!pid) {
			/* child: parent's data as of fork, then COW + share */
			for (i = 0; i < NP; i++)
				if (check_hp(priv + i * HP, i, gen[i]) >= 0) {
					failf(c, "child %lu: private page %d differs", round, i);
					_exit(1);
				}
			if (tok->parent_round != round + 1) {
				failf(c, "child %lu: shared token %llu", round,
				      (unsigned long long)tok->parent_round);
				_exit(1);
			}
			fill_hp(priv + cow * HP, cow, gen[cow] + 1000);
			fill_hp(shared + HP, NP + 1, round + 1);
			tok->child_round = round + 1;
			if (wait_for(&tok->parent_ack, round + 1, 60)) {
				failf(c, "child %lu: no ack from the parent", round);
				_exit(1);
			}
			for (i = 0; i < NP; i++)
				if (check_hp(priv + i * HP, i,
					     gen[i] + (i == cow ? 1000 : 0)) >= 0) {
					failf(c, "child %lu: private page %d corrupt after COW",
					      round, i);
					_exit(1);
				}
			_exit(0);
		}
		c->child = pid;
		c->ops[0]++;
		/* parent COW-writes another private page meanwhile */
		i = (cow + 1) % NP;
		fill_hp(priv + i * HP, i, ++gen[i]);
		if (wait_for(&tok->child_round, round + 1, 60)) {
			failf(c, "round %lu: child never wrote the shared page", round);
			kill(pid, SIGKILL);
		} else if (check_hp(shared + HP, NP + 1, round + 1) >= 0) {
			failf(c, "round %lu: child's shared write not seen", round);
		}
		tok->parent_ack = round + 1;
		if (waitpid(pid, &st, 0) != pid) {
			failf(c, "waitpid: %s", strerror(errno));
			break;
		}
		c->child = 0;
		if (!WIFEXITED(st) || WEXITSTATUS(st)) {
			failf(c, "child %lu: status %#x", round, st);
			break;
		}
		for (i = 0; i < NP; i++)
			if (check_hp(priv + i * HP, i, gen[i]) >= 0) {
				failf(c, "parent after child %lu: private page %d corrupt (child's COW leaked?)",
				      round, i);
				break;
			}
		c->ops[1]++;
		round++;
	}
	c->stop = 1;
	pthread_join(mig, NULL);
	ASSERT_EQ(0, c->failed) TH_LOG("%s", c->msg);
	ksft_print_msg("%ds: forks %ld ok %ld, move_pages %ld (moved %ld, errs %ld, partial %ld)\n",
		       self->secs, c->ops[0], c->ops[1], c->mv_calls, c->mv_moved,
		       c->mv_errs, c->mv_partial);
	ASSERT_GE(c->ops[1], 2);
	ASSERT_GT(c->mv_moved, 0);
	ASSERT_EQ(0, munmap(priv, NP * HP));
	ASSERT_EQ(0, munmap(shared, NS * HP));
	CHECK_POOL();
}

/* ---------------------------------------------------------------------- */
/* 3. move_pages of busy huge pages, status query after each move          */

#define MPRIV	6
#define MSHARED	2
#define MALL	(MPRIV + MSHARED)

struct mig_test {
	struct ctl *c;
	char *page[MALL];
	uint32_t gen[MALL];
	int first, last;	/* owned pages of one thread */
	int protect;		/* mprotect RO between writes */
};

static void *mig_owner(void *arg)
{
	struct mig_test *t = arg;
	struct ctl *c = t->c;
	unsigned long it = 0;

	while (!c->stop) {
		int i = t->first + it % (t->last - t->first);
		long w;

		fill_hp(t->page[i], i, ++t->gen[i]);
		if (t->protect && mprotect(t->page[i], HP, PROT_READ)) {
			failf(c, "mprotect: %s", strerror(errno));
			break;
		}
		w = check_hp(t->page[i], i, t->gen[i]);
		if (w >= 0) {
			failf(c, "huge page %d word %ld corrupt (gen %u)", i, w,
			      t->gen[i]);
			break;
		}
		if (t->protect &&
		    mprotect(t->page[i], HP, PROT_READ | PROT_WRITE)) {
			failf(c, "mprotect: %s", strerror(errno));
			break;
		}
		c->ops[t->first ? (t->protect ? 2 : 1) : 0]++;
		it++;
	}
	return NULL;
}

/*
 * Move all pages to @node; count in @moved the pages that really changed
 * node (queried before and after).  Returns 0 when every page reports
 * @node afterwards, 1 when some could not move (busy), -1 on an error.
 */
static int move_all(struct ctl *c, void **addrs, int node, long *moved)
{
	int nodes[MALL], status[MALL], before[MALL], i, busy = 0, there = 0;
	long r;

	r = sys_move_pages(0, MALL, addrs, NULL, before, 0);
	if (r) {
		failf(c, "move_pages query: %ld %s", r, strerror(errno));
		return -1;
	}
	for (i = 0; i < MALL; i++) {
		nodes[i] = node;
		status[i] = -1000;
	}
	r = sys_move_pages(0, MALL, addrs, nodes, status, MPOL_MF_MOVE_ALL);
	if (r < 0) {
		failf(c, "move_pages: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < MALL; i++) {
		if (status[i] == node)
			continue;
		if ((status[i] == -1000 && r > 0) || status[i] == -EBUSY ||
		    status[i] == -EAGAIN || status[i] == -ENOMEM) {
			busy++;
			continue;
		}
		failf(c, "move_pages to %d: page %d status %d (ret %ld)", node,
		      i, status[i], r);
		return -1;
	}
	/* query: every page whose move succeeded must be on @node now */
	r = sys_move_pages(0, MALL, addrs, NULL, nodes, 0);
	if (r) {
		failf(c, "move_pages query: %ld %s", r, strerror(errno));
		return -1;
	}
	for (i = 0; i < MALL; i++) {
		if (nodes[i] != 0 && nodes[i] != 1) {
			failf(c, "query: page %d status %d", i, nodes[i]);
			return -1;
		}
		if (status[i] == node && nodes[i] != node) {
			failf(c, "page %d: move_pages reported node %d, query finds %d",
			      i, node, nodes[i]);
			return -1;
		}
		there += nodes[i] == node;
		*moved += before[i] != node && nodes[i] == node;
	}
	return there == MALL ? 0 : (busy ? 1 : -1);
}

TEST_F_TIMEOUT(hugetlb, migration, 600)
{
	struct ctl *c = self->c;
	struct mig_test t[3];
	char *priv, *shared;
	void *addrs[MALL];
	long long succ0 = vmstat("pgmigrate_success");
	long moved = 0, partial = 0, rounds = 0, final_moved = 0;
	pthread_t th[3];
	double end;
	int i, node, tries;

	priv = map_huge(NULL, MPRIV * HP, 0);
	ASSERT_NE(MAP_FAILED, priv) TH_LOG("MAP_HUGETLB: %s", strerror(errno));
	shared = map_huge(NULL, MSHARED * HP, 1);
	ASSERT_NE(MAP_FAILED, shared) TH_LOG("MAP_HUGETLB: %s", strerror(errno));
	memset(&t[0], 0, sizeof(t[0]));
	t[0].c = c;
	for (i = 0; i < MALL; i++) {
		t[0].page[i] = i < MPRIV ? priv + i * HP : shared + (i - MPRIV) * HP;
		fill_hp(t[0].page[i], i, t[0].gen[i] = 1);
		/* interior addresses: any subpage names the huge page */
		addrs[i] = t[0].page[i] + (i * 37 % SUBPAGES) * PG;
	}
	ASSERT_EQ(0, move_all(c, addrs, 0, &moved)) TH_LOG("%s", c->msg);
	/* three owners share one gen[] array: disjoint page ranges */
	t[1] = t[0];
	t[2] = t[0];
	t[0].first = 0, t[0].last = 3;
	t[1].first = 3, t[1].last = MPRIV;
	t[2].first = MPRIV, t[2].last = MALL, t[2].protect = 1;
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, pthread_create(&th[i], NULL, mig_owner, &t[i]));

	end = now() + self->secs;
	for (node = 1; !c->failed && now() < end; node = !node, rounds++) {
		int r = move_all(c, addrs, node, &moved);

		if (r < 0)
			break;
		partial += r;
	}
	c->stop = 1;
	for (i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	ASSERT_EQ(0, c->failed) TH_LOG("%s", c->msg);
	/* merge the owners' generations */
	for (i = 0; i < 3; i++) {
		int k;

		for (k = t[i].first; k < t[i].last; k++)
			t[0].gen[k] = t[i].gen[k];
	}
	/* quiet: every page must reach each node */
	for (node = 1; node >= 0; node--) {
		int r = 1;

		for (tries = 0; tries < 5 && r; tries++)
			r = move_all(c, addrs, node, &final_moved);
		ASSERT_EQ(0, r) TH_LOG("not all huge pages reach node %d: %s",
				       node, c->msg);
		for (i = 0; i < MALL; i++)
			ASSERT_EQ(-1, check_hp(t[0].page[i], i, t[0].gen[i]))
				TH_LOG("huge page %d after the move to node %d",
				       i, node);
	}
	ksft_print_msg("%ds: rounds %ld, huge pages moved %ld (+%ld final), partial rounds %ld, owner iterations %ld/%ld/%ld, pgmigrate_success +%lld\n",
		       self->secs, rounds, moved, final_moved, partial, c->ops[0],
		       c->ops[1], c->ops[2], vmstat("pgmigrate_success") - succ0);
	ASSERT_GE(rounds, 2);
	ASSERT_GE(vmstat("pgmigrate_success") - succ0,
		  (long long)(moved + final_moved) * (long long)SUBPAGES)
		TH_LOG("pgmigrate_success does not account 512 base pages per moved huge page");
	ASSERT_EQ(0, munmap(priv, MPRIV * HP));
	ASSERT_EQ(0, munmap(shared, MSHARED * HP));
	CHECK_POOL();
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
