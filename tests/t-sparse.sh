#!/bin/bash
# The sparse ratchet: its comparison on crafted logs (moved code is not
# new, a new or one more copy of a warning is), then the real run on the
# base and the fork.
. "$(dirname "$0")/lib.sh"

cat >"$T/base.log" <<'LOG'
/k/mm/a.c:10:5: warning: context imbalance in 'f' - unexpected unlock
/k/mm/b.c:20:9: error: incompatible types in conditional expression (different base types):
/k/mm/b.c:20:9:    void
/k/mm/b.c:20:9:    int
/k/mm/c.c: note: in included file:
/k/include/linux/x.h:7:1: warning: dereference of noderef expression
LOG
# The same diagnostics, all moved by some lines: nothing new.
sed -E 's/:([0-9]+):([0-9]+):/:1\1:\2:/' "$T/base.log" >"$T/moved.log"
run "$S/sparse.sh" --compare "$T/base.log" "$T/moved.log"
expect_rc 0 "warnings that only moved are not new"
expect_out "base 3, fork 3, new in the fork 0" "counts base vs fork are reported"

{ cat "$T/base.log"; echo "/k/mm/a.c:90:5: warning: context imbalance in 'f' - unexpected unlock"; } >"$T/more.log"
run "$S/sparse.sh" --compare "$T/base.log" "$T/more.log"
expect_rc nonzero "one more copy of a base warning is new"
expect_out "warning: context imbalance in 'f'" "and it is named"

# The same imbalance located in an inlined header helper: the function's
# warning, not a new one.
sed 's#^/k/mm/a.c:10:5: warning: context#/k/include/linux/mm.h:1095:28: warning: context#' \
	"$T/base.log" >"$T/header.log"
run "$S/sparse.sh" --compare "$T/base.log" "$T/header.log"
expect_rc 0 "a context imbalance that sparse locates in a header instead is not new"

sed 's/    int$/    long/' "$T/base.log" >"$T/type.log"
run "$S/sparse.sh" --compare "$T/base.log" "$T/type.log"
expect_rc nonzero "a changed type in a continuation line is a new warning"

B=${BASE:-debian-6.12}
W=$ROOT/work/$B
if [ -f "$W/obj/.config" ]; then
	run "$S/sparse.sh" "$W"
	expect_rc 0 "make sparse: the fork adds no sparse warning"
	expect_out "sparse warnings: base [1-9][0-9]*, fork [1-9][0-9]*, new in the fork 0" "sparse ran on both trees"
	echo "$out" | grep -E 'sparse (on|warnings)|done in' | sed 's/^/    /'
else
	bad "no kernel build in $W (run make build first)"
fi
finish
