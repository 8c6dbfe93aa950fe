"""Reporting periods in words on pages."""


def test_period_codes_read_as_words():
    from cchc.core.templatetags.period_tags import period_names

    assert period_names(["Q1", "H1", "Q3", "Y"]) == "Quý I, 6 tháng đầu năm, Quý III, Năm"
    assert period_names(["9M"]) == "9 tháng" and period_names(["Q2", "Y"], 2026) == "Quý II/2026, Năm 2026"
