// SPDX-License-Identifier: GPL-2.0
/* Test-only guest program: reports a kselftest skip, like a test whose
 * precondition (second NUMA node, hugetlb pages...) is missing. */
#include "../guest.h"

int main(void)
{
	printf("1..0 # SKIP precondition missing (deliberate)\n");
	return KSFT_SKIP;
}
