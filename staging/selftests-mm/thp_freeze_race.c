// SPDX-License-Identifier: GPL-2.0
/*
 * thp_freeze_race - bounded version of the freeze_page() reproducer.
 *
 * Covers seed 002 (/work/shared/seeds/002_ae82e54ca651491d.txt):
 * "[PATCH v1 1/2] mm: thp: move pmd check inside ptl for freeze_page()".
 * Three processes: one keeps writing a THP region (memset), one keeps
 * writing 4 to /proc/<writer>/clear_refs (soft-dirty clear, which
 * invalidates and rewrites the huge PMDs), one migrates the writer between
 * node 0 and node 1 with migrate_pages(2).  The unlocked pmd check in
 * split_huge_pmd_address(freeze=true) raced with the PMD being changed
 * under it and hit VM_BUG_ON in freeze_page().
 *
 * Like the original script, rounds start a fresh writer, wait a random
 * time, start the racers, wait a random time and end; here even rounds end
 * gracefully (the writer finishes its pass and checks its data, then the
 * parent reads the writer's memory with process_vm_readv and checks it
 * too) and odd rounds end with SIGKILL while the racers run, as the script
 * did.  The "split" variant adds a fourth process that splits one of the
 * writer's THPs through /sys/kernel/debug/split_huge_pages, which takes the
 * freeze path (unmap_folio -> try_to_migrate(TTU_SPLIT_HUGE_PMD)) directly.
 *
 * Duration: PMDSAFE_STRESS_SECONDS per variant (default 5).  Checks: every
 * pass of every writer read back its own pattern; graceful rounds' memory
 * matched from outside; migrate_pages never failed; clear_refs writes
 * succeeded; thp_migration_success grew (THPs migrated as THPs); in the
 * split variant, thp_split_page grew.  Missing NUMA node 1, THP or the
 * debugfs file are failures, not skips.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
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
#define NR_HP			10		/* as in the seed's thp_alloc.c */
#define SIZE			(NR_HP * HPAGE)
#define SEED_ADDR		0x700000000000UL
#define DEFAULT_STRESS_SECONDS	5
#define SPLIT_DEBUGFS		"/sys/kernel/debug/split_huge_pages"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE	0x100000
#endif

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

static long sys_migrate_pages(pid_t pid, int from, int to)
{
	unsigned long old_nodes = 1UL << from, new_nodes = 1UL << to;

	return syscall(SYS_migrate_pages, pid, 8 * sizeof(unsigned long) + 1,
		       &old_nodes, &new_nodes);
}

static unsigned long rnd_state;

static unsigned long rnd(unsigned long n)
{
	rnd_state = rnd_state * 6364136223846793005UL + 1442695040888963407UL;
	return (rnd_state >> 33) % n;
}

/* AnonHugePages (kB) of the VMA starting at @start in /proc/self/smaps. */
static long anon_huge_kb(unsigned long start)
{
	static char buf[64 * 1024];
	char *l;
	int in = 0;

	if (read_file("/proc/self/smaps", buf, sizeof(buf)) < 0)
		return -1;
	for (l = strtok(buf, "\n"); l; l = strtok(NULL, "\n")) {
		unsigned long a, b;
		long v;

		if (sscanf(l, "%lx-%lx ", &a, &b) == 2 && strchr(l, ' '))
			in = a == start;
		else if (in && sscanf(l, "AnonHugePages: %ld kB", &v) == 1)
			return v;
	}
	return -1;
}

/* Shared between the test and its processes. */
struct shared {
	volatile int stop;		/* writer: finish pass, verify, park */
	volatile int done;		/* writer parked after verifying */
	volatile int stop_racers;
	volatile unsigned long addr;	/* writer's region */
	volatile long thp_kb;		/* writer's AnonHugePages after 1st pass */
	volatile unsigned long passes;
	volatile unsigned char last;	/* value of the last complete pass */
	volatile long clears, splits, split_errs;
	volatile int failed;
	char msg[512];
};

static void failf(struct shared *sh, const char *fmt, ...)
{
	va_list ap;

	if (!__sync_bool_compare_and_swap(&sh->failed, 0, 1))
		return;
	va_start(ap, fmt);
	vsnprintf(sh->msg, sizeof(sh->msg), fmt, ap);
	va_end(ap);
}

/* Process 1 of the seed: keeps writing the THP region. */
static void writer(struct shared *sh)
{
	unsigned long pass = 0, i;
	char *p;

	p = mmap((void *)SEED_ADDR, SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p == MAP_FAILED) {		/* fall back to any 2 MiB aligned spot */
		p = mmap(NULL, SIZE + HPAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			failf(sh, "writer mmap: %s", strerror(errno));
			_exit(1);
		}
		p = (char *)(((unsigned long)p + HPAGE - 1) & ~(HPAGE - 1));
	}
	/* ENOSYS (no CONFIG_ADVISE_SYSCALLS) is checked via AnonHugePages */
	madvise(p, SIZE, MADV_HUGEPAGE);
	for (;;) {
		unsigned char v = pass % 255 + 1;
		uint64_t w = 0x0101010101010101ULL * v;
		const uint64_t *q = (const uint64_t *)p;

		memset(p, v, SIZE);
		for (i = 0; i < SIZE / 8; i++)
			if (q[i] != w) {
				failf(sh, "writer pass %lu: offset %#lx holds %#llx, wrote %#llx",
				      pass, i * 8, (unsigned long long)q[i],
				      (unsigned long long)w);
				_exit(1);
			}
		sh->last = v;
		sh->passes = ++pass;
		if (pass == 1) {
			sh->thp_kb = anon_huge_kb((unsigned long)p);
			sh->addr = (unsigned long)p;
		}
		if (sh->stop)
			break;
	}
	sh->done = 1;
	for (;;)
		pause();
}

