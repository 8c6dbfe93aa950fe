"""The public's votes: confirmed by e-mail, one per person per entry, limited and held in a burst."""

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from cchc.clips import selectors, services
from cchc.clips.models import Vote
from tests.clips.helpers import make_contest, make_entry

pytestmark = pytest.mark.django_db


def _link_token():
    body = mail.outbox[-1].body
    return body.split("/binh-chon/")[1].split("/")[0]


def _vote(entry, email, ip="203.0.113.5", device="dev-1"):
    return services.vote_request(entry=entry, email=email, ip_address=ip, device=device,
                                 confirm_url=lambda t: f"https://example.vn/cong/tq/cuoc-thi-video/binh-chon/{t}/")


@pytest.fixture
def entry(org_tree, output_catalogue):
    return make_entry(make_contest(org_tree), accept_by=org_tree.supervisor)


def test_a_vote_counts_once_its_e_mail_link_is_followed_and_only_once_per_person(entry):
    vote = _vote(entry, "Hoa.Nguyen+thi@gmail.com")
    assert vote.status == Vote.Status.PENDING and len(mail.outbox) == 1
    assert "hoa" not in vote.voter_key.lower() and len(vote.voter_key) == 64  # the address is not kept
    assert services.vote_confirm(token=_link_token()).status == Vote.Status.COUNTED
    assert services.vote_confirm(token=_link_token()).status == Vote.Status.COUNTED  # a second click: the same vote
    with pytest.raises(services.ClipError, match="đã bình chọn"):
        _vote(entry, "hoanguyen@gmail.com")  # the same Gmail mailbox written another way
    assert selectors.results(entry.contest)[0].votes == 1
    _vote(entry, "lan@example.vn")
    services.vote_confirm(token=_link_token())
    assert selectors.results(entry.contest)[0].votes == 2


def test_the_database_refuses_a_second_vote_of_the_same_voter(entry):
    Vote.objects.create(entry=entry, voter_key="k", salt="s")
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(entry=entry, voter_key="k", salt="t")


def test_forged_or_altered_links_count_nothing(entry):
    _vote(entry, "lan@example.vn")
    token = _link_token()
    assert services.vote_confirm(token=token[:-2] + "xx") is None
    assert services.vote_confirm(token="1:abc") is None
    assert Vote.objects.get().status == Vote.Status.PENDING


def test_a_burst_from_one_browser_is_held_for_the_organiser(entry, settings, org_tree):
    settings.CCHC_CLIP_BURST_VOTES = 3
    statuses = []
    for n in range(5):
        _vote(entry, f"nguoi{n}@example.vn", ip=f"198.51.100.{n}", device="same-browser")
        statuses.append(services.vote_confirm(token=_link_token()).status)
    assert statuses == ["counted"] * 3 + ["held"] * 2
    row = selectors.results(entry.contest)[0]
    assert (row.votes, row.held) == (3, 2)
    held = list(selectors.held_votes(entry.contest))
    services.vote_review(vote=held[0], user=org_tree.supervisor, count=True)
    services.vote_review(vote=held[1], user=org_tree.supervisor, count=False)
    row = selectors.results(entry.contest)[0]
    assert (row.votes, row.held) == (4, 0)


def test_a_burst_from_one_network_address_is_held_too(entry, settings):
    settings.CCHC_CLIP_BURST_VOTES = 2
    for n in range(3):
        _vote(entry, f"nguoi{n}@example.vn", ip="203.0.113.9", device=f"dev-{n}")
        services.vote_confirm(token=_link_token())
    assert list(Vote.objects.order_by("pk").values_list("status", flat=True)) == ["counted", "counted", "held"]
    assert "địa chỉ mạng" in Vote.objects.get(status="held").suspicious


def test_votes_only_for_accepted_entries_while_voting_is_open(org_tree, output_catalogue):
    contest = make_contest(org_tree)
    pending = make_entry(contest)
    with pytest.raises(services.ClipError):
        _vote(pending, "lan@example.vn")
    with pytest.raises(services.ClipError) as refused:
        _vote(pending, "không phải thư")
    assert refused.value.message
