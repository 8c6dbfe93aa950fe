"""Sending an issue: to confirmed subscribers and to the units under the site (their public e-mails
and their members), in batches by the Celery task, with progress kept on a Sending; a second sending
mails no one twice; every mail carries the RFC 8058 one-click unsubscribe headers, and the POST to
that link works without login or CSRF token, as often as it is sent."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from cchc.bulletins import services
from cchc.bulletins.models import Delivery, Sending, Subscriber
from cchc.core.models import AuditEvent

BASE = "http://testserver/cong/ha-giang-1/"


@pytest.fixture
def published(site, articles, org_tree, output_catalogue):
    issue = services.issue_create(site=site, user=org_tree.officer_a)
    services.issue_update(issue=issue, user=org_tree.officer_a, title="", intro="Cải cách hành chính.",
                          closing="", article_ids=[articles[0].pk])
    services.issue_publish(issue=issue, user=org_tree.manager_a)
    for n in range(5):
        Subscriber.objects.create(site=site, email=f"dan{n}@example.vn", salt=f"s{n}", status=Subscriber.Status.CONFIRMED)
    Subscriber.objects.create(site=site, email="cho@example.vn", salt="p", status=Subscriber.Status.PENDING)
    Subscriber.objects.create(site=site, email="xa.canbo@example.gov.vn", salt="u", status=Subscriber.Status.UNSUBSCRIBED)
    return issue


def _expected(org_tree):
    members = {u.email for u in (org_tree.manager_a, org_tree.officer_a)} - {"xa.canbo@example.gov.vn"}
    return ({f"dan{n}@example.vn" for n in range(5)} | members
            | {"vanphong@hagiang1.tuyenquang.gov.vn", "chutich@hagiang1.tuyenquang.gov.vn"})


def test_an_issue_goes_in_batches_to_confirmed_subscribers_and_units_with_progress(published, org_tree, settings):
    settings.CCHC_BULLETIN_BATCH_SIZE = 3
    mail.outbox.clear()
    sending = services.sending_start(issue=published, user=org_tree.manager_a, base_url=BASE)
    # eager Celery ran the task on commit; pytest's transaction never commits, so run what it queued
    from cchc.bulletins.tasks import send_issue_task

    send_issue_task(sending.pk)
    sending.refresh_from_db()
    expected = _expected(org_tree)
    assert {m.to[0] for m in mail.outbox} == expected and len(mail.outbox) == len(expected)
    assert "cho@example.vn" not in {m.to[0] for m in mail.outbox}  # not confirmed
    assert (sending.total, sending.sent, sending.failed) == (len(expected), len(expected), 0)
    assert sending.finished_at is not None and sending.percent == 100
    kinds = dict(Delivery.objects.filter(issue=published).values_list("email", "kind"))
    assert kinds["dan0@example.vn"] == "subscriber" and kinds["vanphong@hagiang1.tuyenquang.gov.vn"] == "unit"
    message = mail.outbox[0]
    assert message.subject.startswith("Bản tin cải cách hành chính số 01/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith(f"<{BASE}ban-tin/huy-dang-ky/")
    assert all("List-Unsubscribe" in m.message() for m in mail.outbox)

    # sending again mails no one twice
    again = services.sending_start(issue=published, user=org_tree.manager_a, base_url=BASE)
    assert again.total == 0 and again.finished_at is not None
    assert len(mail.outbox) == len(expected)
    assert Delivery.objects.filter(issue=published).count() == len(expected)
    assert AuditEvent.objects.filter(object_type="bulletins.sending").count() >= 3


def test_a_retry_after_failures_mails_only_those_that_did_not_get_it(published, org_tree, settings, monkeypatch):
    settings.CCHC_BULLETIN_BATCH_SIZE = 2
    from django.core.mail.message import EmailMessage

    real_send = EmailMessage.send

    def refusing(self, *args, **kwargs):
        if self.to[0].startswith("dan3@"):
            raise OSError("550 mailbox unavailable")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", refusing)
    mail.outbox.clear()
    first = services.sending_run(services.sending_start(issue=published, user=org_tree.manager_a, base_url=BASE).pk)
    assert first.failed == 1 and first.sent == first.total - 1
    assert Delivery.objects.get(issue=published, email="dan3@example.vn").status == Delivery.Status.FAILED
    before = len(mail.outbox)

    monkeypatch.setattr(EmailMessage, "send", real_send)
    second = services.sending_run(services.sending_start(issue=published, user=org_tree.manager_a, base_url=BASE).pk)
    assert (second.total, second.sent, second.failed) == (1, 1, 0)
    assert [m.to[0] for m in mail.outbox[before:]] == ["dan3@example.vn"]
    recipients = [m.to[0] for m in mail.outbox]
    assert len(recipients) == len(set(recipients))


def test_the_one_click_post_unsubscribes_without_login_or_csrf_and_is_idempotent(published, org_tree):
    mail.outbox.clear()
    services.sending_run(services.sending_start(issue=published, user=org_tree.manager_a, base_url=BASE).pk)
    message = next(m for m in mail.outbox if m.to == ["dan1@example.vn"])
    url = message.extra_headers["List-Unsubscribe"].strip("<>").replace("http://testserver", "")
    browser = Client(enforce_csrf_checks=True)

    page = browser.get(url)  # the page asks first; opening it unsubscribes no one
    assert page.status_code == 200 and "<form" in page.content.decode()
    assert Subscriber.objects.get(email="dan1@example.vn").status == Subscriber.Status.CONFIRMED

    for _ in range(2):
        response = browser.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
        assert response.status_code == 200
    subscriber = Subscriber.objects.get(email="dan1@example.vn")
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED and subscriber.unsubscribed_at is not None
    assert AuditEvent.objects.filter(object_type="bulletins.subscriber", object_id=str(subscriber.pk),
                                     message="unsubscribed").count() == 1
    assert browser.post(url[:-3] + "xx/").status_code == 400  # an altered link

    # a unit's address can leave too, and the next issue skips both
    unit_message = next(m for m in mail.outbox if m.to == ["vanphong@hagiang1.tuyenquang.gov.vn"])
    browser.post(unit_message.extra_headers["List-Unsubscribe"].strip("<>").replace("http://testserver", ""))
    next_issue = services.issue_create(site=published.site, user=org_tree.manager_a)
    services.issue_update(issue=next_issue, user=org_tree.manager_a, title="", intro="", closing="",
                          article_ids=[published.items.first().article_id])
    services.issue_publish(issue=next_issue, user=org_tree.manager_a)
    mail.outbox.clear()
    services.sending_run(services.sending_start(issue=next_issue, user=org_tree.manager_a, base_url=BASE).pk)
    sent_to = {m.to[0] for m in mail.outbox}
    assert "dan1@example.vn" not in sent_to and "vanphong@hagiang1.tuyenquang.gov.vn" not in sent_to
    assert "dan2@example.vn" in sent_to


def test_only_managers_send_and_the_progress_page_refreshes_without_scripts(client, published, org_tree,
                                                                           django_capture_on_commit_callbacks):
    client.force_login(org_tree.officer_a)
    assert client.post(f"/ban-tin/{published.pk}/gui/").status_code == 404
    assert not Sending.objects.exists()
    client.force_login(org_tree.manager_a)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the eager Celery task runs on commit
        response = client.post(f"/ban-tin/{published.pk}/gui/")
    sending = Sending.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/ban-tin/{published.pk}/gui/{sending.pk}/"
    assert sending.finished_at is not None and sending.sent == sending.total == len(mail.outbox) > 0
    assert mail.outbox[0].extra_headers["List-Unsubscribe"].startswith("<http://testserver/cong/ha-giang-1/ban-tin/huy-dang-ky/")
    page = client.get(f"/ban-tin/{published.pk}/").content.decode()
    assert f"{sending.sent}/{sending.total}" in page  # the issue page shows the last sending
    Sending.objects.filter(pk=sending.pk).update(finished_at=None, sent=2)
    page = client.get(response["Location"]).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page and "<progress" in page
    assert "style=" not in page
    Sending.objects.filter(pk=sending.pk).update(finished_at=sending.started_at)
    assert 'http-equiv="refresh"' not in client.get(response["Location"]).content.decode()
    client.force_login(org_tree.officer_b)
    assert client.get(response["Location"]).status_code == 404


def test_a_draft_cannot_be_sent(site, articles, org_tree):
    issue = services.issue_create(site=site, user=org_tree.manager_a)
    with pytest.raises(services.BulletinError):
        services.sending_start(issue=issue, user=org_tree.manager_a, base_url=BASE)


def test_a_sending_whose_worker_died_is_taken_up_again(published, org_tree, settings, monkeypatch):
    """A worker killed after claiming a batch leaves its deliveries "being sent" and the sending unfinished,
    which would block every later sending of the issue; after 15 minutes without progress the beat's job
    hands them back and runs the task again: everyone gets the issue."""
    import datetime as dt

    from django.utils import timezone

    from cchc.bulletins import tasks

    settings.CCHC_BULLETIN_BATCH_SIZE = 3
    mail.outbox.clear()
    monkeypatch.setattr(tasks.send_issue_task, "delay", lambda pk: None)  # the worker never comes
    sending = services.sending_start(issue=published, user=org_tree.manager_a, base_url=BASE)
    services._claim_batch(sending, 3)  # ... or dies right after claiming a batch
    assert Delivery.objects.filter(issue=published, status=Delivery.Status.SENDING).count() == 3
    now = timezone.now()
    assert services.resume_stalled(now=now + dt.timedelta(minutes=5)) == []  # not yet: it may be working
    ran = []
    monkeypatch.setattr(tasks.send_issue_task, "delay", lambda pk: ran.append(pk))
    from django.db import transaction

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(transaction, "on_commit", lambda fn, using=None, robust=False: fn())
        assert services.resume_stalled(now=now + dt.timedelta(minutes=16)) == [sending.pk]
    assert ran == [sending.pk]
    assert not Delivery.objects.filter(issue=published, status=Delivery.Status.SENDING).exists()
    sending = services.sending_run(sending.pk)
    expected = _expected(org_tree)
    assert {m.to[0] for m in mail.outbox} == expected and sending.finished_at is not None
    assert services.resume_stalled(now=now + dt.timedelta(hours=2)) == []  # finished: nothing to take up