/* Process 2 of the seed: echo 4 > /proc/$pid/clear_refs, until it is gone. */
static void clearer(struct shared *sh, pid_t pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/clear_refs", pid);
	while (!sh->stop_racers) {
		int fd = open(path, O_WRONLY);

		if (fd < 0)
			break;		/* writer gone */
		if (write(fd, "4", 1) == 1)
			sh->clears++;
		close(fd);
	}
	_exit(0);
}

/* Extra process (variant "split"): split one of the writer's THPs. */
static void splitter(struct shared *sh, pid_t pid, unsigned long delay_us,
		     unsigned long hp)
{
	char cmd[128];
	int fd, n;

	usleep(delay_us);
	n = snprintf(cmd, sizeof(cmd), "%d,%#lx,%#lx", pid,
		     sh->addr + hp * HPAGE, sh->addr + (hp + 1) * HPAGE);
	fd = open(SPLIT_DEBUGFS, O_WRONLY);
	if (fd < 0) {
		failf(sh, "open %s: %s", SPLIT_DEBUGFS, strerror(errno));
		_exit(1);
	}
	if (write(fd, cmd, n) == n)
		sh->splits++;
	else
		sh->split_errs++;	/* e.g. the writer was killed meanwhile */
	close(fd);
	_exit(0);
}

/* Compare the writer's memory, read from outside, with its last pass. */
static int check_remote(struct shared *sh, pid_t pid)
{
	static uint64_t buf[(1UL << 20) / 8];
	uint64_t w = 0x0101010101010101ULL * sh->last;
	unsigned long off, i;

	for (off = 0; off < SIZE; off += sizeof(buf)) {
		struct iovec l = { buf, sizeof(buf) };
		struct iovec r = { (void *)(sh->addr + off), sizeof(buf) };

		if (process_vm_readv(pid, &l, 1, &r, 1, 0) != (ssize_t)sizeof(buf)) {
			failf(sh, "process_vm_readv: %s", strerror(errno));
			return -1;
		}
		for (i = 0; i < sizeof(buf) / 8; i++)
			if (buf[i] != w) {
				failf(sh, "writer memory at %#lx: %#llx, expected %#llx",
				      off + i * 8, (unsigned long long)buf[i],
				      (unsigned long long)w);
				return -1;
			}
	}
	return 0;
}

FIXTURE(freeze)
{
	struct shared *sh;
	int secs;
};

FIXTURE_VARIANT(freeze)
{
	int split;
};

/* exactly the seed's three processes */
FIXTURE_VARIANT_ADD(freeze, seed)
{
	.split = 0,
};

/* plus THP splits (freeze) through debugfs */
FIXTURE_VARIANT_ADD(freeze, split)
{
	.split = 1,
};

FIXTURE_SETUP(freeze)
{
	char buf[64];

	self->secs = stress_seconds();
	ASSERT_GE(read_file("/sys/devices/system/node/has_memory", buf,
			    sizeof(buf)), 0)
		TH_LOG("no /sys/devices/system/node/has_memory (CONFIG_NUMA?)");
	ASSERT_TRUE(!strncmp(buf, "0-", 2) || !strncmp(buf, "0,1", 3))
		TH_LOG("need memory on nodes 0 and 1, has_memory=%s", buf);
	ASSERT_GE(read_file("/sys/kernel/mm/transparent_hugepage/enabled", buf,
			    sizeof(buf)), 0)
		TH_LOG("kernel without CONFIG_TRANSPARENT_HUGEPAGE");
	ASSERT_TRUE(strstr(buf, "[always]") || strstr(buf, "[madvise]"))
		TH_LOG("THP disabled: %s", buf);
	ASSERT_GE(vmstat("thp_migration_success"), 0);
	if (variant->split)
		ASSERT_EQ(0, access(SPLIT_DEBUGFS, W_OK))
			TH_LOG("%s: %s (debugfs not mounted or CONFIG_DEBUG_FS=n)",
			       SPLIT_DEBUGFS, strerror(errno));
	self->sh = mmap(NULL, sizeof(*self->sh), PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->sh);
	rnd_state = (unsigned long)time(NULL) ^ getpid();
}

FIXTURE_TEARDOWN(freeze)
{
	if (self->sh && self->sh != MAP_FAILED)
		munmap(self->sh, sizeof(*self->sh));
}

