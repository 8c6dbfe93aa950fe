from cchc.core.text import fold, int_to_roman, nfc, roman_to_int, vi_sorted


def test_fold_removes_every_diacritic_and_d_bar():
    assert fold("Sở Nội vụ") == "so noi vu"
    assert fold("ĐỒNG THÁP") == "dong thap"
    assert fold("  Ủy   ban ") == "uy ban"


def test_fold_accepts_decomposed_input():
    decomposed = "Sở Nội vụ".encode().decode()
    import unicodedata

    assert fold(unicodedata.normalize("NFD", decomposed)) == "so noi vu"
    assert nfc(unicodedata.normalize("NFD", "Hà Giang")) == "Hà Giang"


def test_vietnamese_sort_order():
    words = ["Đồng Tháp", "Điện Biên", "Dak Lak", "Cần Thơ", "Cà Mau", "An Giang", "Ăn", "Âu", "Bắc Ninh"]
    assert vi_sorted(words) == ["An Giang", "Ăn", "Âu", "Bắc Ninh", "Cà Mau", "Cần Thơ", "Dak Lak", "Điện Biên", "Đồng Tháp"]


def test_tones_break_ties_in_order():
    assert vi_sorted(["mạ", "má", "mã", "mả", "mà", "ma"]) == ["ma", "mà", "mả", "mã", "má", "mạ"]


def test_roman_numerals():
    assert roman_to_int("IV") == 4
    assert roman_to_int("xiv") == 14
    assert roman_to_int("IIII") is None
    assert roman_to_int("") is None
    assert int_to_roman(9) == "IX"
