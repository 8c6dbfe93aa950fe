"""Documents a plan cites: kind, number, date, issuer and role, each once."""

from cchc.documents.references import find_references, normalize_number


def _refs(*paragraphs, self_number=None):
    return {r["number"] or r.get("title"): r for r in find_references(list(paragraphs), self_number)}


def test_basis_with_date_and_issuer():
    r = _refs(("basis", "Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ ban hành Chương trình tổng thể "
                        "cải cách hành chính nhà nước giai đoạn 2021-2030;"))["76/NQ-CP"]
    assert (r["kind"], r["date"], r["issuer"], r["role"]) == ("Nghị quyết", "2021-07-15", "Chính phủ", "basis")


def test_number_written_with_spaces_and_date_in_words():
    r = _refs(("basis", "Căn cứ Quyết định số 233/QĐ - UBND ngày 05 tháng 02 năm 2024 của Bộ Nội vụ về việc ban hành "
                        "Kế hoạch;"))
    assert list(r) == ["233/QĐ-UBND"]
    assert (r["233/QĐ-UBND"]["date"], r["233/QĐ-UBND"]["issuer"]) == ("2024-02-05", "Bộ Nội vụ")
    assert normalize_number("27/NQ- TW") == "27/NQ-TW"


def test_the_parent_plan_implements_and_what_it_carries_out_is_cited():
    r = _refs(("implements", "Thực hiện Kế hoạch số 35/KH-UBND ngày 05/02/2024 của UBND huyện Mộ Đức về thực hiện "
                             "Quyết định số 1085/QĐ-TTg ngày 15/9/2022 của Thủ tướng Chính phủ, UBND xã ban hành:"))
    assert r["35/KH-UBND"]["role"] == "implements"
    assert r["35/KH-UBND"]["issuer"] == "UBND huyện Mộ Đức"
    assert r["1085/QĐ-TTg"]["role"] == "cited"
    assert r["1085/QĐ-TTg"]["issuer"] == "Thủ tướng Chính phủ"


def test_each_document_once_with_the_strongest_role_and_the_known_facts_merged():
    refs = find_references([
        ("body", "theo Nghị quyết 76/NQ-CP và các văn bản hướng dẫn"),
        ("basis", "Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ;"),
    ])
    assert len(refs) == 1
    assert (refs[0]["role"], refs[0]["date"], refs[0]["issuer"]) == ("basis", "2021-07-15", "Chính phủ")


def test_party_documents_laws_and_national_issuers_from_the_symbol():
    r = _refs(("basis", "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015;"),
              ("body", "Nghị quyết số 04-NQ/TU ngày 12/3/2021 của Ban Thường vụ Tỉnh ủy; Nghị định 107/2020/NĐ-CP"))
    law = r["Luật Tổ chức chính quyền địa phương"]
    assert (law["kind"], law["number"], law["date"], law["role"]) == ("Luật", None, "2015-06-19", "basis")
    assert r["04-NQ/TU"]["issuer"] == "Ban Thường vụ Tỉnh ủy"
    assert r["107/2020/NĐ-CP"]["issuer"] == "Chính phủ"


def test_kinds():
    text = ("Chỉ thị số 23/CT-TTg; Công văn số 1234/SNV-CCHC; Thông tư số 01/2025/TT-BTTTT; "
            "Kế hoạch số 12/KH-UBND; Đề án số 56/ĐA-UBND; Tờ trình số 551/TTr-SNV")
    kinds = {r["number"]: r["kind"] for r in find_references([("body", text)])}
    assert kinds == {"23/CT-TTg": "Chỉ thị", "1234/SNV-CCHC": "Công văn", "01/2025/TT-BTTTT": "Thông tư",
                     "12/KH-UBND": "Kế hoạch", "56/ĐA-UBND": "Đề án", "551/TTr-SNV": "Tờ trình"}


def test_the_document_itself_is_no_reference():
    assert find_references([("body", "Kèm theo Kế hoạch số 617/KH-UBND ngày 01/12/2025")], "617/KH-UBND") == []
