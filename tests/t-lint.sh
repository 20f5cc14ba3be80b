#!/bin/bash
# The tooling's own code: shellcheck-clean scripts, warning-free guest C.
. "$(dirname "$0")/lib.sh"

run shellcheck -x -P SCRIPTDIR -S warning "$ROOT"/scripts/*.sh "$ROOT"/tests/*.sh "$ROOT/.ci/run"
expect_rc 0 "shellcheck: no warnings in scripts/, tests/, .ci/run"
for src in "$ROOT"/guest/init.c "$ROOT"/guest/tests/*.c "$ROOT"/guest/bench/*.c; do
	run gcc -static -O2 -Wall -Wextra -Werror -pthread -o "$T/a.out" "$src"
	expect_rc 0 "gcc -Wall -Wextra -Werror: ${src#"$ROOT"/}"
done
finish
