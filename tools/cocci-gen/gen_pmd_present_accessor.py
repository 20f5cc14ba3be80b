# SPDX-License-Identifier: GPL-2.0-only
# Generates scripts/coccinelle/mm/pmd_present_accessor.cocci of the fork tree
# (the rule repeats one pattern per
# source kind and mode; edit the generator, not the output):
#   python3 tools/cocci-gen/gen_pmd_present_accessor.py \
#       > work/debian-6.12/linux/scripts/coccinelle/mm/pmd_present_accessor.cocci
import sys
import os
hdr = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'pmd_present_accessor.header')).read()
out = [hdr, "virtual patch\nvirtual report\nvirtual org\nvirtual context\n\n"]
out.append('''@initialize:python@
@@
seen = set()

import re
_ifdef_re = re.compile(r"^\s*#\s*if(def\s+CONFIG_ARCH_ENABLE_THP_MIGRATION|\s+.*IS_ENABLED\(CONFIG_ARCH_ENABLE_THP_MIGRATION\))")
_ptest_re = re.compile(r"\\b(pmd_present|is_swap_pmd|is_pmd_migration_entry)\s*\(")

def thp_migration_ifdef_guard(fname, line):
    # Contract B6: a presence test inside "#ifdef CONFIG_ARCH_ENABLE_THP_MIGRATION"
    # earlier in the same function dominates the use: without that option
    # no PMD swap/migration entry can exist.  The Coccinelle CFG has a path
    # that skips the ifdef block, so the guard is checked textually here.
    try:
        lines = open(fname).read().splitlines()
    except OSError:
        return False
    i = int(line) - 1
    start = i
    while start > 0 and lines[start] != "{":
        start -= 1
    depth = 0
    guarded = False
    for l in lines[start:i]:
        if _ifdef_re.match(l):
            depth = 1
            continue
        if depth and re.match(r"^\s*#\s*if", l):
            depth += 1
            continue
        if depth and re.match(r"^\s*#\s*endif", l):
            depth -= 1
            continue
        if depth and _ptest_re.search(l):
            guarded = True
    return guarded

def emit(p, msg, mode):
    key = (p[0].file, p[0].line, p[0].column)
    if (key, mode) in seen:
        return
    if thp_migration_ifdef_guard(p[0].file, p[0].line):
        return
    seen.add((key, mode))
    if mode == "report":
        coccilib.report.print_report(p[0], msg)
    else:
        coccilib.org.print_todo(p[0], msg)

''')
PT = "identifier ptest = {pmd_present, is_swap_pmd, is_pmd_migration_entry,\n                    pmd_trans_huge, pmd_leaf, can_gather_numa_stats_pmd};"
ACC = "identifier acc = {pmd_page, pmd_pfn, pmd_folio, pmd_write, pmd_young,\n                  pmd_dirty, pmd_soft_dirty, pmd_uffd_wp, pmd_special,\n                  pmd_devmap};"
ACC3 = "identifier acc3 = {vm_normal_page_pmd, vm_normal_folio_pmd};"
ACCP = "identifier accp = {pmdp_invalidate, pmdp_invalidate_ad};"
GETP = "identifier getp = {pmdp_get, pmdp_get_lockless};"
CLR = "identifier clr = {pmdp_huge_get_and_clear, pmdp_huge_get_and_clear_full,\n                  pmdp_huge_clear_flush};"
FNLIST = "{smaps_pmd_entry, clear_soft_dirty_pmd, make_uffd_wp_pmd,\n                 pagemap_thp_category, can_gather_numa_stats_pmd,\n                 queue_folios_pmd, check_hwpoisoned_pmd_entry,\n                 get_mctgt_type_thp}"
DEP = "depends on report || org || context"
import re as _re
def prune(decls, body):
    """Drop metavariable declarations that the rule body does not use."""
    out = []
    for st in [d.strip() for d in decls.strip().split(";") if d.strip()]:
        if "=" in st or "!=" in st or "!~" in st:
            name = _re.split(r"\s*(?:!=|=|!~)", st)[0].split()[-1]
            if "." in name or _re.search(r"\b%s\b" % _re.escape(name), body):
                out.append(st + ";")
            continue
        words = st.split(None, 1)
        kind = words[0]
        rest = words[1]
        if kind in ("local", "position") or rest.startswith("idexpression"):
            parts = st.rsplit(None, 1)
            kw, names = parts[0], parts[1]
        else:
            kw, names = kind, rest
        keep = [n.strip() for n in names.split(",") if n.strip() and ("." in n or _re.search(r"\b%s\b" % _re.escape(n.strip()), body))]
        if keep:
            out.append("%s %s;" % (kw, ", ".join(keep)))
    return "\n".join(out)

