import datetime as dt

import pytest
from django.utils import timezone


@pytest.fixture
def tree(org_tree):
    return org_tree


@pytest.fixture
def site(tree):
    from cchc.portal.models import PublicSite

    return PublicSite.objects.create(unit=tree.commune_a, slug="ha-giang-1", title="CCHC phường Hà Giang 1")


@pytest.fixture
def survey(tree, output_catalogue):
    """The SIPAS template survey of commune A, open now."""
    from cchc.surveys import services

    now = timezone.now()
    s = services.survey_create(user=tree.officer_a, unit=tree.commune_a, title="", opens_at=now - dt.timedelta(days=1),
                               closes_at=now + dt.timedelta(days=30), from_template=True)
    services.survey_open(survey=s, user=tree.officer_a)
    return s


def full_answers(survey, score=5, feedback="Không", overrides=None):
    """Raw answers to every required question of the template (scale `score`)."""
    from cchc.surveys.models import Question

    raw = {}
    for q in Question.objects.filter(section__survey=survey).select_related("section"):
        if q.kind == Question.Kind.SCALE:
            raw[q.pk] = [str(score)]
        elif q.kind == Question.Kind.SINGLE:
            raw[q.pk] = [feedback if "góp ý, phản ánh" in q.text else q.options[0]]
    for text, values in (overrides or {}).items():
        q = Question.objects.get(section__survey=survey, text=text)
        raw[q.pk] = values
    return raw
