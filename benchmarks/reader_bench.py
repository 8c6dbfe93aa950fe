"""Scores the plan reader on the annotated real documents in tests/data/reader and prints per-document
scores, the mean and the speed, then on tests/data/reader/heldout: documents annotated after the
reader was built and not used to tune it (a measure of how it does on documents it has not seen); then parses every document of a corpus folder (default: the 181
assignment documents beside the repository, when present) and prints errors and the slowest.

    python benchmarks/reader_bench.py [--verbose] [--corpus DIR]

The scoring rules are those of the shared scorer (`benchmarks/score_plans.py`, a copy of
`shared/tools/score_plans.py`); a gold file that cites no document scores references as 1 when the
reader finds none (the shared scorer divides by zero there).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import jsonschema

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from cchc.documents import i18n  # noqa: E402
from cchc.documents.reader import parse_file  # noqa: E402

import score_plans  # noqa: E402

DATA = ROOT / "tests" / "data" / "reader"
SCHEMA = json.loads((ROOT / "tests" / "data" / "schemas" / "plan.schema.json").read_text())


def score(out: dict, gold: dict, verbose: bool) -> tuple[float, dict]:
    if not gold["references"] and not gold.get("implements"):
        gold = dict(gold, references=["__none__"])
        out = dict(out, references=list(out.get("references") or []) + [{"number": "__none__"}])
    return score_plans.score_doc(out, gold, verbose)


def _score_set(label: str, folder: Path, verbose: bool) -> None:
    scores, times, parts_all = [], [], {}
    with i18n.use_language("en"):
        for gf in sorted((folder / "gold").glob("*.json")):
            gold = json.loads(gf.read_text())
            if not (folder / "docs" / gold["file"]).exists():
                print(f"{gold['file']}: document missing")
                continue
            t0 = time.perf_counter()
            out = parse_file(folder / "docs" / gold["file"])
            dt = time.perf_counter() - t0
            jsonschema.validate(out, SCHEMA)
            s, parts = score(out, gold, verbose)
            scores.append(s)
            times.append(dt)
            for k, v in parts.items():
                parts_all.setdefault(k, []).append(v)
            print(f"{gold['file']}: {s:.2f} " + " ".join(f"{k}={v:.2f}" for k, v in parts.items())
                  + f" tasks {len(out['tasks'])}/{len(gold['tasks'])} ({dt * 1000:.0f} ms)")
    if not scores:
        return
    print("parts: " + " ".join(f"{k}={statistics.mean(v):.2f}" for k, v in parts_all.items()))
    print(f"reader score ({label}) {statistics.mean(scores):.3f} over {len(scores)} documents; "
          f"{len(scores) / sum(times):.1f} docs/s, slowest {max(times) * 1000:.0f} ms")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "assignments"))
    args = ap.parse_args()
    for label, folder in (("annotated", DATA), ("held-out", DATA / "heldout")):
        _score_set(label, folder, args.verbose)
    corpus = Path(args.corpus)
    if corpus.is_dir():
        errors, slow = [], []
        t_all = time.perf_counter()
        files = sorted(corpus.glob("*.md"))
        for f in files:
            t0 = time.perf_counter()
            try:
                jsonschema.validate(parse_file(f), SCHEMA)
            except Exception as e:  # noqa: BLE001 - every failure is reported
                errors.append(f"{f.name}: {type(e).__name__}: {str(e)[:120]}")
            slow.append((time.perf_counter() - t0, f.name))
        total = time.perf_counter() - t_all
        slow.sort(reverse=True)
        print(f"corpus {corpus.name}: {len(files)} documents in {total:.1f} s, {len(errors)} errors, "
              f"slowest {slow[0][1]} {slow[0][0] * 1000:.0f} ms" if files else "corpus empty")
        for e in errors:
            print("  " + e)
    return 0


if __name__ == "__main__":
    sys.exit(main())
