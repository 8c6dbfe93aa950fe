"""Every write of the video-clip contests goes through these functions: keyword-only, atomic,
validated, audited (the public's votes are their own record: each row keeps when, from which network
address and which browser it came).

Scoring, in words the results page repeats:
- a judge's score of an entry is the weighted mean of the criteria, each as a share of its highest
  score, on 100 points; it counts once the judge has scored every criterion;
- the judges' score of an entry is the mean of its judges' scores;
- the public's score is the entry's counted votes as a share of the most-voted entry's, on 100;
- the final score is judges_weight % of the judges' score plus the rest of the public's score;
  ties go to the higher judges' score, then to more votes, then to the earlier entry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.core import audit
from cchc.core.text import nfc

from . import video
from .models import Contest, Criterion, Entry, Judge, Score, Vote

logger = logging.getLogger(__name__)

SOURCE = "clips.entry"
CONFIRM_DAYS = 3


class ClipError(Exception):
    """What cannot be done, said for the user; `fields` maps a form field to its message."""

    def __init__(self, message: str, *, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


# ---------------------------------------------------------------- the contest

def parse_criteria(text: str) -> list[tuple[str, int]]:
    """'Nội dung, ý tưởng | 40' per line → [(name, weight)]; a line without a weight weighs 1."""
    rows = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = nfc(line).strip()
        if not line:
            continue
        name, _sep, weight = line.rpartition("|") if "|" in line else (line, "", "1")
        name, weight = name.strip(), weight.strip() or "1"
        if not name or not weight.isdigit() or not 1 <= int(weight) <= 1000:
            raise ClipError(_("Line %(n)d of the criteria: write the criterion, a bar and a whole weight from 1 "
                              "to 1000, e.g. “Nội dung, ý tưởng | 40”.") % {"n": number}, fields={"criteria": ""})
        rows.append((name[:200], int(weight)))
    if not rows:
        raise ClipError(_("Give at least one judging criterion."), fields={"criteria": ""})
    return rows


def _judge_users(text: str) -> list:
    names = [n.strip() for n in (text or "").replace(",", "\n").splitlines() if n.strip()]
    users = {u.get_username().lower(): u for u in get_user_model().objects.filter(
        username__in=names, is_active=True)}
    missing = [n for n in names if n.lower() not in users]
    if missing:
        raise ClipError(_("No active user has the user name %(names)s. Check the spelling.")
                        % {"names": ", ".join(f"“{n}”" for n in missing)}, fields={"judges": ""})
    return list({u.pk: u for u in users.values()}.values())


def _snap(contest: Contest) -> dict:
    return {**audit.snapshot(contest),
            "criteria": [[c.name, c.weight, c.max_score] for c in contest.criteria.all()],
            "judges": sorted(j.user.get_username() for j in contest.judges.select_related("user"))}


@transaction.atomic
def contest_save(*, user, unit=None, contest: Contest | None = None, title: str, rules: str,
                 entries_open_at: dt.datetime, entries_close_at: dt.datetime, voting_open_at: dt.datetime,
                 voting_close_at: dt.datetime, judges_weight: int, is_public: bool, criteria: str,
                 judges: str) -> Contest:
    """Create a contest of `unit`, or change `contest`: its windows, criteria (while no score is given)
    and panel."""
    is_new = contest is None
    if is_new:
        contest = Contest(unit=unit, created_by=user)
        before = None
    else:
        contest = Contest.objects.select_for_update().get(pk=contest.pk)
        before = _snap(contest)
    rows = parse_criteria(criteria)
    judge_users = _judge_users(judges)
    if entries_close_at <= entries_open_at:
        raise ClipError(_("Entries must close after they open."), fields={"entries_close_at": ""})
    if voting_close_at <= voting_open_at:
        raise ClipError(_("Voting must close after it opens."), fields={"voting_close_at": ""})
    if not 0 <= judges_weight <= 100:
        raise ClipError(_("The judges' weight is a percentage from 0 to 100."), fields={"judges_weight": ""})
    contest.title, contest.rules = nfc(title).strip(), nfc(rules).strip()
    contest.entries_open_at, contest.entries_close_at = entries_open_at, entries_close_at
    contest.voting_open_at, contest.voting_close_at = voting_open_at, voting_close_at
    contest.judges_weight, contest.is_public = judges_weight, is_public
    contest.full_clean(exclude=["unit", "created_by"])
    contest.save()
    current = [(c.name, c.weight) for c in contest.criteria.all()]
    if current != rows:
        if Score.objects.filter(entry__contest=contest).exists():
            raise ClipError(_("The judges have started scoring: the criteria can no longer change."),
                            fields={"criteria": ""})
        contest.criteria.all().delete()
        Criterion.objects.bulk_create(Criterion(contest=contest, name=name, weight=weight, order=i)
                                      for i, (name, weight) in enumerate(rows))
    keep = {u.pk for u in judge_users}
    contest.judges.exclude(user_id__in=keep).delete()
    have = set(contest.judges.values_list("user_id", flat=True))
    Judge.objects.bulk_create(Judge(contest=contest, user=u) for u in judge_users if u.pk not in have)
    _forget_pages(contest)
    audit.record(actor=user, action="create" if is_new else "update", obj=contest, before=before,
                 after=_snap(contest))
    return contest


def _forget_pages(contest: Contest) -> None:
    from cchc.portal.sites import invalidate_unit

    unit = contest.unit
    transaction.on_commit(lambda: invalidate_unit(unit))


@transaction.atomic
def judging_close(*, contest: Contest, user) -> Contest:
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    if contest.judging_closed_at is None:
        before = audit.snapshot(contest)
        contest.judging_closed_at = timezone.now()
        contest.save(update_fields=["judging_closed_at", "updated_at"])
        audit.record(actor=user, action="update", obj=contest, before=before, message="judging closed")
    return contest


@transaction.atomic
def results_publish(*, contest: Contest, user, now=None) -> Contest:
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    now = now or timezone.now()
    if contest.judging_closed_at is None:
        raise ClipError(_("Close judging before publishing the results."))
    if now < contest.voting_close_at:
        raise ClipError(_("Voting is still open until %(when)s: publish the results after it closes.")
                        % {"when": timezone.localtime(contest.voting_close_at).strftime("%H:%M %d/%m/%Y")})
    if contest.results_published_at is None:
        before = audit.snapshot(contest)
        contest.results_published_at = now
        contest.save(update_fields=["results_published_at", "updated_at"])
        audit.record(actor=user, action="update", obj=contest, before=before, message="results published")
        _forget_pages(contest)
    return contest


# ---------------------------------------------------------------- entries

def _entry_snap(entry: Entry) -> dict:
    # the audit log keeps the contact masked
    return {**audit.snapshot(entry, exclude=("created_at", "updated_at", "contact")), "contact": entry.masked_contact}


def normalise_contact(value: str) -> str:
    value = nfc(value or "").strip()
    if "@" in value:
        try:
            validate_email(value.lower())
        except ValidationError:
            raise ClipError(_("“%(value)s” is not an e-mail address. Write it as name@example.vn.")
                            % {"value": value[:100]}, fields={"contact": ""}) from None
        return value.lower()
    digits = "".join(ch for ch in value if ch.isdigit())
    if value.startswith("+84"):
        digits = "0" + digits[2:]
    if not (len(digits) == 10 and digits.startswith("0")):
        raise ClipError(_("Give a phone number of 10 digits (e.g. 0912 345 678) or an e-mail address."),
                        fields={"contact": ""})
    return digits


def entry_submit(*, contest: Contest, author_name: str, contact: str, organisation: str, title: str,
                 description: str, video_link: str = "", video_file=None, consent: bool,
                 ip_address: str | None = None, form_token: str | None = None, now=None) -> Entry:
    """Store an entry once per form token (a repeat of the same post finds the first one)."""
    if form_token:
        first = Entry.objects.filter(form_token=form_token).first()
        if first is not None:
            return first
    if not contest.entries_open(now):
        raise ClipError(_("This contest does not take entries now."))
    if not consent:
        raise ClipError(_("Tick that you agree to the rules to send the entry."), fields={"consent": ""})
    if bool(video_link) == bool(video_file):
        raise ClipError(_("Give the link of the clip, or send its file — one of the two."),
                        fields={"video_link": ""})
    entry = Entry(contest=contest, author_name=nfc(author_name).strip()[:200], contact=normalise_contact(contact),
                  organisation=nfc(organisation).strip()[:300], title=nfc(title).strip()[:300],
                  description=nfc(description).strip()[:5000], consent=True, ip_address=ip_address,
                  form_token=form_token or None)
    try:
        if video_link:
            entry.source, entry.video_id, entry.video_url = video.parse_link(video_link)
        else:
            ext = video.check_file(video_file)
            entry.source = Entry.Source.FILE
            video_file.name = f"{secrets.token_hex(12)}{ext}"  # no name the sender chose on the disk
            entry.video_file = video_file
    except video.VideoRefused as exc:
        raise ClipError(str(exc), fields={"video_file" if video_file else "video_link": ""}) from None
    try:
        with transaction.atomic():
            entry.full_clean(exclude=["video_file", "video_url"])
            entry.save()
            audit.record(action="create", obj=entry, after=_entry_snap(entry), message="sent on the public site")
    except IntegrityError:
        first = Entry.objects.filter(form_token=form_token).first() if form_token else None
        if first is None:
            raise
        return first
    return entry


@transaction.atomic
def entry_moderate(*, entry: Entry, user, accept: bool, reason: str = "", request=None) -> Entry:
    """Accept an entry (it is shown, voted on, judged and counted once as an output of the contest's
    unit) or reject it with a reason (taken off the public site, its output withdrawn)."""
    from cchc.outputs.services import output_record_from_source, output_record_withdraw

    entry = Entry.objects.select_for_update().select_related("contest", "contest__unit").get(pk=entry.pk)
    reason = nfc(reason or "").strip()[:500]
    if not accept and not reason:
        raise ClipError(_("Say why the entry is rejected: the reason is kept with it."), fields={"reason": ""})
    status = Entry.Status.ACCEPTED if accept else Entry.Status.REJECTED
    if entry.status == status and entry.reject_reason == (reason if not accept else ""):
        return entry
    before = _entry_snap(entry)
    entry.status, entry.reject_reason = status, ("" if accept else reason)
    entry.moderated_by, entry.moderated_at = user, timezone.now()
    entry.save(update_fields=["status", "reject_reason", "moderated_by", "moderated_at", "updated_at"])
    audit.record(actor=user, action="update", obj=entry, before=before, after=_entry_snap(entry),
                 message="accepted" if accept else "rejected")
    if accept:
        output_record_from_source(source=SOURCE, source_ref=str(entry.pk), unit=entry.contest.unit,
                                  output_type="video_clip", date=timezone.localdate(entry.moderated_at),
                                  title=f"{entry.title} — {entry.contest.title}",
                                  link=entry.video_url or public_entry_link(entry, request))
    else:
        output_record_withdraw(source=SOURCE, source_ref=str(entry.pk))
    _forget_pages(entry.contest)
    return entry


def public_entry_link(entry: Entry, request=None) -> str:
    from cchc.portal.models import PublicSite

    site = PublicSite.objects.filter(unit_id=entry.contest.unit_id, is_public=True).first()
    if site is None:
        return ""
    link = site.absolute_url(f"cuoc-thi-video/tac-pham/{entry.pk}/", request=request)
    return link if link.startswith(("https://", "http://")) else ""  # an output's link is a whole address


# ---------------------------------------------------------------- judging

@transaction.atomic
def scores_save(*, entry: Entry, user, values: dict) -> list[Score]:
    """A judge's scores of an accepted entry, criterion by criterion ({criterion id: score}); each
    within 0 and the criterion's highest score. Changing them is possible until judging closes."""
    contest = Contest.objects.select_for_update().get(pk=entry.contest_id)
    judge = Judge.objects.filter(contest=contest, user=user).first()
    if judge is None:
        raise ClipError(_("Only the contest's judges score its entries."))
    if contest.judging_closed_at is not None:
        raise ClipError(_("Judging is closed: the scores can no longer change."))
    if entry.status != Entry.Status.ACCEPTED:
        raise ClipError(_("Only accepted entries are scored."))
    criteria = list(contest.criteria.all())
    clean, errors = {}, {}
    for criterion in criteria:
        raw = str(values.get(criterion.pk, "") or "").strip().replace(",", ".")
        try:
            value = Decimal(raw)
        except InvalidOperation:
            errors[f"c{criterion.pk}"] = _("Give a score from 0 to %(max)d.") % {"max": criterion.max_score}
            continue
        if not value.is_finite() or not 0 <= value <= criterion.max_score or value != value.quantize(Decimal("0.01")):
            errors[f"c{criterion.pk}"] = _("Give a score from 0 to %(max)d.") % {"max": criterion.max_score}
            continue
        clean[criterion.pk] = value
    if errors:
        raise ClipError(_("Some scores are not right: correct what is marked."), fields=errors)
    have = {s.criterion_id: s for s in Score.objects.select_for_update().filter(entry=entry, judge=judge)}
    before = {str(k): str(s.value) for k, s in have.items()}
    saved = []
    for criterion in criteria:
        score = have.get(criterion.pk)
        if score is None:
            score = Score.objects.create(entry=entry, judge=judge, criterion=criterion, value=clean[criterion.pk])
        elif score.value != clean[criterion.pk]:
            score.value = clean[criterion.pk]
            score.save(update_fields=["value", "updated_at"])
        saved.append(score)
    audit.record(actor=user, action="update", obj=entry, before={"scores": before},
                 after={"scores": {str(k): str(v) for k, v in clean.items()}}, message=f"scored by judge {judge.pk}")
    return saved


