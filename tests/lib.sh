# Helpers for pmdsafe's tooling tests. Sourced by tests/t-*.sh.
# shellcheck shell=bash
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck disable=SC2034 # used by the t-*.sh that source this
S=$ROOT/scripts
T=$(mktemp -d "${TMPDIR:-/tmp}/pmdsafe-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
failures=0

ok() { echo "  ok: $*"; }
bad() {
	echo "  FAILED: $*"
	failures=$((failures + 1))
}

# run CMD...: runs it, keeping its output in $out and exit code in $rc.
run() {
	set +e
	out=$("$@" 2>&1)
	rc=$?
	set -e
}

expect_rc() {	# WANT DESCRIPTION
	if [ "$1" = nonzero ] && [ "$rc" != 0 ]; then
		ok "$2 (exit $rc)"
	elif [ "$1" = "$rc" ]; then
		ok "$2 (exit $rc)"
	else
		bad "$2: exit $rc, want $1"
		echo "$out" | tail -n 25 | sed 's/^/    | /'
	fi
}

expect_out() {	# ERE DESCRIPTION
	if grep -qE -- "$1" <<<"$out"; then
		ok "$2"
	else
		bad "$2: output lacks /$1/"
		echo "$out" | tail -n 25 | sed 's/^/    | /'
	fi
}

expect_no_out() {	# ERE DESCRIPTION
	if grep -qE -- "$1" <<<"$out"; then
		bad "$2: output has /$1/"
		grep -E -- "$1" <<<"$out" | head -n 5 | sed 's/^/    | /'
	else
		ok "$2"
	fi
}

expect_eq() {	# GOT WANT DESCRIPTION
	if [ "$1" = "$2" ]; then ok "$3"; else bad "$3: got '$1', want '$2'"; fi
}

finish() {
	[ "$failures" = 0 ]
}

# fake_base DIR NAME: a tiny tarball base (no apt package) and its conf.
fake_base() {
	local dir=$1 name=$2
	mkdir -p "$dir/src/linux-source-fake/mm"
	printf 'VERSION = 1\n' >"$dir/src/linux-source-fake/Makefile"
	printf 'int a;\nint b;\nint c;\n' >"$dir/src/linux-source-fake/mm/huge_memory.c"
	printf '/*\n' >"$dir/src/linux-source-fake/.gitignore"
	tar -cJf "$dir/fake.tar.xz" -C "$dir/src" linux-source-fake
	cat >"$dir/$name.conf" <<-CONF
	# a test base
	BASE_NAME=$name
	BASE_PACKAGE=
	BASE_VERSION=1.0-1
	BASE_TARBALL=$dir/fake.tar.xz
	BASE_SHA256=$(sha256sum "$dir/fake.tar.xz" | cut -d' ' -f1)
	CONF
}

# commit_in TREE FILE CONTENT SUBJECT: one commit as the project identity.
commit_in() {
	printf '%s\n' "$3" >"$1/$2"
	git -C "$1" add -f "$2"
	git -C "$1" -c user.name=pmdsafe -c user.email=pmdsafe@localhost \
		commit -q -s -m "$4" -m "Test commit body."
}

tree_sum() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum); }