rules = []  # (name, msg)

def rule(name, comment, decls, body, msg, exists=True, extra_meta=()):
    if comment:
        out.append("//" + "-"*70 + "\n" + "".join("// %s\n" % l for l in comment.split("\n")) + "//" + "-"*70 + "\n")
    out.append("@%s %s%s@\n" % (name, DEP, " exists" if exists else ""))
    out.append("typedef pmd_t;\n" + prune(decls, body) + "\nposition pos != guard.gp;\n@@\n")
    out.append(body.strip("\n") + "\n\n")
    rules.append((name, msg, extra_meta))

out.append('''//----------------------------------------------------------------------
// B1: uses guarded by a short-circuit test inside the same expression,
// e.g. "pmd_present(orig_pmd) && pmd_dirty(orig_pmd)" (zap_huge_pmd).
//----------------------------------------------------------------------
@guard@
expression E, E1, E2;
identifier ptest = {pmd_present, is_pmd_migration_entry, pmd_trans_huge,
                    pmd_leaf, pud_present, pud_trans_huge, pud_leaf};
identifier acc = {pmd_page, pmd_pfn, pmd_folio, pmd_write, pmd_young,
                  pmd_dirty, pmd_soft_dirty, pmd_uffd_wp, pmd_special,
                  pmd_devmap, pud_devmap, pud_page, pud_pfn, pud_folio, pud_write, pud_young,
                  pud_dirty, pud_soft_dirty, pud_special};
identifier acc3 = {vm_normal_page_pmd, vm_normal_folio_pmd,
                   vm_normal_page_pud};
position gp;
@@
(
 ptest(E) && <+... \\(acc(E)@gp\\|acc3(E1, E2, E)@gp\\) ...+>
|
 !ptest(E) || <+... \\(acc(E)@gp\\|acc3(E1, E2, E)@gp\\) ...+>
|
 !is_swap_pmd(E) && <+... \\(acc(E)@gp\\|acc3(E1, E2, E)@gp\\) ...+>
|
 \\(is_swap_pmd(E)\\|is_pmd_migration_entry(E)\\) || <+... \\(acc(E)@gp\\|acc3(E1, E2, E)@gp\\) ...+>
|
 \\(is_swap_pmd(E)\\|is_pmd_migration_entry(E)\\) || E1 || <+... \\(acc(E)@gp\\|acc3(E1, E2, E)@gp\\) ...+>
|
 ptest(E) ? <+... \\(acc(E)@gp\\|acc3(E1, E2, E)@gp\\) ...+> : E1
)

''')

out.append('''//----------------------------------------------------------------------
// pmd_none() tests combined with a presence test in the same condition
// ("pmd_none(x) || is_pmd_migration_entry(x)") are not A2 sources.
//----------------------------------------------------------------------
@nonesrc@
expression E, E1;
identifier ptest = {pmd_present, is_swap_pmd, is_pmd_migration_entry,
                    pmd_trans_huge, pmd_leaf};
position pn;
@@
(
 pmd_none(E)@pn || <+... ptest(E, ...) ...+>
|
 !pmd_none(E)@pn && <+... ptest(E, ...) ...+>
|
 E1 || pmd_none(E)@pn || <+... ptest(E, ...) ...+>
|
 <+... ptest(E, ...) ...+> || pmd_none(E)@pn
|
 <+... ptest(E, ...) ...+> && !pmd_none(E)@pn
)

''')

