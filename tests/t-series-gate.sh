#!/bin/bash
# make series-gate on the real series: every commit alone builds, is
# checkpatch clean and has no Coccinelle report; the results file is
# well-formed JSON with one entry per patch.
. "$(dirname "$0")/lib.sh"

B=${BASE:-debian-6.12}
W=$ROOT/work/$B
[ -d "$W/linux/.git" ] || { bad "no fork tree in $W (run make fork first)"; finish; exit 1; }
rm -f "$W/series-gate.json"
run make -C "$ROOT" --no-print-directory series-gate BASE="$B"
expect_rc 0 "make series-gate: every commit of the series passes on its own"
echo "$out" | grep -E '^pmdsafe: \[|^    build|done in' | sed 's/^/    /'
run /usr/bin/python3 - "$W/series-gate.json" "$ROOT/patches" "$B" <<'PY'
import json, os, sys
r = json.load(open(sys.argv[1]))
series = sys.argv[2] + "/series"
if os.path.exists("%s/%s/series" % (sys.argv[2], sys.argv[3])):
    series = "%s/%s/series" % (sys.argv[2], sys.argv[3])
names = [l.split("#")[0].strip() for l in open(series)]
names = [n for n in names if n]
got = [c["patch"] for c in r["commits"]]
assert got == names, (got, names)
for c in r["commits"]:
    assert c["verdict"] in ("ok", "fail") and len(c["commit"]) == 40, c
    assert c["build"] in ("ok", "fail") and c["checkpatch"] in ("ok", "fail"), c
assert r["passed"] + r["failed"] == len(names)
print("%d commits, %d passed" % (len(names), r["passed"]))
PY
expect_rc 0 "series-gate.json lists every patch of the series in order, with a verdict each"
finish
