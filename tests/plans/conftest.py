"""Fixtures for the plans tests: the shared org tree, uploads kept in a temporary media folder, seed 004."""

from __future__ import annotations


import pytest

from tests.public_documents import SEED_001, SEED_004  # noqa: F401 - the tests of plans import them from here


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english(english):
    """Messages are asserted on their English source text, whatever the Vietnamese catalogue holds."""


@pytest.fixture
def seed_004_text() -> str:
    return SEED_004.read_text(encoding="utf-8")


@pytest.fixture
def seed_004(seed_004_text) -> dict:
    from cchc.documents import parse_text

    return parse_text(seed_004_text)


def small_document(*, number: str | None = "12/KH-UBND", issuer: str = "Ủy ban nhân dân tỉnh Tuyên Quang",
                   tasks: list[dict] | None = None) -> dict:
    """A parsed plan (schema cchc.plan/1) with three tasks: one for Sở Nội vụ, one for every commune and
    ward, one whose agency is not in the directory."""
    def task(title, lead, support=(), tf=None, targets=()):
        return {"title": title, "text": title, "forms": [], "lead": list(lead), "support": list(support),
                "timeframe": tf, "targets": list(targets), "funding": None, "section": "Phụ lục/1"}

    return {
        "schema": "cchc.plan/1",
        "document": {"kind": "KH", "number": number, "symbol": "KH-UBND", "place": "Tuyên Quang",
                     "date": "2025-12-20", "year": 2025, "issuer": issuer,
                     "title": "Tuyên truyền cải cách hành chính năm 2026", "plan_year": 2026,
                     "signer": {"name": "Nguyễn Văn A", "position": "Phó Chủ tịch", "authority": "KT. Chủ tịch"},
                     "recipients": ["Sở Nội vụ", "Lưu: VT"]},
        "references": [{"kind": "Kế hoạch", "number": "35/KH-UBND", "date": None, "issuer": None, "role": "implements"}],
        "sections": [{"number": "Phụ lục", "heading": "Các nhiệm vụ trọng tâm", "text": None, "children": []}],
        "tasks": tasks if tasks is not None else [
            task("Tổ chức tập huấn nghiệp vụ cải cách hành chính", ["Sở Nội vụ"], ["Ủy ban nhân dân các xã, phường"],
                 {"text": "Quý II/2026", "start": "2026-04-01", "end": "2026-06-30", "recurrence": "once"},
                 [{"quantity": 10, "unit": "lớp", "per": None, "at_least": False, "text": "10 lớp"}]),
            task("Viết tin, bài về thủ tục hành chính trên trang thông tin điện tử", ["Ủy ban nhân dân các xã, phường"], [],
                 {"text": "Thường xuyên", "start": "2026-01-01", "end": "2026-12-31", "recurrence": "continuous"},
                 [{"quantity": 4, "unit": "tin, bài", "per": "month", "at_least": True, "text": "ít nhất 04 tin, bài mỗi tháng"}]),
            task("Duy trì chuyên mục trao đổi ý kiến bạn đọc", ["Báo Xuân Hòa Thịnh Vượng"], ["Sở Nội vụ"],
                 {"text": "Năm 2026", "start": "2026-01-01", "end": "2026-12-31", "recurrence": None}, []),
        ],
        "reporting": {"periods": ["Q1", "H1", "Q3", "Y"], "deadlines": [], "recipient": "Sở Nội vụ", "text": None},
        "funding": ["Ngân sách nhà nước"],
    }


@pytest.fixture
def small_doc() -> dict:
    return small_document()


@pytest.fixture
def issued_plan(org_tree, small_doc):
    """The small document imported by the province supervisor and issued."""
    from cchc.plans import services

    plan = services.plan_import(user=org_tree.supervisor, owner=org_tree.province, parsed=small_doc)
    return services.plan_issue(plan=plan, user=org_tree.supervisor)


def login(client, user):
    client.force_login(user)
    return client
