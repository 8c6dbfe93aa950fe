"""Contests, entries, moderation, judging and results through the services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from cchc.clips import selectors, services
from cchc.clips.models import Entry, Vote
from cchc.core.models import AuditEvent
from cchc.outputs.models import OutputRecord
from tests.clips.helpers import make_contest, make_entry

pytestmark = pytest.mark.django_db


def test_a_contest_is_set_up_with_its_criteria_and_panel_and_audited(org_tree):
    contest = make_contest(org_tree, judges=("xa.canbo", "xa2.canbo"))
    assert [(c.name, c.weight) for c in contest.criteria.all()] == [("Nội dung, ý tưởng", 60), ("Kỹ thuật quay dựng", 40)]
    assert sorted(j.user.username for j in contest.judges.all()) == ["xa.canbo", "xa2.canbo"]
    assert AuditEvent.objects.filter(object_type="clips.contest", object_id=str(contest.pk), action="create").exists()


@pytest.mark.parametrize("criteria, judges, message", [
    ("Nội dung | nhiều", "xa.canbo", "Dòng 1"),
    ("", "xa.canbo", "tiêu chí"),
    ("Nội dung | 1", "khong.co.ai", "khong.co.ai"),
])
def test_wrong_criteria_or_judges_are_refused_in_vietnamese(org_tree, criteria, judges, message):
    with pytest.raises(services.ClipError) as refused:
        make_contest(org_tree, criteria=criteria, judges=(judges,))
    assert message in refused.value.message


def test_an_entry_is_stored_once_per_form_token_and_only_while_entries_are_open(org_tree):
    contest = make_contest(org_tree)
    first = make_entry(contest, form_token="t" * 24)
    again = make_entry(contest, form_token="t" * 24)
    assert first.pk == again.pk and Entry.objects.count() == 1
    assert first.contact == "0912345678" and first.masked_contact == "091…678"
    assert first.source == "youtube" and first.embed_url == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    closed = make_contest(org_tree, entries_open_at=timezone.now() - dt.timedelta(days=5),
                          entries_close_at=timezone.now() - dt.timedelta(days=1))
    with pytest.raises(services.ClipError, match="không nhận"):
        make_entry(closed)


def test_an_accepted_entry_counts_once_as_an_output_and_a_rejection_withdraws_it(org_tree, output_catalogue):
    contest = make_contest(org_tree)
    entry = make_entry(contest)
    assert not OutputRecord.objects.exists()
    services.entry_moderate(entry=entry, user=org_tree.supervisor, accept=True)
    services.entry_moderate(entry=entry, user=org_tree.supervisor, accept=True)
    record = OutputRecord.objects.get(source="clips.entry")
    assert record.unit == org_tree.province and record.output_type.code == "video_clip" and record.quantity == 1
    assert record.withdrawn_at is None
    with pytest.raises(services.ClipError):
        services.entry_moderate(entry=entry, user=org_tree.supervisor, accept=False)  # a reason is needed
    services.entry_moderate(entry=entry, user=org_tree.supervisor, accept=False, reason="Quá 3 phút")
    record.refresh_from_db()
    assert record.withdrawn_at is not None and OutputRecord.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="clips.entry", object_id=str(entry.pk), message="rejected").exists()


def test_scores_are_a_weighted_mean_and_judges_see_only_their_own_until_judging_closes(org_tree, output_catalogue):
    contest = make_contest(org_tree, judges=("xa.canbo", "xa2.canbo"))
    a = make_entry(contest, title="A", accept_by=org_tree.supervisor)
    b = make_entry(contest, title="B", accept_by=org_tree.supervisor)
    content, technique = contest.criteria.all()
    services.scores_save(entry=a, user=org_tree.officer_a, values={content.pk: "8", technique.pk: "6"})  # 72
    services.scores_save(entry=a, user=org_tree.officer_b, values={content.pk: "10", technique.pk: "9,5"})  # 98
    services.scores_save(entry=b, user=org_tree.officer_a, values={content.pk: "5", technique.pk: "5"})  # 50
    with pytest.raises(services.ClipError) as refused:
        services.scores_save(entry=b, user=org_tree.officer_b, values={content.pk: "11", technique.pk: "x"})
    assert set(refused.value.fields) == {f"c{content.pk}", f"c{technique.pk}"}
    with pytest.raises(services.ClipError):  # not on the panel
        services.scores_save(entry=b, user=org_tree.supervisor, values={content.pk: "5", technique.pk: "5"})

    own = selectors.results(contest, judge_id=contest.judges.get(user=org_tree.officer_a).pk, all_judges=False)
    assert {r.entry.title: r.own_total for r in own} == {"A": Decimal("72.00"), "B": Decimal("50.00")}
    assert all(r.judges_score is None for r in own)  # the others' scores are not given

    rows = {r.entry.title: r for r in selectors.results(contest)}
    assert rows["A"].judges_score == Decimal("85.00") and rows["A"].judges_count == 2
    assert rows["B"].judges_score == Decimal("50.00") and rows["B"].judges_count == 1

    services.judging_close(contest=contest, user=org_tree.supervisor)
    with pytest.raises(services.ClipError, match="Đã kết thúc chấm điểm"):
        services.scores_save(entry=b, user=org_tree.officer_b, values={content.pk: "5", technique.pk: "5"})


def test_the_final_ranking_follows_the_stated_formula(org_tree, output_catalogue):
    contest = make_contest(org_tree, judges=("xa.canbo",), judges_weight=60)
    a = make_entry(contest, title="A", accept_by=org_tree.supervisor)
    b = make_entry(contest, title="B", accept_by=org_tree.supervisor)
    content, technique = contest.criteria.all()
    services.scores_save(entry=a, user=org_tree.officer_a, values={content.pk: "9", technique.pk: "9"})  # 90
    services.scores_save(entry=b, user=org_tree.officer_a, values={content.pk: "7", technique.pk: "7"})  # 70
    for n in range(4):
        Vote.objects.create(entry=b, voter_key=f"b{n}", status=Vote.Status.COUNTED, salt="x")
    Vote.objects.create(entry=a, voter_key="a0", status=Vote.Status.COUNTED, salt="x")
    Vote.objects.create(entry=a, voter_key="a1", status=Vote.Status.HELD, salt="x")  # not counted
    rows = selectors.results(contest)
    # A: 0.6·90 + 0.4·(1/4·100) = 64; B: 0.6·70 + 0.4·100 = 82
    assert [(r.rank, r.entry.title, r.final, r.votes) for r in rows] == [
        (1, "B", Decimal("82.00"), 4), (2, "A", Decimal("64.00"), 1)]
    assert rows[1].held == 1


def test_results_are_published_only_after_judging_and_voting_close(org_tree):
    contest = make_contest(org_tree)
    with pytest.raises(services.ClipError):
        services.results_publish(contest=contest, user=org_tree.supervisor)
    services.judging_close(contest=contest, user=org_tree.supervisor)
    with pytest.raises(services.ClipError):
        services.results_publish(contest=contest, user=org_tree.supervisor)
    services.results_publish(contest=contest, user=org_tree.supervisor, now=contest.voting_close_at)
    contest.refresh_from_db()
    assert contest.results_published_at is not None and not contest.voting_open()


def _ranked_queries(contest):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        selectors.results(contest)
    return len(queries)


def test_the_ranking_reads_the_same_number_of_queries_at_3_and_30_entries(org_tree, output_catalogue):
    contest = make_contest(org_tree)
    content, technique = contest.criteria.all()

    def add(n):
        for i in range(n):
            entry = make_entry(contest, title=f"Clip {i}", accept_by=org_tree.supervisor)
            services.scores_save(entry=entry, user=org_tree.officer_a, values={content.pk: "5", technique.pk: "6"})
            Vote.objects.create(entry=entry, voter_key=f"{entry.pk}", status=Vote.Status.COUNTED, salt="x")

    add(3)
    small = _ranked_queries(contest)
    add(27)
    assert _ranked_queries(contest) == small
    assert len(selectors.results(contest)) == 30
