#!/usr/bin/env python3
"""Turn the raw records of scripts/bench.sh into results.json and results.md.

Usage: bench-report.py RAW_TSV OUT_DIR

RAW_TSV lines (tab-separated), as bench.sh writes them:
  meta KEY VALUE                      run metadata
  cold STAGE SECONDS / cold_meta source TEXT
  warm VARIANT REP STEP WALL CPU      step times of one warm loop (+ total),
                                      CPU = user + sys of the step's processes;
                                      VARIANT default (as make) or focused
                                      (make PLAN=thp RACE_SECONDS=2)
  warm_guest VARIANT REP KEY SECONDS  boot_to_init, test:NAME, power_down
  warm_build VARIANT REP ccache TEXT
  warm_fail VARIANT REP TEXT          the guest tests of that loop failed
  cocci RULE SECONDS FINDINGS FILES / cocci_total SECONDS
  build SIDE SECONDS RELEASE          perf kernel builds (full mode)
  boot SIDE REP SECONDS RELEASE LOG ACCEL
  micro SIDE REP NAME VALUE UNIT      one figure of one boot
Every figure is "higher is better"; fork/base < REGRESSION is flagged.
"""
import json
import os
import statistics
import sys

SCHEMA = "pmdsafe-bench/1"
REGRESSION = 0.97
TARGETS = {"cold_seconds": 900, "warm_loop_seconds": 60}
DESCRIBE = {
    "thp_migrate": "THP migration throughput: a 256 MiB THP region moved between nodes 0 and 1 (move_pages)",
    "hugetlb_fault_1t": "2 MiB hugetlb faults, 1 thread",
    "hugetlb_fault_2t": "2 MiB hugetlb faults, 2 threads (one per vCPU)",
    "thp_fault": "anonymous THP faults (MADV_HUGEPAGE)",
    "fsdax_fault_pte": "fsdax mmap read faults, 4 KiB (ext4 -o dax on pmem, MADV_NOHUGEPAGE)",
    "fsdax_fault_pmd": "fsdax mmap read faults, 2 MiB (ext4 -o dax on pmem)",
}


