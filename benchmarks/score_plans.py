#!/usr/bin/env python3
"""Score the project's plan parser on held-out plan documents against hand-made gold files.

usage: score_plans.py PARSER_CMD GOLD_DIR DOC_DIR [--verbose]
PARSER_CMD is run as `PARSER_CMD <doc path>` and must print cchc.plan/1 JSON.
Prints one line per document and, last, 'plan-parse score X.XX (N docs)'.
"""
import json, os, re, shlex, subprocess, sys, time, unicodedata
from pathlib import Path

from rapidfuzz import fuzz
import jsonschema

HERE = Path(__file__).resolve().parent
SCHEMA = json.loads((HERE.parent / "tests/data/schemas/plan.schema.json").read_text())  # this copy: the repository keeps the schema in its test data


def fold(s):
    if s is None:
        return ""
    s = unicodedata.normalize("NFD", str(s).replace("Đ", "D").replace("đ", "d"))
    s = "".join(c for c in s if unicodedata.category(c) != "Mn").lower()
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9/%-]+", " ", s)).strip()


def same(a, b, cut=90):
    return fuzz.ratio(fold(a), fold(b)) >= cut


def contains(hay, needle, cut=85):
    return bool(needle) and fuzz.partial_ratio(fold(needle), fold(hay)) >= cut


def num(s):
    return re.sub(r"\s+", "", fold(s))


def score_doc(out, gold, verbose=False):
    parts = {}
    d, gd = out.get("document") or {}, gold["document"]
    meta = []
    for k in ("kind", "number", "symbol", "place", "date", "year", "plan_year"):
        g, o = gd[k], d.get(k)
        ok = (o is None) if g is None else (num(o) == num(g) if isinstance(g, str) else o == g)
        meta.append(ok)
        if verbose and not ok:
            print(f"    meta {k}: got {o!r} want {g!r}")
    for k, cut in (("title", 90), ("issuer", 80)):
        ok = same(d.get(k), gd[k], cut)
        meta.append(ok)
        if verbose and not ok:
            print(f"    meta {k}: got {d.get(k)!r} want {gd[k]!r}")
    sg, so = gd["signer"], d.get("signer") or {}
    for k in ("name", "position"):
        ok = same(so.get(k), sg[k], 85)
        meta.append(ok)
        if verbose and not ok:
            print(f"    signer {k}: got {so.get(k)!r} want {sg[k]!r}")
    rc = len(d.get("recipients") or [])
    meta.append(abs(rc - gd["recipients_count"]) <= 2)
    parts["meta"] = sum(meta) / len(meta)

    refs = {num(r.get("number")) for r in out.get("references") or [] if r.get("number")}
    hit = [num(g) in refs for g in gold["references"]]
    if verbose:
        for g, h in zip(gold["references"], hit):
            if not h:
                print(f"    reference missing: {g}")
    if gold.get("implements"):
        impl = [num(r.get("number")) for r in out.get("references") or [] if r.get("role") == "implements"]
        hit.append(num(gold["implements"]) in impl)
        if verbose and not hit[-1]:
            print(f"    implements: got {impl} want {gold['implements']}")
    parts["references"] = sum(hit) / len(hit)

    tasks = out.get("tasks") or []
    def task_text(t):
        return " ".join([t.get("title") or "", t.get("text") or ""])
    found = []
    for g in gold["tasks"]:
        ok = any(
            len(fold(task_text(t))) <= max(1200, 6 * len(g["phrase"]))  # one giant task matches nothing
            and contains(task_text(t), g["phrase"])
            and (g["agency"] is None or any(contains(l, g["agency"], 80) or contains(g["agency"], l, 80) for l in t.get("lead") or []))
            for t in tasks
        )
        found.append(ok)
        if verbose and not ok:
            print(f"    task missing: [{g['agency']}] {g['phrase'][:70]}")
    recall = sum(found) / len(found)
    ratio = len(tasks) / len(gold["tasks"])
    precision_ok = 1.0 if 0.5 <= ratio <= 2.0 else (2.0 / ratio if ratio > 2.0 else ratio / 0.5)
    parts["tasks"] = recall * precision_ok
    if verbose:
        print(f"    tasks: {len(tasks)} extracted, {len(gold['tasks'])} gold, recall {recall:.2f}")

    tg = []
    all_targets = [x for t in tasks for x in (t.get("targets") or [])]
    for g in gold["targets"]:
        ok = any(
            x.get("quantity") == g["quantity"] and contains(x.get("unit"), g["unit"], 80) and x.get("per") == g["per"]
            for x in all_targets
        )
        tg.append((ok, 0.5 if g.get("soft") else 1.0))
        if verbose and not ok:
            print(f"    target missing: {g}")
    parts["targets"] = sum(w for ok, w in tg if ok) / sum(w for _, w in tg) if tg else 1.0

    rep, gr = out.get("reporting") or {}, gold["reporting"]
    rp = [set(rep.get("periods") or []) == set(gr["periods"])]
    dl = {x.get("period"): x.get("due") for x in rep.get("deadlines") or []}
    for p, due in gr["deadlines"].items():
        rp.append(dl.get(p) == due)
    if gr.get("recipient"):
        rp.append(contains(rep.get("recipient"), gr["recipient"], 80))
    if verbose and not all(rp):
        print(f"    reporting: got periods {rep.get('periods')} deadlines {dl} recipient {rep.get('recipient')!r}")
    parts["reporting"] = sum(rp) / len(rp)

    weights = {"meta": 0.2, "references": 0.1, "tasks": 0.4, "targets": 0.1, "reporting": 0.2}
    return sum(parts[k] * w for k, w in weights.items()), parts


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    verbose = "--verbose" in sys.argv
    cmd, gold_dir, doc_dir = shlex.split(args[0]), Path(args[1]), Path(args[2])
    scores = []
    for gf in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gf.read_text())
        doc = doc_dir / gold["file"]
        t0 = time.perf_counter()
        r = subprocess.run(cmd + [str(doc)], capture_output=True, text=True, timeout=120)
        dt = time.perf_counter() - t0
        if r.returncode != 0:
            print(f"{gold['file']}: parser failed rc={r.returncode}: {r.stderr.strip()[-300:]}")
            scores.append(0.0)
            continue
        try:
            out = json.loads(r.stdout)
            jsonschema.validate(out, SCHEMA)
        except Exception as e:  # noqa: BLE001 - any failure is a zero
            print(f"{gold['file']}: output invalid: {str(e)[:300]}")
            scores.append(0.0)
            continue
        s, parts = score_doc(out, gold, verbose)
        scores.append(s)
        print(f"{gold['file']}: {s:.2f} " + " ".join(f"{k}={v:.2f}" for k, v in parts.items()) + f" ({dt*1000:.0f} ms)")
    total = sum(scores) / len(scores) if scores else 0.0
    print(f"plan-parse score {total:.2f} ({len(scores)} docs)")
    return total


if __name__ == "__main__":
    t = main()
    sys.exit(0 if t >= float(os.environ.get("PLAN_SCORE_MIN", "0.80")) else 1)
