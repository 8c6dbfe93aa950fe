"""Public pages of citizens' feedback (phản ánh, kiến nghị — PAKN) on a unit's public site, no account
needed: the form that sends a petition and gives its tracking code, the page that follows it with the
code and the contact given, the published questions and answers, and the hotlines of the site's units.

- The form is never served from the page cache (it holds the visitor's CSRF and form tokens).
- A repeat of the same form (a double click, the browser's "resend") finds the item stored by the first
  one (`Item.form_token` is unique) and answers with the same page: one petition, one code.
- Floods: a honeypot field, and per-address limits per minute and per day (the address is
  `cchc.core.middleware.client_ip`, which believes X-Forwarded-For only behind the trusted proxies).
  The counts live in the cache: shared by every process when CACHE_URL names a Redis server.
- Tracking answers "not found" alike for an unknown code and a wrong contact, and is limited per
  address too, so codes cannot be tried one after the other.
- A database that cannot be reached: the write transaction fails as a whole (nothing half-stored) and
  `cchc.core.middleware.WriteTransactionMiddleware` answers with its "Thử lại" page holding what was
  typed.
"""

from __future__ import annotations

import logging
import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from cchc.core.middleware import client_ip
from cchc.core.text import fold, vi_sorted
from cchc.org.models import Unit
from cchc.org.permissions import pk_or_404
from cchc.portal.models import PublicSite
from cchc.portal.sites import cached_public_page, generation
from cchc.portal.views import public_context, site_for

from .models import Item
from .public_forms import ATTACHMENT_TYPES, IntakeForm, TrackForm, max_file_bytes, max_files

logger = logging.getLogger(__name__)

PAGE_SIZE = 20
DONE_MAX_AGE = 7 * 24 * 3600  # the page with the code can be opened again for a week
_DONE_SALT = "feedback.public.done"


# ---------------------------------------------------------------- limits per address

