/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by pmdsafe's own guest programs: TAP output in the
 * kselftest format, /proc readers and the raw NUMA syscalls (the
 * initramfs has no libnuma).
 */
#ifndef PMDSAFE_GUEST_H
#define PMDSAFE_GUEST_H

#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define KSFT_PASS	0
#define KSFT_FAIL	1
#define KSFT_SKIP	4

static int tap_n, tap_failed;

static inline void tap_plan(int n)
{
	printf("TAP version 13\n1..%d\n", n);
	fflush(stdout);
}

static inline void tap_result(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d ", ok ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!ok)
		tap_failed++;
}

static inline void tap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static inline int tap_exit(void)
{
	printf("# Totals: pass:%d fail:%d\n", tap_n - tap_failed, tap_failed);
	return tap_failed ? KSFT_FAIL : KSFT_PASS;
}

/* Value of a "name value" line of /proc/vmstat, or -1. */
static inline long long vmstat(const char *name)
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

static inline int read_text(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, len - 1, f);
	buf[n] = 0;
	fclose(f);
	return 0;
}

#define MPOL_MF_MOVE	(1 << 1)

static inline long move_pages(int pid, unsigned long count, void **pages,
			      const int *nodes, int *status, int flags)
{
	return syscall(SYS_move_pages, pid, count, pages, nodes, status, flags);
}

#endif
