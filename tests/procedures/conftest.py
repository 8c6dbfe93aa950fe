"""Fixtures for the catalogue's staff side: the shared org tree, uploads in a temporary media folder,
the output catalogue, and parsed decisions made by hand in the reader's shape (cchc.procedures/1)."""

from __future__ import annotations

import pytest


@pytest.fixture
def staff_setup(settings, tmp_path, output_catalogue):
    """Uploads in a temporary media folder, and the output types (with 'Cập nhật, công khai TTHC')."""
    settings.MEDIA_ROOT = tmp_path / "media"


def row(name, status="new", *, code=None, field="Hộ tịch", level="commune", days=None, fee=None, place=None,
        basis=()):
    return {"name": name, "status": status, "field": field, "level": level, "code": code,
            "time_limit": {"text": f"{days} ngày làm việc", "days": days, "working_days": True} if days else None,
            "fee": {"text": fee, "free": fee.startswith("Không")} if fee else None, "place": place,
            "legal_basis": list(basis)}


def parsed(rows, *, number="2666/QĐ-UBND", date="2025-12-04", diagnostics=()):
    return {"schema": "cchc.procedures/1",
            "decision": {"number": number, "date": date, "issuer": "Chủ tịch Ủy ban nhân dân tỉnh Tuyên Quang",
                         "title": "Về việc công bố danh mục thủ tục hành chính lĩnh vực hộ tịch"},
            "procedures": list(rows), "diagnostics": list(diagnostics)}


def make_decision(unit, user, rows, **kwargs):
    from cchc.procedures.models import Decision

    data = parsed(rows, **kwargs)
    doc = data["decision"]
    import datetime as dt

    return Decision.objects.create(unit=unit, created_by=user, parsed=data, number=doc["number"] or "",
                                   date=dt.date.fromisoformat(doc["date"]) if doc["date"] else None,
                                   issuer=doc["issuer"], title=doc["title"], original_name="qd.md")


def login(client, user):
    client.force_login(user)
    return client