def stats(values):
    return {
        "median": round(statistics.median(values), 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
        "n": len(values),
        "values": [round(v, 3) for v in values],
    }


def main(raw_path, out_dir):
    meta, cold, cold_meta = {}, [], {}
    warm, warm_cpu, warm_guest, warm_build, warm_fail = {}, {}, {}, {}, {}
    cocci, cocci_total = [], None
    builds, boots, micro = {}, [], {}
    with open(raw_path, newline="\n") as f:
        for line in f:
            r = line.rstrip("\n").replace("\r", "").split("\t")
            kind = r[0]
            if kind == "meta":
                meta[r[1]] = r[2] if len(r) > 2 else ""
            elif kind == "cold":
                cold.append({"stage": r[1], "seconds": float(r[2])})
                if len(r) > 3 and r[3]:
                    cold[-1]["cpu_seconds"] = float(r[3])
            elif kind == "cold_meta":
                cold_meta[r[1]] = r[2]
            elif kind == "warm":
                warm.setdefault(r[1], {}).setdefault(int(r[2]), {})[r[3]] = float(r[4])
                warm_cpu.setdefault(r[1], {}).setdefault(int(r[2]), {})[r[3]] = float(r[5])
            elif kind == "warm_guest":
                warm_guest.setdefault(r[1], {}).setdefault(int(r[2]), {})[r[3]] = float(r[4])
            elif kind == "warm_build":
                warm_build.setdefault(r[1], {}).setdefault(int(r[2]), {})[r[3]] = r[4] if len(r) > 4 else ""
            elif kind == "warm_fail":
                warm_fail.setdefault(r[1], {})[int(r[2])] = r[3]
            elif kind == "cocci":
                cocci.append({"rule": r[1], "seconds": float(r[2]), "findings": int(r[3]),
                              "files_scanned": int(r[4])})
            elif kind == "cocci_total":
                cocci_total = float(r[1])
            elif kind == "build":
                builds[r[1]] = {"seconds": float(r[2]), "release": r[3]}
            elif kind == "boot":
                boots.append({"side": r[1], "rep": int(r[2]), "seconds": float(r[3]),
                              "release": r[4], "log": r[5], "accel": r[6]})
            elif kind == "micro":
                m = micro.setdefault(r[3], {"unit": r[5], "base": [], "fork": []})
                m[r[1]].append(float(r[4]))
            else:
                sys.exit(f"bench-report: unknown record '{kind}' in {raw_path}")

    smoke = meta.get("mode") == "smoke"
    reps = int(meta.get("reps", "0"))

    # --- microbenchmarks
    benchmarks, problems = [], []
    for name, m in micro.items():
        for side in ("base", "fork"):
            if len(m[side]) != reps:
                problems.append(f"{name}: {len(m[side])} {side} figures, want {reps}")
        if not m["base"] or not m["fork"]:
            continue
        b, k = stats(m["base"]), stats(m["fork"])
        ratio = k["median"] / b["median"] if b["median"] > 0 else 0.0
        benchmarks.append({
            "name": name, "description": DESCRIBE.get(name, ""), "unit": m["unit"],
            "base": b, "fork": k, "ratio": round(ratio, 3),
            # A smoke run (1 boot, tiny sizes) judges nothing.
            "regression": None if smoke else ratio < REGRESSION,
            # The two sides' min-max ranges overlap: the difference is within
            # the boot-to-boot spread.
            "ranges_overlap": k["min"] <= b["max"] and b["min"] <= k["max"],
        })
    accels = sorted({b["accel"] for b in boots})

    # --- warm loop
    def warm_loop(variant):
        runs, guest, build = warm.get(variant, {}), warm_guest.get(variant, {}), warm_build.get(variant, {})
        out = {"measured": bool(runs)}
        if not runs:
            out["reason"] = "smoke mode" if smoke else "not run"
            return out
        totals = [w["total"] for w in runs.values()]
        stage_names = [s for s in next(iter(runs.values())) if s != "total"]
        out.update({
            "reps": len(runs),
            "edit": "One line of code appended to mm/huge_memory.c (an unused constant, "
                    "unique per run) in a scratch worktree of the fork",
            "plan": meta.get("warm_plan", "") if variant == "default" else meta.get("warm_focus_plan", ""),
            "race_seconds": None if variant == "default" else float(meta.get("warm_quick_race", "2")),
            "failed_loops": {str(i): t for i, t in sorted(warm_fail.get(variant, {}).items())},
            "total": stats(totals),
            "stages": {s: stats([w[s] for w in runs.values() if s in w]) for s in stage_names},
            "cpu_seconds": {s: stats([w[s] for w in warm_cpu[variant].values() if s in w])
                            for s in stage_names + ["total"]},
            "guest": {k: stats([g[k] for g in guest.values() if k in g])
                      for k in next(iter(guest.values()), {})},
            "ccache": [build.get(i, {}).get("ccache", "") for i in sorted(runs)],
            "meets_target": statistics.median(totals) <= TARGETS["warm_loop_seconds"],
        })
        return out

    cold_total = next((c["seconds"] for c in cold if c["stage"] == "total"), None)
    if cold and cold_total is None:
        cold_total = round(sum(c["seconds"] for c in cold), 1)
    results = {
        "schema": SCHEMA,
        "mode": meta.get("mode", ""),
        "date": meta.get("date", ""),
        "machine": {k: meta.get(k, "") for k in ("host", "cpu", "cores", "mem_gib", "host_kernel", "qemu")},
        "loadavg": {"start": meta.get("loadavg_start", ""), "end": meta.get("loadavg_end", "")},
        "project_commit": meta.get("project_commit", ""),
        "build_jobs": int(meta.get("build_jobs", "0") or 0),
        "base": {"name": meta.get("base_name", ""), "version": meta.get("base_version", ""),
                 "tag": meta.get("base_tag", ""), "commit": meta.get("base_commit", "")},
        "fork": {"commit": meta.get("fork_commit", ""), "subject": meta.get("fork_subject", ""),
                 "patches": int(meta.get("fork_patches", "0") or 0)},
        "targets": TARGETS,
        "pipeline": {
            "cold": {"source": cold_meta.get("source", ""), "stages": cold,
                     "total_seconds": cold_total,
                     "meets_target": None if cold_total is None else cold_total <= TARGETS["cold_seconds"]},
            "warm_loop": warm_loop("default"),
            "warm_loop_focused": warm_loop("focused"),
        },
        "coccicheck": {"tree": "fork", "dirs": meta.get("cocci_dirs", "").split(),
                       "jobs": int(meta.get("cocci_jobs", "0") or 0), "spatch": meta.get("spatch", ""),
                       "rules": cocci, "total_seconds": cocci_total},
        "micro": {
            "config": meta.get("config", ""),
            "plan": meta.get("plan", ""),
            "reps": reps,
            "order": meta.get("order", ""),
            "accelerator": accels,
            "qemu": "scripts/boot.sh: 2 vCPUs, 2 NUMA nodes (1 GiB each), one per socket",
            "kernel_parameters": meta.get("plan_append", ""),
            "kernel_builds": builds,
            "boots": boots,
            "regression_threshold": REGRESSION,
            "benchmarks": benchmarks,
        },
        "problems": problems,
        "total_seconds": float(meta.get("total_seconds", "0") or 0),
    }
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
        f.write("\n")
    with open(os.path.join(out_dir, "results.md"), "w") as f:
        f.write(markdown(results))
    if problems:
        sys.exit("bench-report: " + "; ".join(problems))


def mmm(s, fmt="{:.1f}"):
    return f"{fmt.format(s['median'])} ({fmt.format(s['min'])} - {fmt.format(s['max'])})"


def markdown(r):
    m, p = r["micro"], r["pipeline"]
    out = []
    w = out.append
    w("# pmdsafe benchmarks" + (" (SMOKE: proves the bench runs, measures nothing)" if r["mode"] == "smoke" else ""))
    w("")
    w(f"Written by `make bench` (`scripts/bench.sh`); the same data: `results.json` ({r['schema']}).")
    w("")
    w("| | |")
    w("| --- | --- |")
    w(f"| date | {r['date']} |")
    mc = r["machine"]
    w(f"| machine | {mc['cpu']}, {mc['cores']} cores, {mc['mem_gib']} GiB, host kernel {mc['host_kernel']}, {mc['qemu']} |")
    w(f"| base | {r['base']['name']} {r['base']['version']} (tag `{r['base']['tag']}`, {r['base']['commit'][:12]}) |")
    w(f"| fork | {r['fork']['commit'][:12]} ({r['fork']['patches']} patches; HEAD: {r['fork']['subject']}) |")
    w(f"| project | {r['project_commit']} |")
    if r.get("build_jobs"):
        w(f"| kernel builds | make -j{r['build_jobs']} with ccache |")
    w(f"| bench wall time | {r['total_seconds']:.0f} s (load average {r['loadavg']['start']} at the start, "
      f"{r['loadavg']['end']} at the end: other work on the machine slows every figure) |")
    w("")

    w("## 1. Pipeline")
    w("")
    c = p["cold"]
    w(f"### Cold `make` (target <= {r['targets']['cold_seconds']} s)")
    w("")
    w(f"Source: {c['source']}.")
    w("")
    if c["stages"]:
        cpu = any("cpu_seconds" in s for s in c["stages"])
        w("| stage | seconds |" + (" CPU seconds |" if cpu else ""))
        w("| --- | ---: |" + (" ---: |" if cpu else ""))
        for s in c["stages"]:
            w(f"| {s['stage']} | {s['seconds']:.1f} |" + (f" {s.get('cpu_seconds', 0):.1f} |" if cpu else ""))
        if not any(s["stage"] == "total" for s in c["stages"]):
            w(f"| total (sum) | {c['total_seconds']:.1f} |")
        w("")
    w(f"### Warm edit loop (target <= {r['targets']['warm_loop_seconds']} s)")
    w("")
    wl, wq = p["warm_loop"], p.get("warm_loop_focused", {"measured": False})
    if wl["measured"]:
        both = wq.get("measured")
        w(f"{wl['edit']}, then build, initramfs, boot and the guest tests of plan `{wl['plan']}`: "
          f"as `make` runs it" + (f"; and focused on the changed file (`make PLAN={wq['plan']} "
                                  f"RACE_SECONDS={wq['race_seconds']:g}`: the tests of plan `{wq['plan']}`, "
                                  f"those that go through mm/huge_memory.c, with {wq['race_seconds']:g} s race phases)"
                                  if both else "")
          + f"; {wl['reps']} loops each, interleaved; median (min - max) in seconds.")
        w("")
        w("Wall time, and in brackets the CPU time (user + sys) of the step's processes: the machine's other "
          "work stretches the wall time of a step whose CPU time stays put.")
        w("")
        w("| step | `make` | " + ("focused |" if both else ""))
        w("| --- | ---: | " + ("---: |" if both else ""))
        steps = {"build": "build (config, kbuild, compile, link, compress)", "initramfs": "initramfs",
                 "boot": "boot (QEMU: kernel boot, guest tests, power-off)", "verdict": "verdict (judging the log)"}

        def cell(x, s):
            if s not in x["stages"] and s != "total":
                return ""
            st = x["total"] if s == "total" else x["stages"][s]
            return f"{mmm(st)} [CPU {x['cpu_seconds'][s]['median']:.1f}] |"
        for s in list(wl["stages"]) + ["total"]:
            name = "**total**" if s == "total" else steps.get(s, s)
            w(f"| {name} | {cell(wl, s)} " + (cell(wq, s) if both else ""))
        w("")
        if wl["guest"]:
            w("Inside the boot step (guest clock, seconds since the kernel started; test: its run time):")
            w("")
            w("| guest | `make` | " + ("focused |" if both else ""))
            w("| --- | ---: | " + ("---: |" if both else ""))
            for k in wl["guest"]:
                w(f"| {k} | {mmm(wl['guest'][k])} | " +
                  ((f"{mmm(wq['guest'][k])} |" if k in wq.get("guest", {}) else "- |") if both else ""))
            w("")
        for name, x in (("`make`", wl), ("focused", wq)):
            for i, t in x.get("failed_loops", {}).items():
                w(f"- {name} loop {i}: guest tests FAILED: {t}")
        if wl.get("failed_loops") or wq.get("failed_loops"):
            w("")
        w(f"ccache in the build step: {'; '.join(x for x in wl['ccache'] + (wq['ccache'] if both else []) if x)}")
        w("")
        target = r["targets"]["warm_loop_seconds"]
        w(f"Against the {target} s target: " + "; ".join(
            f"{name} {x['total']['median']:.1f} s ({'met' if x['meets_target'] else 'NOT met'})"
            for name, x in (("`make`", wl), ("focused", wq)) if x.get("measured")) + ".")
        w("")
    else:
        w(f"Not measured ({wl['reason']}).")
        w("")

    co = r["coccicheck"]
    w("## 2. coccicheck")
    w("")
    w(f"The fork's `scripts/coccinelle/mm/` rules through `scripts/coccicheck.sh` on the fork tree, "
      f"J={co['jobs']}, {co['spatch']}, over: {' '.join(co['dirs'])}.")
    w("")
    w("| rule | seconds | findings | files scanned |")
    w("| --- | ---: | ---: | ---: |")
    for x in co["rules"]:
        w(f"| {x['rule']} | {x['seconds']:.1f} | {x['findings']} | {x['files_scanned']} |")
    w(f"| **all rules (wall)** | **{co['total_seconds']:.1f}** | | |")
    w("")

    w("## 3. mm microbenchmarks")
    w("")
    w(f"Kernel config: {m['config']}" + (" (no lockdep, no DEBUG_VM, no PAGE_TABLE_CHECK: `configs/perf/perf.config` "
                                         "turns them off and compiles with -O2)." if m["config"].startswith("perf") else "."))
    w(f"`guest/bench/mmbench.c`, plan `{m['plan']}`; {m['qemu']}, accelerator {', '.join(m['accelerator'])}; "
      f"kernel parameters `{m['kernel_parameters']}`; "
      f"{m['reps']} boots per side, in the order {m['order']} (b = base, f = fork); "
      f"each boot's figure is the best of its ~8 rounds of work (the host's other work only slows a round); "
      f"median (min - max) over the boots; fork/base below {m['regression_threshold']} is flagged, "
      f"\"ranges overlap\" when the two sides' min-max ranges overlap (within the boot-to-boot spread).")
    w("")
    if m["kernel_builds"]:
        w("Kernels: " + ", ".join(f"{s} `{b['release']}` (built in {b['seconds']:.0f} s)"
                                    for s, b in m["kernel_builds"].items()) + ".")
        w("")
    w("| benchmark | unit | base | fork | fork/base | |")
    w("| --- | --- | ---: | ---: | ---: | --- |")
    for b in m["benchmarks"]:
        flag = "**REGRESSION**" if b["regression"] else ("not judged (smoke)" if b["regression"] is None else "")
        if b["regression"] and b["ranges_overlap"]:
            flag += " (ranges overlap)"
        w(f"| {b['name']} | {b['unit']} | {mmm(b['base'])} | {mmm(b['fork'])} | {b['ratio']:.3f} | {flag} |")
    w("")
    if "icount" in m["accelerator"]:
        w("Accelerator icount: the guest's clock advanced 1 ns per guest instruction, so each "
          "rate is 10^9 / instructions per operation (the same on every boot; an atomic or a cache "
          "miss counts as one instruction). Instructions per operation (median):")
        w("")
        for b in m["benchmarks"]:
            if b["unit"].endswith("/s") and b["base"]["median"] > 0 and b["fork"]["median"] > 0:
                ib, ik = 1e9 / b["base"]["median"], 1e9 / b["fork"]["median"]
                w(f"- `{b['name']}`: base {ib:.1f}, fork {ik:.1f} ({ik - ib:+.1f}, {100 * (ik / ib - 1):+.1f}%)"
                  + (" per MiB" if b["unit"] == "MiB/s" else ""))
        w("")
    for b in m["benchmarks"]:
        if b["description"]:
            w(f"- `{b['name']}`: {b['description']}")
    w("")
    if r["problems"]:
        w("Problems: " + "; ".join(r["problems"]))
        w("")
    return "\n".join(out)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