USE_P = r"\(acc(*p)@pos\|acc(getp(p))@pos\|acc3(E1, E2, *p)@pos\|acc3(E1, E2, getp(p))@pos\|accp(E1, E2, p)@pos\)"
USE_X = r"\(acc(x)@pos\|acc3(E1, E2, x)@pos\)"
LOCK = r"\(pmd_trans_huge_lock\|__pmd_trans_huge_lock\)(p, vma)@pl"
W_P = "... when != ptest(*p, ...)\n    when != ptest(getp(p), ...)\n    when != ptest(y, ...)\n    when != p = E3"
W_X = "... when != ptest(x, ...)\n    when != ptest(*p, ...)\n    when != ptest(getp(p), ...)\n    when != x = E3\n    when != p = E3"
D1 = "\n".join(["expression p, vma, E1, E2, E3;", "identifier x;", "local idexpression pmd_t y;", "type T;", PT, ACC, ACC3, ACCP, GETP, CLR, "position pl;"])
M1 = "present-only accessor on a pmd that pmd_trans_huge_lock() (line %s) may have returned as a swap/migration entry; test pmd_present() first"
rule("a1", "A1: use on the path where pmd_trans_huge_lock() returned the PTL; the\nentry may be a swap/migration entry.  Seed 000: clear_refs_pte_range,\npagemap_pmd_range, change_huge_pmd, madvise_free_huge_pmd, zap_huge_pmd.",
     D1, LOCK + "\n" + W_P + "\n" + USE_P, M1, extra_meta=("pl",))
rule("a1s", "A1 through a snapshot: x = *pmd / pmdp_get(pmd) / pmdp_huge_get_and_clear*()", D1,
     LOCK + "\n" + W_P + "\nx = \\(*p\\|getp(p)\\|clr(E1, E2, p, ...)\\);\n" + W_X + "\n" + USE_X, M1, extra_meta=("pl",))
rule("a1d", "", D1,
     LOCK + "\n" + W_P + "\nT x = \\(*p\\|getp(p)\\|clr(E1, E2, p, ...)\\);\n" + W_X + "\n" + USE_X, M1, extra_meta=("pl",))

out.append('''//----------------------------------------------------------------------
// Patch mode: the one safe automatic fix.  pmd_devmap() on the locked pmd
// becomes pmd_present() && pmd_devmap(): a devmap pmd is always present,
// so the result is unchanged for present entries and false (instead of
// bit 57 of the swap offset) for migration entries.  This is the fix of
// mm/userfaultfd.c move_pages() on 6.12.  The other accessors need a
// decision about the non-present case, so they are only reported.
//----------------------------------------------------------------------
@fix_devmap depends on patch exists@
expression p, vma, E3;
statement S1, S2;
identifier ptest = {pmd_present, is_swap_pmd, is_pmd_migration_entry,
                    pmd_trans_huge, pmd_leaf};
position pos != guard.gp;
@@
\\(pmd_trans_huge_lock\\|__pmd_trans_huge_lock\\)(p, vma)
... when != ptest(*p)
    when != p = E3
(
if (
- pmd_devmap(*p)@pos
+ pmd_present(*p) && pmd_devmap(*p)
   ) S1 else S2
|
if (
- pmd_devmap(*p)@pos
+ pmd_present(*p) && pmd_devmap(*p)
   ) S1
|
- pmd_devmap(*p)@pos
+ (pmd_present(*p) && pmd_devmap(*p))
)

''')

out.append('''//----------------------------------------------------------------------
// A3 (discovery): a function of the same file that is called with the pmd
// locked by pmd_trans_huge_lock() before any presence test receives a
// possibly non-present entry.  Seed 000: smaps_pte_range -> smaps_pmd_entry.
//----------------------------------------------------------------------
@a3_disc %s exists@
expression p, vma, E3;
identifier f !~ "^(spin_unlock|pmd_present|is_swap_pmd|is_pmd_migration_entry|pmd_trans_huge|pmd_leaf|pmd_none|pmd_devmap|pmd_lockptr|pmdp_get|pmdp_get_lockless|pte_offset_map_lock|pte_offset_map|pte_offset_map_nolock|split_huge_pmd|__split_huge_pmd|set_pmd_at|pmd_same|can_gather_numa_stats_pmd)$";
%s
%s
@@
\\(pmd_trans_huge_lock\\|__pmd_trans_huge_lock\\)(p, vma)
... when != ptest(*p, ...)
    when != ptest(getp(p), ...)
    when != p = E3
f(..., \\(p\\|*p\\|getp(p)\\), ...)

''' % (DEP, PT, GETP))

