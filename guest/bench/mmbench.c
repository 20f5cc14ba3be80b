// SPDX-License-Identifier: GPL-2.0
/*
 * mmbench: the mm microbenchmarks of `make bench` (scripts/bench.sh), run
 * in the guest on the base kernel and on the fork kernel alike.
 *
 *   mmbench thp_migrate   MIB MOVES         MiB/s moving a MIB MiB THP region
 *                                           between nodes 0 and 1 (move_pages)
 *   mmbench hugetlb_fault THREADS PAGES ITERS
 *                                           2 MiB hugetlb faults/s, THREADS
 *                                           threads (one per CPU) on PAGES pages
 *   mmbench thp_fault     MIB ITERS         anonymous THP faults/s
 *   mmbench fsdax_fault   pte|pmd MIB ITERS fsdax mmap read faults/s on a file
 *                                           of an ext4 -o dax fs on /dev/pmem0
 *
 * Each run prints one machine-readable line per figure,
 *   bench NAME VALUE UNIT
 * VALUE is the best of about 8 rounds of the measured work (see rounds).
 * plus "# ..." details. Every figure is checked to measure what it names:
 * THPs really PMD-mapped and migrated whole, no THP fault fallback, the
 * fsdax file really DAX and faulted at the requested size. A missing
 * precondition fails (exit 1), it never skips: a figure of the wrong thing
 * is worse than none.
 *
 * fsdax needs a pmem region (memmap=SIZE!OFFSET, guest/plans/bench.plan)
 * and mke2fs: the first of /sbin/mke2fs, /bin/mke2fs, /usr/sbin/mke2fs
 * (scripts/initramfs.sh copies the host's /sbin/mke2fs).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include "../guest.h"

#define HPAGE	(2UL << 20)
#define PAGE	4096UL
#define MIB	(1UL << 20)

#ifndef MAP_HUGETLB
#define MAP_HUGETLB 0x40000
#endif

static int failed;

#define fail(...) do { tap_diag(__VA_ARGS__); failed = 1; } while (0)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		tap_diag("sched_setaffinity(%d): %s", cpu, strerror(errno));
}

static void figure(const char *name, double value, const char *unit)
{
	printf("bench %s %.3f %s\n", name, value, unit);
	fflush(stdout);
}

/*
 * Rounds: each figure's work is measured in rounds of `per` steps, and the
 * figure is the best round's rate. The host's other work (QEMU's vCPU
 * threads share 2 cores with everything else) only ever slows a round, so
 * the best round is the kernel's own speed more closely than the mean.
 */
#define MAX_ROUNDS 64

struct rounds {
	int per, k, n;
	double work, time, rate[MAX_ROUNDS];
};

static void round_init(struct rounds *r, int steps)
{
	memset(r, 0, sizeof(*r));
	/* About 8 rounds; a partial last round is dropped. */
	r->per = steps >= 16 ? steps / 8 : 1;
}

static void round_add(struct rounds *r, double work, double dt)
{
	r->work += work;
	r->time += dt;
	if (++r->k < r->per)
		return;
	if (r->n < MAX_ROUNDS && r->time > 0)
		r->rate[r->n++] = r->work / r->time;
	r->k = 0;
	r->work = r->time = 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The best round's rate (0 if none), with all rounds as a diagnostic. */
static double round_best(struct rounds *r, const char *name)
{
	if (!r->n)
		return 0;
	qsort(r->rate, r->n, sizeof(r->rate[0]), cmp_double);
	tap_diag("%s: %d rounds of %d: best %.1f, median %.1f, worst %.1f", name, r->n, r->per,
		 r->rate[r->n - 1], r->rate[r->n / 2], r->rate[0]);
	return r->rate[r->n - 1];
}

/* A 2 MiB-aligned anonymous mapping of len bytes (len a multiple of 2 MiB). */
static unsigned char *map_aligned(size_t len, int flags)
{
	unsigned char *raw, *p;

	raw = mmap(NULL, len + HPAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);
	if (raw == MAP_FAILED)
		return NULL;
	p = (unsigned char *)(((uintptr_t)raw + HPAGE - 1) & ~(HPAGE - 1));
	if (p > raw)
		munmap(raw, p - raw);
	munmap(p + len, raw + HPAGE - p);
	return p;
}

/* A field of /proc/self/smaps for the mapping starting at addr, or -1. */
static long smaps_kb(void *addr, const char *field)
{
	char line[256], want[64], fmt[64];
	long kb = -1;
	int in = 0;
	FILE *f = fopen("/proc/self/smaps", "r");

	snprintf(want, sizeof(want), "%lx-", (unsigned long)addr);
	snprintf(fmt, sizeof(fmt), "%s: %%ld", field);
	while (f && fgets(line, sizeof(line), f)) {
		if (strchr(line, '-') && strchr(line, ' ') > strchr(line, '-'))
			in = !strncmp(line, want, strlen(want));
		if (in && sscanf(line, fmt, &kb) == 1)
			break;
	}
	if (f)
		fclose(f);
	return kb;
}

static long meminfo(const char *field)
{
	char key[64];
	long v, found = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fscanf(f, "%63s %ld%*[^\n]", key, &v) == 2)
		if (!strncmp(key, field, strlen(field)) && key[strlen(field)] == ':')
			found = v;
	fclose(f);
	return found;
}

