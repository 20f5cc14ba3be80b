// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only guest program for the tooling's own checks: asks LKDTM for a
 * deliberate WARNING, BUG or PANIC so that `make check` can prove the
 * verdict fails such runs. Usage: provoke LKDTM_TYPE ; provoke HANG
 */
#include <fcntl.h>
#include "../guest.h"

int main(int argc, char **argv)
{
	const char *ctl = "/sys/kernel/debug/provoke-crash/DIRECT";
	int fd;

	if (argc != 2)
		return KSFT_FAIL;
	if (!strcmp(argv[1], "HANG")) {
		printf("# sleeping forever\n");
		fflush(stdout);
		for (;;)
			pause();
	}
	fd = open(ctl, O_WRONLY);
	if (fd < 0) {
		printf("# %s: %s\n", ctl, strerror(errno));
		return KSFT_FAIL;
	}
	printf("# provoking %s\n", argv[1]);
	fflush(stdout);
	if (write(fd, argv[1], strlen(argv[1])) < 0)
		printf("# write: %s\n", strerror(errno));
	/* A WARNING returns here; the test itself passes, the log must not. */
	return KSFT_PASS;
}
