// SPDX-License-Identifier: GPL-2.0
/*
 * Seed 000 family, found by pmd_present_accessor.cocci: UFFDIO_MOVE of a
 * PMD-mapped THP while another thread migrates it between the NUMA nodes.
 * pmd_trans_huge_lock() also returns the lock for the PMD migration entry,
 * and 6.12's move_pages() then tested pmd_devmap() on it, which is true for
 * every migration entry on x86-64: the move failed with a spurious ENOENT
 * ("source hole") instead of waiting for the migration (EAGAIN, retry).
 * Fixed by patches/0002-mm-userfaultfd-test-pmd_present-before-pmd_devmap-in.
 *
 * Passes when, over the run, no move fails with ENOENT, moved data is
 * intact, moves did happen and thp_migration_success grew.
 * Duration: PMDSAFE_STRESS_SECONDS (default 10).
 */
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include "../guest.h"

#ifndef UFFDIO_MOVE
/* Debian 12's uapi headers predate UFFDIO_MOVE (6.8). */
struct uffdio_move {
	__u64 dst;
	__u64 src;
	__u64 len;
	__u64 mode;
	__s64 move;
};
#define _UFFDIO_MOVE		(0x05)
#define UFFDIO_MOVE		_IOWR(UFFDIO, _UFFDIO_MOVE, struct uffdio_move)
#define UFFD_FEATURE_MOVE	(1 << 15)
#endif

#define HPAGE	(2UL << 20)

static volatile int stop;
static unsigned char *src;

static void *map_aligned(size_t len)
{
	unsigned char *raw = mmap(NULL, len + HPAGE, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned char *p;

	if (raw == MAP_FAILED)
		return NULL;
	p = (unsigned char *)(((uintptr_t)raw + HPAGE - 1) & ~(HPAGE - 1));
	if (p > raw)
		munmap(raw, p - raw);
	munmap(p + len, raw + len + HPAGE - (p + len));
	return p;
}

/* Keep migrating the source THP between node 0 and node 1. */
static void *migrator(void *arg)
{
	long *moves = arg;
	int node = 0;

	while (!stop) {
		void *page = src;
		int status, target = node ^ 1;

		if (!move_pages(0, 1, &page, &target, &status, MPOL_MF_MOVE) &&
		    status == target) {
			node = target;
			(*moves)++;
		}
	}
	return NULL;
}

int main(void)
{
	const char *env = getenv("PMDSAFE_STRESS_SECONDS");
	int seconds = env ? atoi(env) : 10;
	long iterations = 0, moved = 0, enoent = 0, eagain = 0, other = 0;
	long migrations = 0, corrupt = 0;
	struct uffdio_api api = { .api = UFFD_API, .features = UFFD_FEATURE_MOVE };
	struct uffdio_register reg = { 0 };
	long long mig0, mig1;
	unsigned char *dst;
	pthread_t thr;
	time_t end;
	int uffd;

	tap_plan(4);
	uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api) ||
	    !(api.features & UFFD_FEATURE_MOVE)) {
		tap_diag("userfaultfd with UFFD_FEATURE_MOVE unavailable: %s", strerror(errno));
		return KSFT_FAIL;
	}
	src = map_aligned(HPAGE);
	dst = map_aligned(HPAGE);
	if (!src || !dst)
		return KSFT_FAIL;
	madvise(src, HPAGE, MADV_HUGEPAGE);
	madvise(dst, HPAGE, MADV_HUGEPAGE);
	reg.range.start = (uintptr_t)dst;
	reg.range.len = HPAGE;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg)) {
		tap_diag("UFFDIO_REGISTER: %s", strerror(errno));
		return KSFT_FAIL;
	}

	mig0 = vmstat("thp_migration_success");
	memset(src, 0x11, HPAGE);
	pthread_create(&thr, NULL, migrator, &migrations);
	end = time(NULL) + seconds;
	while (time(NULL) < end) {
		struct uffdio_move mv = {
			.dst = (uintptr_t)dst, .src = (uintptr_t)src, .len = HPAGE,
		};
		unsigned char seed = (unsigned char)(0x20 + iterations);

		iterations++;
		/* A fresh THP in src: the moved one went to dst. */
		for (size_t i = 0; i < HPAGE; i += 4096)
			src[i] = seed;
		if (ioctl(uffd, UFFDIO_MOVE, &mv)) {
			if (errno == ENOENT)
				enoent++;
			else if (errno == EAGAIN || errno == EBUSY)
				eagain++;
			else
				other++;
			continue;
		}
		moved++;
		for (size_t i = 0; i < HPAGE; i += 4096)
			if (dst[i] != seed)
				corrupt++;
		/* Empty dst again (it must be pmd_none for a PMD move). */
		madvise(dst, HPAGE, MADV_DONTNEED);
	}
	stop = 1;
	pthread_join(thr, NULL);
	mig1 = vmstat("thp_migration_success");

	tap_diag("%ld iterations: %ld moved, %ld ENOENT, %ld EAGAIN/EBUSY, %ld other; %ld migrations",
		 iterations, moved, enoent, eagain, other, migrations);
	tap_result(enoent == 0, "no UFFDIO_MOVE failed with ENOENT during THP migration (%ld did)", enoent);
	tap_result(other == 0, "no other UFFDIO_MOVE error (%ld)", other);
	tap_result(moved > 0 && corrupt == 0, "%ld moves, data intact (%ld bad pages)", moved, corrupt);
	tap_result(migrations > 0 && mig1 - mig0 > 0,
		   "the THP was migrated meanwhile (%ld moves, thp_migration_success +%lld)",
		   migrations, mig1 - mig0);
	return tap_exit();
}