WQ = "... when != ptest(*q, ...)\n    when != ptest(getp(q), ...)\n    when != ptest(y, ...)\n    when != q = E3"
WQX = "... when != ptest(x, ...)\n    when != ptest(*q, ...)\n    when != ptest(getp(q), ...)\n    when != x = E3"
USE_Q = r"\(acc(*q)@pos\|acc(getp(q))@pos\|acc3(E1, E2, *q)@pos\|acc3(E1, E2, getp(q))@pos\|accp(E1, E2, q)@pos\)"
USE_QX = USE_X
M3 = "present-only accessor on a pmd that callers pass from pmd_trans_huge_lock() without a presence test (may be a swap/migration entry); test pmd_present() first"
for tag, fndecl in (("", "identifier fn = %s;" % FNLIST), ("d", "identifier a3_disc.f;")):
    fnname = "fn" if tag == "" else "f"
    DQ = "\n".join([fndecl, "identifier q, x;", "local idexpression pmd_t y;", "type T, T2;", "expression E1, E2, E3;", PT, ACC, ACC3, ACCP, GETP])
    cm = ("A3: callees handed a possibly non-present pmd (explicit contract list).\nPointer parameter." if tag == "" else
          "A3: same, for callees discovered by a3_disc in this file.")
    rule("a3%sp" % tag, cm, DQ, "T %s(..., pmd_t *q, ...)\n{\n%s\n%s\n... when any\n}" % (fnname, WQ, USE_Q), M3)
    rule("a3%sps" % tag, "", DQ, "T %s(..., pmd_t *q, ...)\n{\n%s\nx = \\(*q\\|getp(q)\\);\n%s\n%s\n... when any\n}" % (fnname, WQ, WQX, USE_QX), M3)
    rule("a3%spd" % tag, "", DQ, "T %s(..., pmd_t *q, ...)\n{\n%s\nT2 x = \\(*q\\|getp(q)\\);\n%s\n%s\n... when any\n}" % (fnname, WQ, WQX, USE_QX), M3)
    DV = "\n".join([fndecl, "identifier q;", "type T;", "expression E1, E2, E3;", PT, ACC, ACC3])
    rule("a3%sv" % tag, "A3 with a pmd_t value parameter (get_mctgt_type_thp, pagemap_thp_category,\ncan_gather_numa_stats_pmd take the entry by value)." if tag == "" else "",
         DV, "T %s(..., pmd_t q, ...)\n{\n... when != ptest(q, ...)\n    when != q = E3\n\\(acc(q)@pos\\|acc3(E1, E2, q)@pos\\)\n... when any\n}" % fnname, M3)

out.append('''//----------------------------------------------------------------------
// Contract B8: walks of the kernel's own page tables (init_mm) never meet a
// swap-format pmd, so their pmd_none() tests are not A2 sources.  A
// function is a kernel walk when it reaches its tables through
// pgd_offset_k()/pmd_off_k()/init_mm or maps ptes with pte_offset_kernel().
// Seen on 6.12: register_page_bootmem_memmap() (arch/x86/mm/init_64.c).
//----------------------------------------------------------------------
@kwalk_fn %s@
identifier fn;
type T;
@@
T fn(...)
{
<+... \\(pgd_offset_k(...)\\|pmd_off_k(...)\\|pte_offset_kernel(...)\\|init_mm\\) ...+>
}

@kwalk_none %s@
identifier kwalk_fn.fn;
type T;
expression E;
position kp;
@@
T fn(...)
{
<... pmd_none(E)@kp ...>
}

''' % (DEP, DEP))

D2 = "\n".join(["expression E, E1, E2, E3;", "type T;", "identifier fn != {insert_pfn_pmd, insert_pfn_pud, xen_pmd_walk};", "position pn != nonesrc.pn;", "position kp != kwalk_none.kp;", PT, ACC, ACC3])
rule("a2", "A2: only pmd_none() was tested: a swap/migration entry is not none.\nContract B7: insert_pfn_pmd()/insert_pfn_pud() only run on VM_PFNMAP/VM_MIXEDMAP\n(and fsdax) VMAs, whose PMDs are never swap or migration entries.\nContract B8: kernel page-table walks (kwalk_none).  Contract B9:\nxen_pmd_walk() walks Xen PV tables, which hold no leaf or swap pmds.", D2,
     "T fn(...)\n{\n... when any\npmd_none(E)@pn@kp\n... when != ptest(E, ...)\n    when != E = E3\n\\(acc(E)@pos\\|acc3(E1, E2, E)@pos\\)\n... when any\n}",
     "present-only accessor on a pmd only tested with pmd_none(): a swap/migration entry is not none; test pmd_present()")
