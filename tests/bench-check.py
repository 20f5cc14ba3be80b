#!/usr/bin/env python3
"""Check that a results.json of `make bench` is well formed.

Usage: bench-check.py RESULTS_JSON MODE [RULES...]
Prints "ok: ..." / "FAILED: ..." lines (tests/lib.sh style); exits 1 on
any failure. RULES: the Coccinelle rule names the run must report.
"""
import json
import os
import re
import sys

BENCHMARKS = ["thp_migrate", "hugetlb_fault_1t", "hugetlb_fault_2t", "thp_fault",
              "fsdax_fault_pte", "fsdax_fault_pmd"]
failures = 0


def check(cond, what):
    global failures
    print(("  ok: " if cond else "  FAILED: ") + what)
    failures += not cond


def pos(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool) and x > 0


def main(path, mode, rules):
    try:
        r = json.load(open(path))
    except (OSError, ValueError) as e:
        check(False, f"{path} parses as JSON ({e})")
        return
    check(r.get("schema") == "pmdsafe-bench/1", "schema pmdsafe-bench/1")
    check(r.get("mode") == mode, f"mode is {mode} (got {r.get('mode')})")
    check(bool(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", r.get("date", ""))), "date is ISO 8601 UTC")
    mc = r.get("machine", {})
    check(all(mc.get(k) for k in ("cpu", "cores", "mem_gib", "qemu")), "machine: cpu, cores, memory, QEMU named")
    hexsha = re.compile(r"[0-9a-f]{40}")
    check(bool(hexsha.fullmatch(r.get("base", {}).get("commit", ""))) and bool(r["base"].get("tag")),
          "base: tag and commit")
    check(bool(hexsha.fullmatch(r.get("fork", {}).get("commit", ""))), "fork: commit")
    check(not r.get("problems"), f"no problems reported ({r.get('problems')})")

    m = r.get("micro", {})
    reps = m.get("reps")
    check(isinstance(reps, int) and reps >= (1 if mode == "smoke" else 5),
          f"micro: {reps} repetitions per side ({'>= 1' if mode == 'smoke' else '>= 5'})")
    check(bool(m.get("config")), f"micro: kernel config named ({m.get('config')})")
    check(len(m.get("boots", [])) == 2 * (reps or 0) and all(b["accel"] == m["boots"][0]["accel"] for b in m["boots"]),
          "micro: one boot per side and repetition, all on the same accelerator")
    by = {b["name"]: b for b in m.get("benchmarks", [])}
    check(sorted(by) == sorted(BENCHMARKS), f"micro: figures {', '.join(BENCHMARKS)} (got {', '.join(sorted(by))})")
    for name, b in sorted(by.items()):
        good = bool(b.get("unit"))
        for side in ("base", "fork"):
            s = b.get(side, {})
            good = good and all(pos(s.get(k)) for k in ("median", "min", "max")) and \
                s["min"] <= s["median"] <= s["max"] and s.get("n") == reps and \
                len(s.get("values", [])) == reps and all(pos(v) for v in s["values"])
        good = good and pos(b.get("ratio")) and abs(b["ratio"] - b["fork"]["median"] / b["base"]["median"]) < 0.01
        good = good and (b.get("regression") is None if mode == "smoke" else
                         b.get("regression") == (b["ratio"] < m.get("regression_threshold", 0.97)))
        check(good, f"micro: {name}: base and fork median/min/max > 0, fork/base ratio {b.get('ratio')}, "
                    f"regression flag {b.get('regression')}")

    c = r.get("coccicheck", {})
    got = [x.get("rule") for x in c.get("rules", [])]
    check(sorted(got) == sorted(rules) if rules else bool(got), f"coccicheck: rules {', '.join(got)}")
    check(all(pos(x.get("seconds")) and pos(x.get("files_scanned")) for x in c.get("rules", [])),
          "coccicheck: each rule took > 0 s and scanned files")
    check(pos(c.get("total_seconds")) and bool(c.get("dirs")), "coccicheck: total time and directories")

    p = r.get("pipeline", {})
    cold = p.get("cold", {})
    check(bool(cold.get("source")) and all(x.get("seconds", -1) >= 0 for x in cold.get("stages", [])),
          f"pipeline: cold source named ({cold.get('source')})")
    w = p.get("warm_loop", {})
    if mode == "smoke":
        check(w.get("measured") is False and bool(w.get("reason")), "pipeline: warm loop marked not measured")
    else:
        check(w.get("measured") is True and pos(w.get("total", {}).get("median")) and
              all(pos(s.get("median")) for s in w.get("stages", {}).values()),
              "pipeline: warm loop measured, every step > 0 s")
        check(pos(cold.get("total_seconds")), "pipeline: a cold total")
    md = os.path.join(os.path.dirname(path), "results.md")
    text = open(md).read() if os.path.exists(md) else ""
    check(text.startswith("# pmdsafe benchmarks") and all(f"| {n} |" in text for n in BENCHMARKS) and
          (("SMOKE" in text.splitlines()[0]) == (mode == "smoke")),
          "results.md next to it, with a row per figure" + (", marked SMOKE" if mode == "smoke" else ""))


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
    sys.exit(1 if failures else 0)