static long minflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/* --- THP migration ----------------------------------------------------- */

static int move_all(unsigned char *p, unsigned long n, int node, double *dt)
{
	void **pages = calloc(n, sizeof(*pages));
	int *nodes = calloc(n, sizeof(int)), *status = calloc(n, sizeof(int));
	unsigned long i, bad = 0;
	double t0;
	long rc;

	for (i = 0; i < n; i++) {
		pages[i] = p + i * HPAGE;
		nodes[i] = node;
		status[i] = -1;
	}
	t0 = now();
	rc = move_pages(0, n, pages, nodes, status, MPOL_MF_MOVE);
	*dt = now() - t0;
	if (rc)
		tap_diag("move_pages to node %d: %ld (%s)", node, rc, strerror(errno));
	for (i = 0; i < n; i++)
		bad += status[i] != node;
	if (bad)
		tap_diag("move_pages to node %d: %lu of %lu THPs elsewhere (first status %d)",
			 node, bad, n, status[0]);
	free(pages);
	free(nodes);
	free(status);
	return !rc && !bad;
}

static void thp_migrate(unsigned long mib, int moves)
{
	unsigned long n = mib * MIB / HPAGE, i;
	long long ok0, split0, fail0, ok1, split1, fail1;
	double dt, total = 0;
	struct rounds r;
	unsigned char *p;
	long kb;
	int m;

	pin(0);
	p = map_aligned(n * HPAGE, 0);
	if (!p) {
		fail("thp_migrate: mmap %lu MiB: %s", mib, strerror(errno));
		return;
	}
	madvise(p, n * HPAGE, MADV_HUGEPAGE);
	for (i = 0; i < n * HPAGE; i += PAGE)
		p[i] = (unsigned char)(i / PAGE);
	kb = smaps_kb(p, "AnonHugePages");
	if (kb != (long)(mib << 10)) {
		fail("thp_migrate: only %ld of %lu kB THP-backed", kb, mib << 10);
		return;
	}
	/*
	 * Not measured: gather the region on node 0 and move it to node 1 and
	 * back once (the first touch of guest memory and the first run of
	 * the code are slow under QEMU). Then alternate.
	 */
	if (!move_all(p, n, 0, &dt) || !move_all(p, n, 1, &dt) || !move_all(p, n, 0, &dt)) {
		fail("thp_migrate: the warm-up moves failed");
		return;
	}
	ok0 = vmstat("thp_migration_success");
	split0 = vmstat("thp_migration_split");
	fail0 = vmstat("thp_migration_fail");
	/* A round is a round trip: the two directions do not cost the same. */
	round_init(&r, 1);
	r.per = 2;
	for (m = 0; m < moves; m++) {
		if (!move_all(p, n, !(m & 1), &dt)) {
			fail("thp_migrate: move %d failed", m + 1);
			return;
		}
		tap_diag("move %d: %lu MiB to node %d in %.3fs", m + 1, mib, !(m & 1), dt);
		total += dt;
		round_add(&r, mib, dt);
	}
	ok1 = vmstat("thp_migration_success");
	split1 = vmstat("thp_migration_split");
	fail1 = vmstat("thp_migration_fail");
	for (i = 0; i < n * HPAGE; i += PAGE)
		if (p[i] != (unsigned char)(i / PAGE)) {
			fail("thp_migrate: data changed at offset %lu", i);
			return;
		}
	kb = smaps_kb(p, "AnonHugePages");
	tap_diag("thp_migration_success +%lld (want %lu), split +%lld, fail +%lld, AnonHugePages %ld kB",
		 ok1 - ok0, n * moves, split1 - split0, fail1 - fail0, kb);
	if (ok1 - ok0 < (long long)(n * moves) || split1 != split0 || fail1 != fail0 ||
	    kb != (long)(mib << 10)) {
		fail("thp_migrate: THPs were not migrated whole");
		return;
	}
	munmap(p, n * HPAGE);
	tap_diag("thp_migrate: %d moves, mean %.1f MiB/s", moves, mib * moves / total);
	figure("thp_migrate", round_best(&r, "thp_migrate MiB/s"), "MiB/s");
}