D4 = "\n".join(["identifier fn, x;", "type T;", "expression E1, E2, E3;", PT, ACC, ACC3])
rule("a4", "A4: pmd_t parameter revalidated only with pmd_same() under the PTL: identity\nis not presence.  Seed 000: do_huge_pmd_wp_page(vmf, orig_pmd).  vmf->orig_pmd\nread inside the fault handlers is covered by contract B3.", D4,
     "T fn(..., pmd_t x, ...)\n{\n... when != ptest(x, ...)\n    when != x = E3\n\\(pmd_same(x, E1)\\|pmd_same(E1, x)\\)\n... when != ptest(x, ...)\n    when != x = E3\n\\(acc(x)@pos\\|acc3(E1, E2, x)@pos\\)\n... when any\n}",
     "present-only accessor on a pmd value revalidated only with pmd_same(): identity is not presence; test pmd_present()")
DC = "\n".join(["expression E, E1, E2;", "statement S;", "identifier acc = {pmd_page, pmd_pfn, pmd_folio, pmd_write, pmd_young,\n                  pmd_dirty, pmd_soft_dirty, pmd_uffd_wp, pmd_special,\n                  pmd_devmap, pud_devmap, pud_page, pud_pfn, pud_folio, pud_write, pud_young,\n                  pud_dirty, pud_soft_dirty, pud_special};", ACC3])
rule("cnp", "C: use inside a branch that knows the entry is NOT present.", DC,
     "(\n if (\\(is_swap_pmd(E)\\|!pmd_present(E)\\|is_pmd_migration_entry(E)\\|!pud_present(E)\\))\n {\n <...\n\\(acc(E)@pos\\|acc3(E1, E2, E)@pos\\)\n ...>\n }\n|\n if (\\(is_swap_pmd(E)\\|!pmd_present(E)\\|is_pmd_migration_entry(E)\\|!pud_present(E)\\))\n {\n <...\n\\(acc(E)@pos\\|acc3(E1, E2, E)@pos\\)\n ...>\n } else S\n)",
     "present-only accessor in a branch where the pmd is known not to be present", exists=False)
DD = "\n".join(["expression E, E3;", "statement S;", "identifier l;",
   "identifier swacc = {pmd_to_swp_entry, pmd_swp_soft_dirty, pmd_swp_uffd_wp,\n                    pmd_swp_mksoft_dirty, pmd_swp_clear_soft_dirty,\n                    pmd_swp_mkuffd_wp, pmd_swp_clear_uffd_wp,\n                    pmd_swp_exclusive};"])
rule("dsw", "D (inverse): swap-entry accessor on an entry known to be present.", DD,
     "(\n if (\\(pmd_present(E)\\|pmd_trans_huge(E)\\|pmd_leaf(E)\\|!is_swap_pmd(E)\\))\n {\n <...\n swacc(E)@pos\n ...>\n }\n|\n if (\\(pmd_present(E)\\|pmd_trans_huge(E)\\|pmd_leaf(E)\\|!is_swap_pmd(E)\\))\n {\n <...\n swacc(E)@pos\n ...>\n } else S\n|\n if (\\(!pmd_present(E)\\|is_swap_pmd(E)\\|is_pmd_migration_entry(E)\\)) \\(return ...;\\|goto l;\\|continue;\\|break;\\)\n ... when != E = E3\n swacc(E)@pos\n)",
     "swap-entry accessor on a pmd known to be present")

out.append("//" + "-"*70 + "\n// Context mode: mark the uses found above\n//" + "-"*70 + "\n")
for name, msg, extra in rules:
    out.append("@depends on context@\nposition %s.pos;\nidentifier fc;\n@@\n* fc(...)@pos\n\n" % name)
out.append("//" + "-"*70 + "\n// Output (deduplicated: a use may be matched by several sources)\n//" + "-"*70 + "\n")
for name, msg, extra in rules:
    for mode in ("report", "org"):
        out.append("@script:python depends on %s@\np << %s.pos;\n" % (mode, name))
        for e in extra:
            out.append("%s << %s.%s;\n" % (e, name, e))
        if extra:
            m = 'msg = "%s" %% %s[0].line' % (msg, extra[0])
        else:
            m = 'msg = "%s"' % msg
        out.append("@@\n%s\nemit(p, msg, \"%s\")\n\n" % (m, mode))
sys.stdout.write("".join(out).rstrip("\n") + "\n")
