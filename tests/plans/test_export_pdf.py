"""The .docx export prints with every Vietnamese diacritic: LibreOffice renders it to PDF and the text is read back."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata

import pytest

from cchc.plans import exports, services

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _words(text: str) -> set[str]:
    text = unicodedata.normalize("NFC", text)
    return {w.strip(".,;:()“”\"'") for w in text.split() if any(ord(c) > 127 for c in w)}


def test_docx_renders_to_pdf_with_all_diacritics(org_tree, seed_004, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    import pdfplumber

    plan = services.plan_import(user=org_tree.supervisor, owner=org_tree.province, parsed=seed_004)
    _name, _ct, data = exports.export_docx(plan)
    source = tmp_path / "plan.docx"
    source.write_bytes(data)
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    with pdfplumber.open(tmp_path / "plan.pdf") as pdf:
        rendered = " ".join(page.extract_text() or "" for page in pdf.pages)
    rendered_words = _words(rendered)
    expected = set()
    for task in plan.tasks.all()[:15]:
        expected |= _words(task.title)
    expected |= _words(plan.title)
    missing = sorted(w for w in expected if w and w not in rendered_words)
    assert not missing, f"not rendered: {missing[:20]}"