/* --- hugetlb faults ---------------------------------------------------- */

struct worker {
	pthread_t tid;
	int cpu;
	unsigned long first, count;
};

static pthread_barrier_t start_bar, end_bar;
static unsigned char *volatile hregion;
static volatile int hstop;

static void *hugetlb_worker(void *arg)
{
	struct worker *w = arg;
	unsigned long i;

	pin(w->cpu);
	for (;;) {
		pthread_barrier_wait(&start_bar);
		if (hstop)
			return NULL;
		for (i = w->first; i < w->first + w->count; i++)
			hregion[i * HPAGE] = 1;
		pthread_barrier_wait(&end_bar);
	}
}

static void hugetlb_fault(int threads, unsigned long pages, int iters)
{
	long free0 = meminfo("HugePages_Free"), free1;
	int ncpu = sysconf(_SC_NPROCESSORS_ONLN), t, it;
	struct worker w[8];
	double t0, dt, total = 0;
	struct rounds r;
	char name[64];

	if (threads < 1 || threads > 8 || pages % threads) {
		fail("hugetlb_fault: bad arguments");
		return;
	}
	if (free0 < (long)pages) {
		fail("hugetlb_fault: %ld free huge pages, need %lu (hugepages= in the plan?)",
		     free0, pages);
		return;
	}
	pthread_barrier_init(&start_bar, NULL, threads + 1);
	pthread_barrier_init(&end_bar, NULL, threads + 1);
	for (t = 0; t < threads; t++) {
		w[t].cpu = t % ncpu;
		w[t].first = t * (pages / threads);
		w[t].count = pages / threads;
		pthread_create(&w[t].tid, NULL, hugetlb_worker, &w[t]);
	}
	round_init(&r, iters);
	/* Iteration -1 is a warm-up, not measured. */
	for (it = -1; it < iters; it++) {
		hregion = mmap(NULL, pages * HPAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
		if (hregion == MAP_FAILED) {
			fail("hugetlb_fault: mmap %lu huge pages: %s", pages, strerror(errno));
			break;
		}
		t0 = now();
		pthread_barrier_wait(&start_bar);
		pthread_barrier_wait(&end_bar);
		dt = now() - t0;
		if (it >= 0) {
			total += dt;
			round_add(&r, pages, dt);
		}
		munmap(hregion, pages * HPAGE);
	}
	hstop = 1;
	pthread_barrier_wait(&start_bar);
	for (t = 0; t < threads; t++)
		pthread_join(w[t].tid, NULL);
	if (failed)
		return;
	free1 = meminfo("HugePages_Free");
	tap_diag("%d thread(s), %d x %lu faults in %.3fs, HugePages_Free %ld -> %ld",
		 threads, iters, pages, total, free0, free1);
	if (free1 != free0) {
		fail("hugetlb_fault: huge pages leaked");
		return;
	}
	snprintf(name, sizeof(name), "hugetlb_fault_%dt", threads);
	figure(name, round_best(&r, name), "faults/s");
}

/* --- anonymous THP faults ---------------------------------------------- */

static void thp_fault(unsigned long mib, int iters)
{
	unsigned long n = mib * MIB / HPAGE, i;
	long long alloc0, fb0, alloc1, fb1;
	double t0, dt, total = 0;
	struct rounds r;
	unsigned char *p;
	int it;

	pin(0);
	round_init(&r, iters);
	alloc0 = vmstat("thp_fault_alloc");
	fb0 = vmstat("thp_fault_fallback");
	/* Iteration -1 is a warm-up, not measured. */
	for (it = -1; it < iters; it++) {
		p = map_aligned(n * HPAGE, 0);
		if (!p) {
			fail("thp_fault: mmap: %s", strerror(errno));
			return;
		}
		madvise(p, n * HPAGE, MADV_HUGEPAGE);
		t0 = now();
		for (i = 0; i < n; i++)
			p[i * HPAGE] = 1;
		dt = now() - t0;
		if (it >= 0) {
			total += dt;
			round_add(&r, n, dt);
		}
		munmap(p, n * HPAGE);
	}
	alloc1 = vmstat("thp_fault_alloc");
	fb1 = vmstat("thp_fault_fallback");
	tap_diag("%d x %lu faults in %.3fs (+1 warm-up pass), thp_fault_alloc +%lld, thp_fault_fallback +%lld",
		 iters, n, total, alloc1 - alloc0, fb1 - fb0);
	if (alloc1 - alloc0 != (long long)(n * (iters + 1)) || fb1 != fb0) {
		fail("thp_fault: not every fault got a THP");
		return;
	}
	figure("thp_fault", round_best(&r, "thp_fault"), "faults/s");
}

/* --- fsdax faults ------------------------------------------------------ */

static const char *mke2fs_path(void)
{
	static const char *const paths[] = { "/sbin/mke2fs", "/bin/mke2fs", "/usr/sbin/mke2fs" };

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (!access(paths[i], X_OK))
			return paths[i];
	return NULL;
}

static int run(char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

#define DAX_DEV		"/dev/pmem0"
#define DAX_MNT		"/mnt/dax"

/* The file's extents: PMD faults need 2 MiB-aligned ones. */
static void dax_extents(int fd)
{
	struct {
		struct fiemap fm;
		struct fiemap_extent fe[8];
	} m;
	int i;

	memset(&m, 0, sizeof(m));
	m.fm.fm_length = ~0ULL;
	m.fm.fm_extent_count = 8;
	if (ioctl(fd, FS_IOC_FIEMAP, &m.fm)) {
		tap_diag("fsdax: FIEMAP: %s", strerror(errno));
		return;
	}
	for (i = 0; i < (int)m.fm.fm_mapped_extents; i++)
		tap_diag("fsdax: extent %d: file %llu KiB -> disk %llu KiB, %llu KiB%s", i,
			 m.fe[i].fe_logical >> 10, m.fe[i].fe_physical >> 10,
			 m.fe[i].fe_length >> 10,
			 (m.fe[i].fe_physical - m.fe[i].fe_logical) % HPAGE ?
			 " (not 2 MiB aligned)" : "");
}

/* ext4 on the pmem device, mounted -o dax=always (once per boot). */
static int dax_mount(void)
{
	static int mounted;
	const char *mkfs = mke2fs_path();
	int rc;

	if (mounted)
		return 0;
	if (access(DAX_DEV, F_OK)) {
		fail("fsdax: no %s (memmap=SIZE!OFFSET missing from the plan?)", DAX_DEV);
		return -1;
	}
	if (!mkfs) {
		fail("fsdax: no mke2fs in /sbin, /bin or /usr/sbin");
		return -1;
	}
	/* A 2 MiB stride/stripe: mballoc aligns large allocations to it. */
	rc = run((char *const[]){ (char *)mkfs, "-q", "-F", "-t", "ext4", "-b", "4096",
				  "-E", "stride=512,stripe_width=512,nodiscard",
				  DAX_DEV, NULL });
	if (rc) {
		fail("fsdax: %s on %s exited %d", mkfs, DAX_DEV, rc);
		return -1;
	}
	mkdir(DAX_MNT, 0755);
	if (mount(DAX_DEV, DAX_MNT, "ext4", 0, "dax=always")) {
		fail("fsdax: mount -t ext4 -o dax=always %s: %s", DAX_DEV, strerror(errno));
		return -1;
	}
	tap_diag("fsdax: ext4 on %s (made by %s), mounted -o dax=always", DAX_DEV, mkfs);
	mounted = 1;
	return 0;
}

/*
 * A fresh file of mib MiB, written, for one benchmark: DAX keeps the
 * entries of earlier faults in the file's mapping, and a PTE entry there
 * would turn later PMD faults into PTE faults.
 */
static int dax_file(const char *path, unsigned long mib)
{
	static char buf[1 << 20];
	struct statx stx;
	unsigned long i;
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		fail("fsdax: create %s: %s", path, strerror(errno));
		return -1;
	}
	/*
	 * One allocation of the whole file: with the fs's 2 MiB stripe,
	 * mballoc aligns it, so that PMD faults are possible.
	 */
	if (fallocate(fd, 0, 0, mib * MIB)) {
		fail("fsdax: fallocate %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	memset(buf, 0x5a, sizeof(buf));
	for (i = 0; i < mib; i++)
		if (write(fd, buf, sizeof(buf)) != sizeof(buf)) {
			fail("fsdax: write %s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
	fsync(fd);
	if (statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &stx) ||
	    !(stx.stx_attributes & STATX_ATTR_DAX)) {
		fail("fsdax: %s is not a DAX file", path);
		close(fd);
		return -1;
	}
	dax_extents(fd);
	return fd;
}

static void fsdax_fault(const char *size, unsigned long mib, int iters)
{
	int pmd = !strcmp(size, "pmd"), fd, it;
	unsigned long len = mib * MIB, i, step = pmd ? HPAGE : PAGE, want = len / step;
	long f0, faults = 0, sum = 0;
	double t0, dt, total = 0;
	struct rounds r;
	volatile unsigned char *p;
	char name[64];

	if (!pmd && strcmp(size, "pte")) {
		fail("fsdax_fault: size must be pte or pmd");
		return;
	}
	pin(0);
	if (dax_mount())
		return;
	snprintf(name, sizeof(name), DAX_MNT "/%s", size);
	fd = dax_file(name, mib);
	if (fd < 0)
		return;
	round_init(&r, iters);
	/* Iteration -1 is a warm-up, not measured. */
	for (it = -1; it < iters; it++) {
		/* A file mapping of a DAX file is 2 MiB aligned (thp_get_unmapped_area). */
		p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED) {
			fail("fsdax: mmap: %s", strerror(errno));
			break;
		}
		if (((uintptr_t)p & (HPAGE - 1)) && pmd) {
			fail("fsdax: mapping at %p is not 2 MiB aligned", p);
			break;
		}
		madvise((void *)p, len, pmd ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
		f0 = minflt();
		t0 = now();
		/* One read per page of the mapping's size: each one faults. */
		for (i = 0; i < len; i += step)
			sum += p[i];
		dt = now() - t0;
		if (it >= 0) {
			total += dt;
			faults += minflt() - f0;
			round_add(&r, want, dt);
		}
		munmap((void *)p, len);
	}
	close(fd);
	unlink(name);
	if (failed)
		return;
	tap_diag("fsdax %s: %d x %lu MiB, %ld faults (want %lu) in %.3fs (+1 warm-up pass), data %s",
		 size, iters, mib, faults, want * iters, total,
		 sum == 0x5aL * (long)want * (iters + 1) ? "ok" : "BAD");
	/* The count is the process's: allow a stray fault (stack, vDSO) per pass. */
	if (faults < (long)(want * iters) || faults > (long)((want + 2) * iters)) {
		fail("fsdax: %ld faults, want %lu (%s-mapped)", faults, want * iters, size);
		return;
	}
	if (sum != 0x5aL * (long)want * (iters + 1)) {
		fail("fsdax: file data not as written");
		return;
	}
	snprintf(name, sizeof(name), "fsdax_fault_%s", size);
	figure(name, round_best(&r, name), "faults/s");
}

static void usage(void)
{
	fprintf(stderr, "usage: mmbench thp_migrate MIB MOVES | hugetlb_fault THREADS PAGES ITERS |\n"
			"       thp_fault MIB ITERS | fsdax_fault pte|pmd MIB ITERS [...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int i = 1;

	if (argc < 2)
		usage();
	/* Several benchmarks may run in one call (fsdax shares its setup). */
	while (i < argc && !failed) {
		const char *b = argv[i];

		if (!strcmp(b, "thp_migrate") && i + 2 < argc) {
			thp_migrate(strtoul(argv[i + 1], NULL, 0), atoi(argv[i + 2]));
			i += 3;
		} else if (!strcmp(b, "hugetlb_fault") && i + 3 < argc) {
			hugetlb_fault(atoi(argv[i + 1]), strtoul(argv[i + 2], NULL, 0), atoi(argv[i + 3]));
			i += 4;
		} else if (!strcmp(b, "thp_fault") && i + 2 < argc) {
			thp_fault(strtoul(argv[i + 1], NULL, 0), atoi(argv[i + 2]));
			i += 3;
		} else if (!strcmp(b, "fsdax_fault") && i + 3 < argc) {
			fsdax_fault(argv[i + 1], strtoul(argv[i + 2], NULL, 0), atoi(argv[i + 3]));
			i += 4;
		} else {
			usage();
		}
	}
	return failed ? KSFT_FAIL : KSFT_PASS;
}
