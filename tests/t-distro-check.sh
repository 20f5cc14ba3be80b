#!/bin/bash
# make distro-check: the series applies to every Debian base (cleanly on
# the primary one); a patch that no longer applies fails, named.
. "$(dirname "$0")/lib.sh"

export DISTRO_CHECK_OUT=$T/distro.tsv
run make -C "$ROOT" --no-print-directory distro-check
expect_rc 0 "make distro-check: every patch delivered or deliberately left out on both bases"
echo "$out" | grep -E '^  debian' | sed 's/^/    /'
n=$(grep -c '' "$ROOT/patches/series")
expect_eq "$(awk -F'\t' '$1 == "debian-6.12" && $3 == "clean"' "$T/distro.tsv" | wc -l)" "$n" \
	"debian-6.12: all $n patches of the series apply cleanly"
expect_eq "$(awk -F'\t' '$1 == "debian-6.1" && $3 != "base-only fix"' "$T/distro.tsv" | wc -l)" "$n" \
	"debian-6.1: a verdict for each of the $n patches of the main series"

mkdir -p "$T/p"
cp -r "$ROOT/patches/." "$T/p/"
# 0007 adds pmd-states to Documentation/mm/index.rst: give its context
# lines entries that index does not have.
sed -i 's/^    page_\(frags\|owner\|table_check\)$/    no_such_\1/' "$T/p/"0007-*.patch
run "$S/distro-check.sh" "$T/p" debian-6.12
expect_rc nonzero "a patch whose context is gone fails the check"
expect_out "0007-.*FAILS" "and it is named"
finish