# ---------------------------------------------------------------- the public's votes

def normalise_voter_email(value: str) -> str:
    """The address as one person: lower case, without a "+tag", and for Gmail without dots (they all
    reach the same mailbox)."""
    email = (value or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ClipError(_("“%(value)s” is not an e-mail address. Write it as name@example.vn.")
                        % {"value": (value or "").strip()[:100]}, fields={"email": ""}) from None
    name, _at, domain = email.rpartition("@")
    name = name.split("+", 1)[0] or name
    if domain in ("gmail.com", "googlemail.com"):
        name, domain = name.replace(".", ""), "gmail.com"
    return f"{name}@{domain}"


def voter_key(contest: Contest, email: str) -> str:
    secret = hashlib.sha256(f"cchc.clips.voter:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(secret, f"{contest.pk}:{email}".encode(), hashlib.sha256).hexdigest()


def _count(key: str, seconds: int) -> int:
    if cache.add(key, 1, seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:
        cache.set(key, 1, seconds)
        return 1


def entry_rate_limited(address: str | None) -> bool:
    """Count an entry sent from `address`; True past CCHC_CLIP_ENTRIES_PER_HOUR this hour."""
    now = timezone.now()
    return _count(f"clips:entry:{address or 'unknown'}:{now:%Y%m%d%H}", 3600) > getattr(
        settings, "CCHC_CLIP_ENTRIES_PER_HOUR", 5)


def vote_rate_limited(address: str | None) -> bool:
    """Count a vote request from `address`; True past CCHC_CLIP_VOTE_REQUESTS_PER_HOUR this hour."""
    now = timezone.now()
    return _count(f"clips:vote:{address or 'unknown'}:{now:%Y%m%d%H}", 3600) > getattr(
        settings, "CCHC_CLIP_VOTE_REQUESTS_PER_HOUR", 30)


def _burst(contest: Contest, ip_address: str | None, device: str, now) -> str:
    """Why a vote looks like part of a burst ("" when it does not): more than CCHC_CLIP_BURST_VOTES
    votes for the contest from the same network address or the same browser in CCHC_CLIP_BURST_MINUTES."""
    limit = getattr(settings, "CCHC_CLIP_BURST_VOTES", 5)
    since = now - dt.timedelta(minutes=getattr(settings, "CCHC_CLIP_BURST_MINUTES", 10))
    recent = Vote.objects.filter(entry__contest=contest, created_at__gte=since)
    if device and recent.filter(device=device).count() >= limit:
        return _("many votes from one browser in a short time")
    if ip_address and recent.filter(ip_address=ip_address).count() >= limit:
        return _("many votes from one network address in a short time")
    return ""


def confirm_token(vote: Vote) -> str:
    return signing.TimestampSigner(salt=f"cchc.clips.vote.{vote.salt}").sign(str(vote.pk))


def vote_for_token(token: str) -> Vote | None:
    head, sep, _rest = (token or "").partition(":")
    if not sep or not head.isdigit() or len(token) > 200:
        return None
    vote = Vote.objects.select_related("entry", "entry__contest").filter(pk=int(head)).first()
    if vote is None:
        return None
    try:
        signing.TimestampSigner(salt=f"cchc.clips.vote.{vote.salt}").unsign(token, max_age=CONFIRM_DAYS * 86400)
    except signing.BadSignature:
        return None
    return vote


def vote_request(*, entry: Entry, email: str, ip_address: str | None, device: str, confirm_url, now=None) -> Vote:
    """Ask to vote for an accepted entry: a vote waiting for confirmation is stored (once per voter and
    entry) and a link to confirm it is mailed. `confirm_url(token)` gives the link's address. A voter
    who already voted for the entry is refused (ClipError)."""
    now = now or timezone.now()
    contest = entry.contest
    if entry.status != Entry.Status.ACCEPTED:
        raise ClipError(_("This entry cannot be voted for."))
    if not contest.voting_open(now):
        raise ClipError(_("Voting is not open now."))
    address = normalise_voter_email(email)
    key = voter_key(contest, address)
    with transaction.atomic():
        vote = Vote.objects.select_for_update().filter(entry=entry, voter_key=key).first()
        if vote is not None and vote.status != Vote.Status.PENDING:
            raise ClipError(_("This e-mail address has already voted for this entry: one vote per person "
                              "per entry."), fields={"email": ""})
        if vote is None:
            try:
                with transaction.atomic():
                    vote = Vote.objects.create(entry=entry, voter_key=key, ip_address=ip_address,
                                               device=(device or "")[:64], salt=secrets.token_hex(8),
                                               suspicious=_burst(contest, ip_address, device, now))
            except IntegrityError:  # the same voter's other request at the same moment
                raise ClipError(_("This e-mail address has already voted for this entry: one vote per person "
                                  "per entry."), fields={"email": ""}) from None
    # requests for one address must not flood its owner's mailbox
    if _count(f"clips:mail:{key}:{now:%Y%m%d%H}", 3600) > 3:
        return vote
    context = {"entry": entry, "contest": contest, "link": confirm_url(confirm_token(vote)), "days": CONFIRM_DAYS}
    try:
        send_mail(_("Confirm your vote: %(title)s") % {"title": entry.title[:120]},
                  render_to_string("clips/email/confirm_vote.txt", context), settings.DEFAULT_FROM_EMAIL,
                  [email.strip()])
    except Exception:  # a mail server down: the voter may ask again; nothing is lost
        logger.exception("clip vote confirmation e-mail for entry %s failed", entry.pk)
    return vote


@transaction.atomic
def vote_confirm(*, token: str, now=None) -> Vote | None:
    """Follow the link of the e-mail: the vote counts, or is held for the organiser when it came in a
    burst. None for a forged, altered or expired link, or when voting has closed."""
    now = now or timezone.now()
    vote = vote_for_token(token)
    if vote is None:
        return None
    vote = Vote.objects.select_for_update().select_related("entry", "entry__contest").get(pk=vote.pk)
    if vote.status == Vote.Status.PENDING:
        if not vote.entry.contest.voting_open(now) or vote.entry.status != Entry.Status.ACCEPTED:
            return None
        vote.status = Vote.Status.HELD if vote.suspicious else Vote.Status.COUNTED
        vote.confirmed_at = now
        vote.save(update_fields=["status", "confirmed_at"])
    return vote


@transaction.atomic
def vote_review(*, vote: Vote, user, count: bool) -> Vote:
    """The organiser's decision on a held vote: counted, or discarded."""
    vote = Vote.objects.select_for_update().select_related("entry", "entry__contest").get(pk=vote.pk)
    if vote.status not in (Vote.Status.HELD, Vote.Status.COUNTED, Vote.Status.DISCARDED):
        raise ClipError(_("This vote is not confirmed yet."))
    if vote.entry.contest.results_published_at is not None:
        raise ClipError(_("The results are published: votes can no longer change."))
    before = {"status": vote.status}
    vote.status = Vote.Status.COUNTED if count else Vote.Status.DISCARDED
    vote.reviewed_by = user
    vote.save(update_fields=["status", "reviewed_by"])
    audit.record(actor=user, action="update", obj=vote, before=before,
                 after={"status": vote.status, "suspicious": vote.suspicious}, object_repr=f"vote for {vote.entry}",
                 message="held vote counted" if count else "held vote discarded")
    return vote
