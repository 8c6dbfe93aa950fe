"""The catalogue is seeded and maps the counted things of plan targets to output types."""

import pytest

from cchc.outputs.catalogue import language_from_text, target_counts_people, type_for_target_unit
from cchc.outputs.models import OutputType


@pytest.mark.django_db
def test_catalogue_is_seeded_with_units_of_measure():
    types = {t.code: t for t in OutputType.objects.all()}
    assert len(types) >= 18
    assert types["training_class"].measure == "lớp" and types["training_class"].counts_people
    assert types["bulletin"].measure == "số"
    assert types["radio_report"].has_language and not types["leaflet"].has_language


@pytest.mark.parametrize("unit, code", [
    ("lớp", "training_class"), ("Lớp tập huấn", "training_class"), ("tin, bài", "portal_article"),
    ("tin bài", "portal_article"), ("bài", "portal_article"), ("chuyên mục", "broadcast_programme"),
    ("số", "bulletin"), ("cuộc thi", "contest"), ("hội nghị", "conference"), ("phóng sự truyền hình", "tv_report"),
    ("lượt phát", "loudspeaker"), ("tờ rơi", "leaflet"), ("băng rôn", "banner_slogan"), ("cuốn", "publication"),
    ("người", "training_class"), ("xyz", None),
])
def test_target_unit_maps_to_type(unit, code):
    assert type_for_target_unit(unit) == code


def test_people_targets_and_languages():
    assert target_counts_people("người") and target_counts_people("lượt người") and not target_counts_people("lớp")
    assert language_from_text("Tiếng Mông") == "mong" and language_from_text("H'Mông") == "mong"
    assert language_from_text("") == "vi" and language_from_text("Ê-đê") == "ede"
    assert language_from_text("tiếng Klingon") is None
