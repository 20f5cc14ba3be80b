#!/bin/bash
# The mm Coccinelle rules on real trees: the base's findings are exactly
# the ones triage/BASE.md explains, and the fork has none but the triaged
# false alarms (true bugs are fixed by the series).
. "$(dirname "$0")/lib.sh"

B=${BASE:-debian-6.12}
W=$ROOT/work/$B
[ -d "$W/linux/.git" ] || { bad "no fork tree in $W (run make fork first)"; finish; exit 1; }
report_lines() { sed -n 's/^  \([^ ]*:[0-9]*\):[0-9-]*: .*/\1/p' <<<"$out" | sort -u; }

# The generated rule is edited through its generator only.
if python3 "$ROOT/tools/cocci-gen/gen_pmd_present_accessor.py" |
	cmp -s - "$W/linux/scripts/coccinelle/mm/pmd_present_accessor.cocci"; then
	ok "tools/cocci-gen reproduces the fork's pmd_present_accessor.cocci"
else
	bad "tools/cocci-gen output differs from the fork's pmd_present_accessor.cocci (regenerate and amend 0008)"
fi

run "$S/coccicheck.sh" "$W/linux" "$T/fork"
expect_rc 0 "make coccicheck on the fork runs and scans files"
echo "$out" | grep -E 'findings,' | sed 's/^/    /'
false_alarms=$(sed -n 's/^| *[0-9][0-9]* *| *\([^ |]*:[0-9]*\) *|.*| *false-alarm *|$/\1/p' "$ROOT/triage/$B.md" | sort -u)
expect_eq "$(report_lines | paste -sd' ')" "$(paste -sd' ' <<<"$false_alarms")" \
	"the fork's findings are exactly the triaged false alarms"

"$S/base-worktree.sh" "$W" >/dev/null
cp -r "$W/linux/scripts/coccinelle/mm/." "$W/base-tree/scripts/coccinelle/mm/"
run "$S/coccicheck.sh" "$W/base-tree" "$T/base"
expect_rc 0 "coccicheck on the base runs"
triaged=$(sed -n 's/^| *[0-9][0-9]* *| *\([^ |]*:[0-9]*\) *|.*/\1/p' "$ROOT/triage/$B.md" | sort -u)
expect_eq "$(report_lines | paste -sd' ')" "$(paste -sd' ' <<<"$triaged")" \
	"base findings == the findings triaged in triage/$B.md"
finish