def _count(key: str, seconds: int) -> int:
    if cache.add(key, 1, seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        return 1


def _submit_keys(address: str | None) -> tuple[str, str]:
    now, who = timezone.now(), address or "unknown"
    return f"feedback:submit:m:{who}:{now:%Y%m%d%H%M}", f"feedback:submit:d:{who}:{now:%Y%m%d}"


def submit_reserve(address: str | None) -> bool:
    """Take one of the petitions `address` may send: CCHC_FEEDBACK_SUBMITS_PER_MINUTE in this minute and
    CCHC_FEEDBACK_SUBMITS_PER_DAY today. Taken at once with the cache's atomic increment, so that a burst
    of parallel posts cannot all pass before any is counted; False (and nothing taken) past a limit. A try
    that stores nothing gives its place back (`submit_release`): a form sent again after a database outage
    is not held back by the tries that failed."""
    minute, day = _submit_keys(address)
    per_minute = getattr(settings, "CCHC_FEEDBACK_SUBMITS_PER_MINUTE", 3)
    per_day = getattr(settings, "CCHC_FEEDBACK_SUBMITS_PER_DAY", 20)
    in_minute, in_day = _count(minute, 60), _count(day, 86400)  # both taken, so both given back below
    if in_minute > per_minute or in_day > per_day:
        submit_release(address)
        return False
    return True


def submit_release(address: str | None) -> None:
    for key in _submit_keys(address):
        try:
            if (cache.get(key) or 0) > 0:
                cache.decr(key)
        except ValueError:  # expired meanwhile: nothing to give back
            pass


def track_limited(address: str | None) -> bool:
    """Count one lookup from `address`; True past CCHC_FEEDBACK_LOOKUPS_PER_MINUTE in this minute or
    CCHC_FEEDBACK_LOOKUPS_PER_HOUR in this hour (right and wrong lookups alike)."""
    now, who = timezone.now(), address or "unknown"
    per_minute = getattr(settings, "CCHC_FEEDBACK_LOOKUPS_PER_MINUTE", 10)
    per_hour = getattr(settings, "CCHC_FEEDBACK_LOOKUPS_PER_HOUR", 30)
    minute = _count(f"feedback:track:m:{who}:{now:%Y%m%d%H%M}", 60)
    hour = _count(f"feedback:track:h:{who}:{now:%Y%m%d%H}", 3600)
    return minute > per_minute or hour > per_hour


# ---------------------------------------------------------------- what a site offers

def site_unit_paths(site) -> list[str]:
    """The units whose petitions and answers the site shows: its own and those below it."""
    return [site.unit.path]


def concerned_units(site) -> list[tuple[int, str]]:
    """The units a citizen may name on the site's form: the site's own and those right below it
    (a province's departments and communes), in Vietnamese order after the site's own."""
    key = f"feedback:units:{site.pk}:{generation(site.pk)}"
    found = cache.get(key)
    if found is None:
        unit = site.unit
        below = Unit.objects.current().filter(parent=unit).only("pk", "name")
        found = [(unit.pk, unit.name)] + [(u.pk, u.name) for u in vi_sorted(below, key=lambda u: u.name)]
        cache.set(key, found, 3600)
    return found


def procedure_finder(site):
    """(text, chosen pk) → (the procedure, None) or (None, candidates): in force in the site's catalogue,
    by national code, by its exact name with or without accents, or by words of its name."""
    from cchc.procedures import search as procedure_search
    from cchc.procedures.public import active

    def find(text: str, chosen: int | None):
        procedures = active(site)
        if chosen:
            procedure = procedures.filter(pk=chosen).first()
            if procedure is not None and (not text or fold(text) in (fold(procedure.name), fold(procedure.code))):
                return procedure, []
        if not text:
            return None, []
        query = procedure_search.parse(text)
        if not query:
            return None, []
        exact = list(procedures.filter(search_name=fold(" ".join(text.split())))[:2])
        if len(exact) == 1:
            return exact[0], []
        found = list(procedure_search.search(procedures, query)[:8])
        if len(found) == 1:
            return found[0], []
        return None, found

    return find


# ---------------------------------------------------------------- the form

def _done_url(site, item) -> str:
    token = signing.dumps({"i": item.pk, "s": site.pk}, salt=_DONE_SALT, compress=True)
    return site.path(f"phan-anh-kien-nghi/da-gui/{token}/")


def _form_context(request, site, form, status_hint=None) -> dict:
    return public_context(
        request, site, form=form, units=concerned_units(site), accept=",".join(sorted(ATTACHMENT_TYPES)),
        types=", ".join(t.lstrip(".") for t in sorted(ATTACHMENT_TYPES)), max_files=max_files(),
        max_file_mb=max_file_bytes() // 1048576, candidates=form.candidates,
        procedure_obj=(form.cleaned_data.get("procedure_obj") if hasattr(form, "cleaned_data") else None),
    )


def _item_by_token(token: str):
    return Item.objects.filter(form_token=token).first() if token else None


def _posted_token(request) -> str:
    from cchc.core.idempotency import posted_token

    return posted_token(request)


@never_cache
@require_http_methods(["GET", "POST"])
def submit(request, slug):
    from .services import FeedbackError

    site = site_for(request, slug)
    files = request.FILES.getlist("attachments") if request.method == "POST" else []
    initial = {"form_token": secrets.token_urlsafe(24)}
    if request.method == "GET" and (request.GET.get("thu-tuc") or "").isdigit():
        procedure = procedure_finder(site)("", int(request.GET["thu-tuc"]))[0]
        if procedure is not None:
            initial.update(procedure=procedure.pk, procedure_text=procedure.name)
    form = IntakeForm(request.POST or None, procedures=procedure_finder(site), units=concerned_units(site),
                      files_list=files, initial=initial)
    status = 200
    if request.method == "POST":
        token = _posted_token(request)
        first = _item_by_token(token)
        if first is not None:  # the same form again: the first one's page
            return redirect(_done_url(site, first))
        if form.is_robot:
            return render(request, "feedback/public/robot.html", public_context(request, site))
        status = 400
        if form.is_valid():
            address = client_ip(request)
            if not submit_reserve(address):
                form.add_error(None, _("Too many petitions came from your network in a short time. Wait a minute "
                                       "and send it again; what you typed is kept below."))
                status = 429
            else:
                stored = False
                try:
                    item = _store(site, form, token, files, request)
                    stored = True
                except FeedbackError as exc:
                    for field, message in (exc.fields or {None: exc.message}).items():
                        form.add_error(field if field in form.fields else None, message)
                finally:
                    if not stored:  # refused, or the database could not be reached: the place is given back
                        submit_release(address)
                if stored:
                    return redirect(_done_url(site, item))
        _keep_for_retry(form, token)
    return render(request, "feedback/public/submit.html", _form_context(request, site, form), status=status)


def _keep_for_retry(form, token: str) -> None:
    """The form shown again keeps its token (nothing was stored with it) and the procedure found."""
    data = form.data.copy()
    data["form_token"] = token or secrets.token_urlsafe(24)
    found = form.cleaned_data.get("procedure_obj") if hasattr(form, "cleaned_data") else None
    if found is not None:
        data["procedure"], data["procedure_text"] = str(found.pk), found.name
    form.data = data


def _store(site, form, token: str, files, request):
    """Store the petition once for this form token (`feedback_submit` finds the item a concurrent
    repeat of the same post stored first)."""
    from . import services

    data = form.cleaned_data
    with transaction.atomic():
        return services.feedback_submit(
            site_unit=site.unit, name=data["name"], phone=data["phone"], email=data["email"],
            address=data["address"], subject=data["subject"], content=data["content"],
            procedure=data["procedure_obj"], concerned_unit=_unit(data.get("unit")), attachments=files,
            ip_address=client_ip(request), consent_to_publish=data["consent_publish"], form_token=token or None)


def _unit(pk):
    return Unit.objects.filter(pk=pk).first() if pk else None


@never_cache
@require_GET
def done(request, slug, token):
    site = site_for(request, slug)
    try:
        value = signing.loads(token, salt=_DONE_SALT, max_age=DONE_MAX_AGE)
    except signing.BadSignature:
        value = None
    item = None
    if isinstance(value, dict) and value.get("s") == site.pk:
        item = Item.objects.select_related("item_type", "handling_unit").filter(pk=value.get("i")).first()
    if item is None:
        return render(request, "feedback/public/done_expired.html", public_context(request, site), status=404)
    days = item.item_type.classify_days + item.item_type.answer_days + item.item_type.approve_days
    return render(request, "feedback/public/done.html", public_context(
        request, site, item=item, days=days, track_url=site.path("phan-anh-kien-nghi/tra-cuu/") + "?"
        + urlencode({"ma": item.code})))


# ---------------------------------------------------------------- following a petition

@never_cache
@require_http_methods(["GET", "POST"])
def track(request, slug):
    """The status of a petition for its code and the contact given with it: an unknown code and a
    wrong contact get the same answer."""
    from . import services

    site = site_for(request, slug)
    form = TrackForm(request.POST or None, initial={"code": (request.GET.get("ma") or "")[:40]})
    item, status, not_found = None, 200, False
    if request.method == "POST":
        if track_limited(client_ip(request)):
            form.is_valid()
            form.add_error(None, _("Too many lookups came from your network. Wait a few minutes and try again."))
            status = 429
        elif form.is_valid():
            item = services.item_for_tracking(form.cleaned_data["code"], form.cleaned_data["contact"])
            if item is None:
                not_found, status = True, 404
        else:
            status = 400
    context = {"form": form, "item": item, "not_found": not_found}
    if item is not None:
        context.update(_tracking_view(item))
    return render(request, "feedback/public/track.html", public_context(request, site, **context), status=status)


def _tracking_view(item) -> dict:
    """What the sender may read of their own petition: no staff names, no internal notes."""
    answer = getattr(item, "answer", None) if item.is_answered else None
    transfers = list(item.transfers.select_related("to_unit").order_by("at", "pk"))
    steps = [(item.received_on, _("Received"))]
    if item.classified_at:
        steps.append((timezone.localdate(item.classified_at), _("Classified")))
    for transfer in transfers:
        steps.append((timezone.localdate(transfer.at), _("Transferred to %(unit)s") % {"unit": transfer.to_unit.name}))
    if item.sent_on:
        steps.append((item.sent_on, _("Answered")))
    if item.published_at:
        steps.append((timezone.localdate(item.published_at), _("Question and answer published")))
    return {"answer": answer, "steps": steps, "due": item.current_due, "overdue": item.is_overdue()}


# ---------------------------------------------------------------- published questions and answers

def published(site):
    from . import services

    return services.published_items(site_unit_paths(site))


def _index(site) -> list[dict]:
    """Each published item of the site as its list shows it, with the folded text the search reads;
    kept until the site's pages are forgotten (something published or withdrawn)."""
    key = f"feedback:published:{site.pk}:{generation(site.pk)}"
    rows = cache.get(key)
    if rows is None:
        rows = []
        for item in published(site).select_related("answer", "handling_unit", "procedure"):
            answer = getattr(item, "answer", None)
            question, text = item.public_question, answer.public_text if answer else ""
            procedure = item.procedure.name if item.procedure_id else ""
            rows.append({
                "pk": item.pk, "title": item.public_title or question[:160], "question": question, "answer": text,
                "field": item.field, "unit": item.handling_unit.name, "procedure": procedure,
                "published_on": timezone.localdate(item.published_at) if item.published_at else None,
                "folded": fold(" ".join([item.public_title, question, text, item.field, procedure])),
            })
        cache.set(key, rows, 3600)
    return rows


def search_published(site, text: str = "", field: str = "") -> list[dict]:
    """Accent-insensitive: every word typed must be in the question, the answer, the field or the
    procedure's name ("thu tuc dat dai" finds "thủ tục đất đai")."""
    words = fold(text or "").split()[:12]
    rows = _index(site)
    if field:
        rows = [r for r in rows if r["field"] == field]
    return [r for r in rows if all(w in r["folded"] for w in words)]


@require_GET
@cached_public_page
def answers(request, slug):
    site = site_for(request, slug)
    text = (request.GET.get("q") or "")[:200].strip()
    field = (request.GET.get("linh-vuc") or "")[:200]
    rows = search_published(site, text, field)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("trang"))
    keep = {k: v for k, v in {"q": text, "linh-vuc": field}.items() if v}
    fields = vi_sorted({r["field"] for r in _index(site) if r["field"]})
    return render(request, "feedback/public/answers.html", public_context(
        request, site, page=page, rows=page.object_list, q=text, field=field, fields=fields,
        page_query=urlencode(keep), filtered=bool(keep)))


@require_GET
@cached_public_page
def answer_detail(request, slug, pk):
    site = site_for(request, slug)
    item = published(site).select_related("answer", "handling_unit", "procedure").filter(pk=pk_or_404(pk)).first()
    if item is None:
        raise Http404
    return render(request, "feedback/public/answer.html", public_context(
        request, site, item=item, answer=getattr(item, "answer", None)))


# ---------------------------------------------------------------- hotlines

@require_GET
@cached_public_page
def hotlines(request, slug):
    """The site's own contacts and hotline, and those of the public sites of the units below it."""
    site = site_for(request, slug)
    below = (PublicSite.objects.filter(is_public=True, unit__path__startswith=site.unit.path)
             .exclude(pk=site.pk).select_related("unit").prefetch_related("contacts"))
    others = [s for s in vi_sorted(below, key=lambda s: s.unit.name)
              if s.hotline or s.email or any(c.phone or c.email for c in s.contacts.all())]
    return render(request, "feedback/public/hotlines.html", public_context(
        request, site, contacts=list(site.contacts.all()), others=others))
