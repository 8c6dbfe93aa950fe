"""The public administrative documents the tests read, committed with the tests: the real plans (the
three seeds and the three corpus plans among the annotated documents of tests/data/reader/docs) and
the schemas outside tools rely on. Nothing here depends on a folder beside the checkout."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
DOCUMENTS = DATA / "reader" / "docs"
PLAN_SCHEMA = DATA / "schemas" / "plan.schema.json"

SEEDS = ("000_b4044ae2c624768c.txt", "001_1bcad453b853a799.txt", "004_1f5d7e236c7063e7.txt")
CORPUS_PLANS = ("09daab284f92e2dd.md", "8718801c503045f9.md", "d40513a8b25883ec.md")


def document(name: str) -> Path:
    """A committed document by its file name ("seeds/004_….txt" and "004_….txt" are the same one)."""
    return DOCUMENTS / Path(name).name


SEED_000, SEED_001, SEED_004 = (document(n) for n in SEEDS)


def plan_documents() -> list[Path]:
    """The seeds and the corpus plans."""
    return [document(n) for n in SEEDS + CORPUS_PLANS]