TEST_F(freeze, race)
{
	long long succ0 = vmstat("thp_migration_success");
	long long fail0 = vmstat("thp_migration_fail");
	long long split0 = vmstat("thp_split_page");
	double end = now() + self->secs;
	unsigned long rounds = 0, graceful = 0, passes = 0, calls = 0;
	unsigned long unmoved = 0, clears = 0, splits = 0, split_errs = 0;
	struct shared *sh = self->sh;
	unsigned long seed = rnd_state;

	ksft_print_msg("%ds, random seed %#lx\n", self->secs, seed);
	do {
		int gentle = !(rounds & 1), st, to = 1;
		double t0, round_end;
		pid_t w, cl, sp = 0;

		memset(sh, 0, sizeof(*sh));
		w = fork();
		ASSERT_GE(w, 0);
		if (!w)
			writer(sh);
		/* first pass done: region populated */
		t0 = now();
		while (!sh->addr && !sh->failed && now() < t0 + 30)
			usleep(1000);
		if (!sh->addr) {
			kill(w, SIGKILL);
			waitpid(w, NULL, 0);
		}
		ASSERT_NE(0UL, sh->addr) TH_LOG("writer did not start: %s", sh->msg);
		if (!rounds)
			ASSERT_EQ((long)(SIZE / 1024), sh->thp_kb)
				TH_LOG("writer's region is not THP-backed (AnonHugePages %ld kB)",
				       sh->thp_kb);

		usleep(rnd(200000));		/* sleep 0.$RANDOM */
		cl = fork();
		ASSERT_GE(cl, 0);
		if (!cl)
			clearer(sh, w);
		round_end = now() + 0.3 + rnd(700) / 1000.0;
		if (variant->split) {
			sp = fork();
			ASSERT_GE(sp, 0);
			if (!sp)
				splitter(sh, w, rnd(300000), rnd(NR_HP));
		}

		/* Process 3 of the seed: migratepages $pid 0 1; 1 0 */
		while (!sh->failed && now() < round_end) {
			long r = sys_migrate_pages(w, !to, to);

			if (r < 0)
				failf(sh, "migrate_pages(%d, %d->%d): %s", w, !to,
				      to, strerror(errno));
			else
				calls++, unmoved += r;
			to = !to;
		}
		if (gentle) {
			/* the writer completes its pass under the racers */
			sh->stop = 1;
			t0 = now();
			while (!sh->done && !sh->failed && now() < t0 + 60) {
				long r = sys_migrate_pages(w, !to, to);

				if (r < 0)
					failf(sh, "migrate_pages: %s",
					      strerror(errno));
				to = !to;
			}
			if (sh->done && !sh->failed && !check_remote(sh, w))
				graceful++;
			else if (!sh->done && !sh->failed)
				failf(sh, "writer did not finish its pass in 60s");
			kill(w, SIGKILL);
		} else {
			/* kill -9 in the middle, racers still running */
			kill(w, SIGKILL);
			t0 = now();
			while (sys_migrate_pages(w, !to, to) >= 0 && now() < t0 + 10)
				to = !to;
			/* EINVAL: zombie without mm, ESRCH: gone */
			if (errno != ESRCH && errno != EINVAL)
				failf(sh, "migrate_pages of a dying task: %s",
				      strerror(errno));
		}
		ASSERT_EQ(w, waitpid(w, &st, 0));
		if (!sh->failed && !(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL))
			failf(sh, "writer ended with status %#x", st);
		sh->stop_racers = 1;
		ASSERT_EQ(cl, waitpid(cl, &st, 0));
		if (!sh->failed && !(WIFEXITED(st) && !WEXITSTATUS(st)))
			failf(sh, "clear_refs process ended with status %#x", st);
		if (sp) {
			ASSERT_EQ(sp, waitpid(sp, &st, 0));
			if (!sh->failed && !(WIFEXITED(st) && !WEXITSTATUS(st)))
				failf(sh, "splitter ended with status %#x", st);
		}
		ASSERT_EQ(0, sh->failed) TH_LOG("round %lu: %s", rounds, sh->msg);
		passes += sh->passes;
		clears += sh->clears;
		splits += sh->splits;
		split_errs += sh->split_errs;
		rounds++;
	} while (now() < end || graceful < 1 || rounds < 2);

	ksft_print_msg("rounds=%lu (verified %lu) writer passes=%lu migrate_pages=%lu (unmoved %lu) clear_refs=%lu splits=%lu (errors %lu)\n",
		       rounds, graceful, passes, calls, unmoved, clears, splits,
		       split_errs);
	ksft_print_msg("thp_migration_success +%lld fail +%lld thp_split_page +%lld\n",
		       vmstat("thp_migration_success") - succ0,
		       vmstat("thp_migration_fail") - fail0,
		       vmstat("thp_split_page") - split0);
	ASSERT_GT(passes, rounds);
	ASSERT_GT(clears, 0UL);
	ASSERT_GE(calls, rounds);
	ASSERT_GE(vmstat("thp_migration_success") - succ0, NR_HP)
		TH_LOG("THPs were not migrated as THPs");
	if (variant->split) {
		ASSERT_GT(splits, 0UL);
		ASSERT_GT(vmstat("thp_split_page") - split0, 0);
	}
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
