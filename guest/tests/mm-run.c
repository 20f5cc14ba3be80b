// SPDX-License-Identifier: GPL-2.0
/*
 * mm-run: the guest setup that run_vmtests.sh does in bash around a
 * selftest, for the shell-less pmdsafe guest (plan selftests-mm).
 *
 *   mm-run [-c] [-w PATH=VALUE]... [-u UID] [-C DIR] [-x] [-t SECONDS]
 *          PROGRAM [ARGS...]
 *   mm-run -s DEVICE
 *
 * -c  drops the page cache and compacts memory first (what run_vmtests.sh
 *     does before each hugetlb test, so that huge pages can be allocated)
 * -w  writes VALUE to PATH (a sysctl or sysfs knob) before the test and
 *     writes the old value back after it (write-only files such as
 *     drop_caches are not restored); a knob that cannot be set fails the
 *     test, as a missing precondition must
 * -u  runs the test with this uid and gid and no supplementary groups
 *     (run_vmtests.sh's "sudo -u nobody")
 * -C  runs the test in DIR
 * -t  kills the test after SECONDS and fails it, but still restores the
 *     knobs (init's own limit would kill mm-run too and leave, e.g., one
 *     huge page for the tests that follow): keep it below the plan's limit
 * -x  marks a test that needs an XFS file system: PROGRAM gets the mount
 *     point /mnt/xfs as its last argument, and the test is skipped (exit
 *     4) when the guest has no XFS image at /xfs.img and a pmem disk for it
 *
 * -s  makes DEVICE (a pmem disk) a swap area and turns swap on for the
 *     rest of the run: the swap-out cases of cow, khugepaged and others
 *     need swap, which the guest has no other way to get
 *
 * The exit status is the test's; a test killed by a signal kills mm-run
 * with the same signal, so init reports it as such.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_KNOBS	8
#define MAX_ARGS	32
#define KSFT_SKIP	4

struct knob {
	char *path, *val;
	char old[256];
	int restore;
};

static struct knob knobs[MAX_KNOBS];
static int nknobs;
static volatile sig_atomic_t timed_out;
static pid_t child;

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
	/* What the test forked is left to init, which kills the group. */
	kill(child, SIGKILL);
}

static int read_knob(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = 0;
	return 0;
}

static int write_knob(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -1;
}

/* The value as read back, for knobs like nr_hugepages that may fall short. */
static void set_knob(const char *path, const char *val, const char *what)
{
	char now[256];

	if (write_knob(path, val)) {
		printf("# mm-run: %s %s=%s: %s\n", what, path, val,
		       strerror(errno));
		return;
	}
	if (!read_knob(path, now, sizeof(now)) && strcmp(now, val))
		printf("# mm-run: %s %s=%s: reads back %s\n", what, path, val,
		       now);
}

static void restore_knobs(void)
{
	int i;

	for (i = nknobs - 1; i >= 0; i--)
		if (knobs[i].restore)
			set_knob(knobs[i].path, knobs[i].old, "restore");
}

static int xfs_setup(void)
{
	static char buf[1 << 16];
	int in = open("/xfs.img", O_RDONLY), out;
	ssize_t n;

	if (in < 0) {
		printf("# mm-run: no /xfs.img in the initramfs\n");
		return KSFT_SKIP;
	}
	out = open("/dev/pmem0", O_WRONLY);
	if (out < 0) {
		printf("# mm-run: /dev/pmem0: %s (memmap=nn!ss missing?)\n",
		       strerror(errno));
		close(in);
		return KSFT_SKIP;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n) {
			printf("# mm-run: writing /dev/pmem0: %s\n",
			       strerror(errno));
			return 1;
		}
	close(in);
	fsync(out);
	close(out);
	mkdir("/mnt/xfs", 0755);
	if (mount("/dev/pmem0", "/mnt/xfs", "xfs", 0, NULL)) {
		printf("# mm-run: mount xfs /dev/pmem0 on /mnt/xfs: %s\n",
		       strerror(errno));
		return 1;
	}
	return 0;
}

