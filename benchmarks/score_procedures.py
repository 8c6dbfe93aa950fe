#!/usr/bin/env python3
"""Score the project's procedure-list reader on held-out decisions against hand-made gold files.

usage: score_procedures.py PARSER_CMD GOLD_DIR DOC_DIR [--verbose]
PARSER_CMD is run as `PARSER_CMD <doc path>` and must print cchc.procedures/1 JSON.
Per document: 0.5 name F1 (one-to-one fuzzy match) + 0.2 status + 0.1 code + 0.1 time/fee + 0.1 decision meta.
Prints one line per document and, last, 'procedure-parse score X.XX (N docs)'.
"""
import json, re, shlex, subprocess, sys, time, unicodedata
from pathlib import Path

import jsonschema
from rapidfuzz import fuzz

HERE = Path(__file__).resolve().parent
SCHEMA = json.loads((HERE.parent / "tests/data/schemas/procedures.schema.json").read_text())  # this copy: the repository keeps the schema in its test data
LEVEL = {"tỉnh": "province", "xã": "commune", "trung ương": "central", None: None}


def fold(s):
    if s is None:
        return ""
    s = unicodedata.normalize("NFD", str(s).replace("Đ", "D").replace("đ", "d"))
    s = "".join(c for c in s if unicodedata.category(c) != "Mn").lower()
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9/]+", " ", s)).strip()


def score_doc(out, gold, verbose=False):
    got = out.get("procedures") or []
    want = gold["procedures"]
    used, pairs = set(), []
    for g in want:
        best, bi = 0, None
        for i, p in enumerate(got):
            if i in used:
                continue
            r = fuzz.ratio(fold(p.get("name")), fold(g["name"]))
            if r > best:
                best, bi = r, i
        if best >= 90:
            used.add(bi)
            pairs.append((g, got[bi]))
        elif verbose:
            print(f"    missing: [{g['status']}] {g['name'][:90]}")
    tp = len(pairs)
    prec = tp / len(got) if got else 0.0
    rec = tp / len(want) if want else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    if verbose and len(got) > tp:
        extra = [p.get("name", "")[:80] for i, p in enumerate(got) if i not in used][:5]
        print(f"    {len(got) - tp} extracted not in gold, e.g. {extra}")

    def acc(check):
        return sum(1 for g, p in pairs if check(g, p)) / len(want) if want else 1.0

    status = acc(lambda g, p: p.get("status") == g["status"])
    with_code = [g for g in want if g.get("code")]
    code = (sum(1 for g, p in pairs if g.get("code") and str(p.get("code") or "").replace(" ", "").startswith(g["code"]))
            / len(with_code)) if with_code else 1.0
    tf = []
    for g, p in pairs:
        if g.get("time_limit_days") is not None:
            tf.append(((p.get("time_limit") or {}).get("days")) == g["time_limit_days"])
        if g.get("fee_free") is not None:
            tf.append(((p.get("fee") or {}).get("free")) == g["fee_free"])
    n_tf = sum(1 for g in want if g.get("time_limit_days") is not None) + sum(1 for g in want if g.get("fee_free") is not None)
    timefee = sum(tf) / n_tf if n_tf else 1.0
    d, gd = out.get("decision") or {}, gold["decision"]
    meta = [re.sub(r"\s", "", str(d.get("number") or "")) == re.sub(r"\s", "", str(gd.get("number") or "")),
            d.get("date") == gd.get("date")]
    if verbose and not all(meta):
        print(f"    decision: got {d.get('number')!r} {d.get('date')!r} want {gd.get('number')!r} {gd.get('date')!r}")
    parts = {"names_f1": f1, "status": status, "code": code, "time_fee": timefee, "meta": sum(meta) / len(meta)}
    total = 0.5 * f1 + 0.2 * status + 0.1 * code + 0.1 * timefee + 0.1 * parts["meta"]
    return total, parts, len(got), len(want)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    verbose = "--verbose" in sys.argv
    cmd, gold_dir, doc_dir = shlex.split(args[0]), Path(args[1]), Path(args[2])
    scores = []
    for gf in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gf.read_text())
        doc = doc_dir / gold["file"]
        t0 = time.perf_counter()
        try:
            r = subprocess.run(cmd + [str(doc)], capture_output=True, text=True, timeout=60)
        except subprocess.TimeoutExpired:
            print(f"{gold['file']}: timeout")
            scores.append(0.0)
            continue
        dt = time.perf_counter() - t0
        if r.returncode != 0:
            print(f"{gold['file']}: reader failed rc={r.returncode}: {r.stderr.strip()[-200:]}")
            scores.append(0.0)
            continue
        try:
            out = json.loads(r.stdout)
            jsonschema.validate(out, SCHEMA)
        except Exception as e:  # noqa: BLE001 - any failure is a zero
            print(f"{gold['file']}: output invalid: {str(e)[:200]}")
            scores.append(0.0)
            continue
        s, parts, ng, nw = score_doc(out, gold, verbose)
        scores.append(s)
        print(f"{gold['file']}: {s:.2f} ({ng}/{nw} rows) " + " ".join(f"{k}={v:.2f}" for k, v in parts.items()) + f" ({dt*1000:.0f} ms)")
    total = sum(scores) / len(scores) if scores else 0.0
    print(f"procedure-parse score {total:.2f} ({len(scores)} docs)")
    sys.exit(0)


if __name__ == "__main__":
    main()
