// SPDX-License-Identifier: GPL-2.0
/*
 * pmdsafe guest init: PID 1 of the test initramfs.
 *
 * Mounts the pseudo filesystems, runs the test plan named on the kernel
 * command line (pmdsafe.plan=NAME, file /etc/pmdsafe/plans/NAME.plan),
 * relays each test's output as TAP diagnostics, prints one TAP result line
 * per test, dumps /proc/lockdep_stats and powers the machine off.
 *
 * Plan lines: "NAME TIMEOUT_SECONDS PROGRAM [ARGS...]"; '#' starts a comment.
 * A test's exit status follows kselftest: 0 pass, 4 skip, anything else
 * (or a signal, or running past its timeout) fail.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_TESTS	128
#define MAX_ARGS	16
#define KSFT_SKIP	4

struct test {
	char *name;
	int timeout;
	char *argv[MAX_ARGS + 1];
};

static struct test tests[MAX_TESTS];
static int ntests;

/* One write() per line keeps kernel messages from splitting TAP lines. */
static void out(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	if (write(1, buf, n) < 0)
		return;
}

static void mount_or_warn(const char *src, const char *dst, const char *type)
{
	mkdir(dst, 0755);
	if (mount(src, dst, type, 0, NULL) && errno != EBUSY)
		out("# init: mount %s on %s: %s\n", type, dst, strerror(errno));
}

static int cmdline_value(const char *key, char *val, size_t len)
{
	char buf[4096], *p;
	size_t klen = strlen(key);
	ssize_t n;
	int fd = open("/proc/cmdline", O_RDONLY);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	for (p = strtok(buf, " \n"); p; p = strtok(NULL, " \n")) {
		if (!strncmp(p, key, klen) && p[klen] == '=') {
			snprintf(val, len, "%s", p + klen + 1);
			return 0;
		}
	}
	return -1;
}

static int load_plan(const char *path)
{
	static char text[65536];
	char *line, *save = NULL;
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	/* A plan that fills the buffer may have been cut: refuse it. */
	if (n < 0 || n == (ssize_t)sizeof(text) - 1)
		return -1;
	text[n] = 0;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *hash = strchr(line, '#'), *tok, *s2 = NULL;
		struct test *t;
		int argc = 0;

		if (hash)
			*hash = 0;
		tok = strtok_r(line, " \t", &s2);
		if (!tok)
			continue;
		if (ntests == MAX_TESTS)
			return -1;
		t = &tests[ntests];
		t->name = tok;
		tok = strtok_r(NULL, " \t", &s2);
		t->timeout = tok ? atoi(tok) : 0;
		while ((tok = strtok_r(NULL, " \t", &s2)) && argc < MAX_ARGS)
			t->argv[argc++] = tok;
		if (t->timeout <= 0 || !argc) {
			out("# init: bad plan line for '%s'\n", t->name);
			return -1;
		}
		t->argv[argc] = NULL;
		ntests++;
	}
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Relay the child's output line by line as "# " diagnostics. */
static ssize_t relay(int fd, char *pending, size_t *plen, int flush)
{
	char buf[4096];
	ssize_t n = flush ? 0 : read(fd, buf, sizeof(buf));
	size_t i;

	for (i = 0; i < (size_t)(n > 0 ? n : 0); i++) {
		if (buf[i] == '\n' || *plen == 1000) {
			pending[*plen] = 0;
			out("# %s\n", pending);
			*plen = 0;
			if (buf[i] == '\n')
				continue;
		}
		pending[(*plen)++] = buf[i];
	}
	if (flush && *plen) {
		pending[*plen] = 0;
		out("# %s\n", pending);
		*plen = 0;
	}
	return n;
}

static int run_test(int idx, struct test *t)
{
	char pending[1024];
	size_t plen = 0;
	int pfd[2], status = 0, timed_out = 0, done = 0, exited = 0;
	double t0 = now(), deadline = t0 + t->timeout;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		setpgid(0, 0);
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		execv(t->argv[0], t->argv);
		fprintf(stderr, "exec %s: %s\n", t->argv[0], strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	close(pfd[1]);

	/*
	 * Stop at EOF on the pipe, or when the test has exited and its
	 * output is drained (a leftover grandchild may hold the pipe open).
	 */
	while (!done) {
		struct pollfd p = { .fd = pfd[0], .events = POLLIN };
		double left = deadline - now();
		int r;

		if (left <= 0) {
			timed_out = 1;
			kill(-pid, SIGKILL);
			break;
		}
		r = poll(&p, 1, left > 0.2 ? 200 : (int)(left * 1000) + 1);
		if (r > 0 && relay(pfd[0], pending, &plen, 0) <= 0)
			done = 1;
		if (r == 0 && !exited && waitpid(pid, &status, WNOHANG) == pid)
			exited = 1;
		else if (r == 0 && exited)
			done = 1;
	}
	relay(pfd[0], pending, &plen, 1);
	close(pfd[0]);
	if (!exited)
		waitpid(pid, &status, 0);
	/* Reap whatever the test left behind in its process group. */
	kill(-pid, SIGKILL);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;

	if (timed_out) {
		out("not ok %d %s # TIMEOUT after %ds\n", idx, t->name, t->timeout);
		return 1;
	}
	if (WIFSIGNALED(status)) {
		out("not ok %d %s # killed by signal %d\n", idx, t->name,
		    WTERMSIG(status));
		return 1;
	}
	if (WEXITSTATUS(status) == KSFT_SKIP) {
		out("ok %d %s # SKIP (%.1fs)\n", idx, t->name, now() - t0);
		return 0;
	}
	if (WEXITSTATUS(status)) {
		out("not ok %d %s # exit=%d (%.1fs)\n", idx, t->name,
		    WEXITSTATUS(status), now() - t0);
		return 1;
	}
	out("ok %d %s # time=%.1fs\n", idx, t->name, now() - t0);
	return 0;
}

static void dump_file(const char *path, const char *prefix)
{
	char buf[8192], *line, *save = NULL;
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0) {
		out("# %s: %s\n", path, strerror(errno));
		return;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return;
	buf[n] = 0;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		out("%s%s\n", prefix, line);
}

int main(void)
{
	char plan[64] = "default", path[128];
	struct utsname u;
	int i;

	mount_or_warn("proc", "/proc", "proc");
	mount_or_warn("sysfs", "/sys", "sysfs");
	mount_or_warn("devtmpfs", "/dev", "devtmpfs");
	mount_or_warn("debugfs", "/sys/kernel/debug", "debugfs");
	mount_or_warn("tmpfs", "/tmp", "tmpfs");
	setenv("PATH", "/bin", 1);

	uname(&u);
	cmdline_value("pmdsafe.plan", plan, sizeof(plan));
	snprintf(path, sizeof(path), "/etc/pmdsafe/plans/%s.plan", plan);

	out("TAP version 13\n");
	if (load_plan(path)) {
		out("1..0 # init: cannot load plan %s\n", path);
		goto poweroff;
	}
	out("# pmdsafe: kernel %s %s, plan %s, %d tests\n", u.release,
	    u.version, plan, ntests);
	out("1..%d\n", ntests);
	for (i = 0; i < ntests; i++)
		if (run_test(i + 1, &tests[i]) < 0)
			out("not ok %d %s # init: cannot start\n", i + 1,
			    tests[i].name);
	dump_file("/proc/lockdep_stats", "# lockdep: ");
poweroff:
	out("pmdsafe: poweroff\n");
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