/* mkswap + swapon: a version 1 swap header in the first page. */
static int swap_setup(const char *dev)
{
	static unsigned char page[4096];
	unsigned long long size;
	unsigned int *info = (unsigned int *)(page + 1024);
	int fd = open(dev, O_RDWR);

	if (fd < 0 || ioctl(fd, BLKGETSIZE64, &size)) {
		printf("# mm-run: %s: %s\n", dev, strerror(errno));
		return 1;
	}
	info[0] = 1;				/* version */
	info[1] = size / sizeof(page) - 1;	/* last_page */
	memcpy(page + sizeof(page) - 10, "SWAPSPACE2", 10);
	if (pwrite(fd, page, sizeof(page), 0) != sizeof(page) || fsync(fd)) {
		printf("# mm-run: writing %s: %s\n", dev, strerror(errno));
		return 1;
	}
	close(fd);
	if (swapon(dev, 0)) {
		printf("# mm-run: swapon %s: %s\n", dev, strerror(errno));
		return 1;
	}
	printf("# mm-run: swap on %s, %llu KiB\n", dev, size >> 10);
	return 0;
}

int main(int argc, char **argv)
{
	char *dir = NULL, *args[MAX_ARGS + 2];
	int opt, i, n = 0, xfs = 0, status;
	long uid = -1, limit = 0;
	pid_t pid;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((opt = getopt(argc, argv, "+cw:u:C:xt:s:")) != -1) {
		char *eq;

		switch (opt) {
		case 'c':
			if (nknobs + 2 > MAX_KNOBS)
				return 2;
			knobs[nknobs].path = "/proc/sys/vm/drop_caches";
			knobs[nknobs++].val = "3";
			knobs[nknobs].path = "/proc/sys/vm/compact_memory";
			knobs[nknobs++].val = "1";
			break;
		case 'w':
			eq = strchr(optarg, '=');
			if (!eq || nknobs == MAX_KNOBS) {
				fprintf(stderr, "mm-run: bad -w %s\n", optarg);
				return 2;
			}
			*eq = 0;
			knobs[nknobs].path = optarg;
			knobs[nknobs++].val = eq + 1;
			break;
		case 'u':
			uid = atol(optarg);
			break;
		case 'C':
			dir = optarg;
			break;
		case 'x':
			xfs = 1;
			break;
		case 't':
			limit = atol(optarg);
			break;
		case 's':
			return swap_setup(optarg);
		default:
			fprintf(stderr, "usage: mm-run [-c] [-w PATH=VALUE]... [-u UID] [-C DIR] [-x] [-t SECONDS] PROGRAM [ARGS...] | -s DEVICE\n");
			return 2;
		}
	}
	if (optind >= argc || argc - optind > MAX_ARGS) {
		fprintf(stderr, "mm-run: no program, or too many arguments\n");
		return 2;
	}
	for (i = optind; i < argc; i++)
		args[n++] = argv[i];
	if (xfs) {
		int r = xfs_setup();

		if (r)
			return r;
		args[n++] = "/mnt/xfs";
	}
	args[n] = NULL;

	for (i = 0; i < nknobs; i++) {
		struct knob *k = &knobs[i];

		k->restore = !read_knob(k->path, k->old, sizeof(k->old));
		if (write_knob(k->path, k->val)) {
			printf("# mm-run: setup %s=%s: %s\n", k->path, k->val,
			       strerror(errno));
			nknobs = i;
			restore_knobs();
			return 1;
		}
		printf("# mm-run: %s=%s (was %s)\n", k->path, k->val,
		       k->restore ? k->old : "write-only");
	}

	pid = fork();
	if (pid < 0) {
		perror("mm-run: fork");
		return 1;
	}
	if (!pid) {
		if (dir && chdir(dir)) {
			perror("mm-run: chdir");
			_exit(1);
		}
		if (uid >= 0 && (setgroups(0, NULL) || setgid(uid) ||
				 setuid(uid))) {
			perror("mm-run: setuid");
			_exit(1);
		}
		execv(args[0], args);
		fprintf(stderr, "mm-run: exec %s: %s\n", args[0],
			strerror(errno));
		_exit(127);
	}
	child = pid;
	if (limit > 0) {
		signal(SIGALRM, on_alarm);
		alarm(limit);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			perror("mm-run: waitpid");
			return 1;
		}
	alarm(0);
	restore_knobs();
	if (xfs && umount("/mnt/xfs"))
		printf("# mm-run: umount /mnt/xfs: %s\n", strerror(errno));
	if (timed_out) {
		printf("# mm-run: killed %s after the %lds limit\n", args[0],
		       limit);
		return 1;
	}
	if (WIFSIGNALED(status)) {
		signal(WTERMSIG(status), SIG_DFL);
		raise(WTERMSIG(status));
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
