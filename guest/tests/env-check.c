// SPDX-License-Identifier: GPL-2.0
/*
 * Checks that the guest is the machine the other tests assume: the fork's
 * kernel (release carries the expected suffix), two online NUMA nodes,
 * lockdep live, THP enabled. Usage: env-check RELEASE_SUFFIX
 */
#include <sys/utsname.h>
#include "../guest.h"

int main(int argc, char **argv)
{
	char buf[4096];
	struct utsname u;

	tap_plan(4);
	uname(&u);
	tap_diag("release %s", u.release);
	tap_result(argc > 1 && strstr(u.release, argv[1]) != NULL,
		   "kernel release %s carries '%s'", u.release,
		   argc > 1 ? argv[1] : "(none given)");

	buf[0] = 0;
	read_text("/sys/devices/system/node/online", buf, sizeof(buf));
	buf[strcspn(buf, "\n")] = 0;
	tap_result(!strcmp(buf, "0-1"), "NUMA nodes online: '%s' (want 0-1)", buf);

	buf[0] = 0;
	read_text("/proc/lockdep_stats", buf, sizeof(buf));
	tap_result(strstr(buf, "debug_locks:") &&
		   strtol(strstr(buf, "debug_locks:") + 12, NULL, 10) == 1,
		   "lockdep is on (debug_locks 1)");

	buf[0] = 0;
	read_text("/sys/kernel/mm/transparent_hugepage/enabled", buf, sizeof(buf));
	tap_result(strstr(buf, "[always]") || strstr(buf, "[madvise]"),
		   "THP enabled: %.*s", (int)strcspn(buf, "\n"), buf);
	return tap_exit();
}
