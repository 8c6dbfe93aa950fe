"""Scores the procedure-list reader (`cchc parse-procedures`) on the annotated decisions in
tests/data/procedures (and, apart, those annotated after the reader was written, in
tests/data/procedures/heldout) and prints the scorer's line per document, the mean and the speed; then, when the
corpus beside the repository is there (../shared/corpus/procedures), parses every decision in it and
prints errors, timings and the slowest.

    python benchmarks/procedures_bench.py [--verbose] [--corpus DIR]

The scoring rules are those of the shared scorer: ../shared/tools/score_procedures.py when it is
there, else its copy benchmarks/score_procedures.py. Documents are parsed in this process (the
command's start-up is not the reader's speed).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import sys
import time
from pathlib import Path

import jsonschema

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cchc.documents import i18n  # noqa: E402
from cchc.documents.procedures import parse_procedures_file  # noqa: E402

DATA = ROOT / "tests" / "data" / "procedures"
SCHEMA = json.loads((ROOT / "tests" / "data" / "schemas" / "procedures.schema.json").read_text())
SHARED_SCORER = ROOT.parent / "shared" / "tools" / "score_procedures.py"


def _scorer():
    path = SHARED_SCORER if SHARED_SCORER.is_file() else ROOT / "benchmarks" / "score_procedures.py"
    spec = importlib.util.spec_from_file_location("score_procedures", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module, path


def _score_set(folder: Path, scorer, verbose: bool) -> None:
    scores, times, parts_all = [], [], {}
    with i18n.use_language("en"):
        for gf in sorted((folder / "gold").glob("*.json")):
            gold = json.loads(gf.read_text())
            doc = folder / "docs" / gold["file"]
            if not doc.exists():
                print(f"{gold['file']}: document missing")
                scores.append(0.0)
                continue
            t0 = time.perf_counter()
            out = parse_procedures_file(doc)
            dt = time.perf_counter() - t0
            jsonschema.validate(out, SCHEMA)
            s, parts, ng, nw = scorer.score_doc(out, gold, verbose)
            scores.append(s)
            times.append(dt)
            for k, v in parts.items():
                parts_all.setdefault(k, []).append(v)
            print(f"{gold['file']}: {s:.2f} ({ng}/{nw} rows) " + " ".join(f"{k}={v:.2f}" for k, v in parts.items())
                  + f" ({dt * 1000:.0f} ms)")
    if scores:
        print("parts: " + " ".join(f"{k}={statistics.mean(v):.2f}" for k, v in parts_all.items()))
        print(f"procedure-parse score {statistics.mean(scores):.3f} ({len(scores)} docs); "
              f"{statistics.mean(times) * 1000:.1f} ms per document, {sum(times) * 1000:.0f} ms in all")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "procedures"))
    args = ap.parse_args()
    scorer, path = _scorer()
    print(f"scorer: {path}")
    for label, folder in (("annotated", DATA), ("held-out (annotated after the reader was written)", DATA / "heldout")):
        if (folder / "gold").is_dir():
            print(f"-- {label}: {folder.relative_to(ROOT)}")
            _score_set(folder, scorer, args.verbose)
    corpus = Path(args.corpus)
    if corpus.is_dir():
        files = sorted(p for p in corpus.iterdir() if p.suffix.lower() in (".md", ".txt", ".docx", ".pdf"))
        errors, timed = [], []
        with i18n.use_language("en"):
            for f in files:
                t0 = time.perf_counter()
                try:
                    out = parse_procedures_file(f)
                    jsonschema.validate(out, SCHEMA)
                    count = len(out["procedures"])
                except Exception as e:  # noqa: BLE001 - every failure is reported
                    errors.append(f"{f.name}: {type(e).__name__}: {str(e)[:120]}")
                    count = -1
                timed.append((time.perf_counter() - t0, f.name, f.stat().st_size, count))
        total = sum(t for t, *_ in timed)
        print(f"corpus {corpus}: {len(files)} documents, {len(errors)} errors, {total * 1000:.0f} ms in all, "
              f"{total / max(1, len(files)) * 1000:.1f} ms per document")
        for t, name, size, count in sorted(timed, reverse=True)[: (len(timed) if args.verbose else 5)]:
            print(f"  {name}: {t * 1000:.0f} ms, {size // 1024} KB, {count} procedures")
        for e in errors:
            print("  error " + e)
        return 1 if errors else 0
    print(f"corpus {corpus}: not present, skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
