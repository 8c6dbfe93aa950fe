"""Public pages of surveys on a unit's public site, no account needed: the open surveys, the answer
form (mobile first), the form reached from a receipt's code or QR code, the one-stop counter's kiosk
(a secret address, big touch targets, a thank-you screen that goes back to an empty form) and the
published results.

- Answer forms are never served from the page cache (they hold the visitor's CSRF and form tokens).
- Nothing personal is asked. One answer per device rests on a random token kept in a cookie of the
  browser (not a person's data); one answer per receipt code on the database's unique rule.
- The same form posted twice (a double tap) is stored once (`Response.form_token`).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from cchc.core.middleware import client_ip
from cchc.org.models import Unit
from cchc.org.permissions import pk_or_404
from cchc.portal.sites import cached_public_page
from cchc.portal.views import public_context, site_for

from . import selectors, services
from .models import Question, ReceiptCode, Response, Survey

DEVICE_COOKIE = "cchc_khao_sat"
DEVICE_MAX_AGE = 400 * 24 * 3600
KIOSK_RESET_SECONDS = 8


def _survey(site, pk) -> Survey:
    survey = Survey.objects.select_related("unit").filter(pk=pk_or_404(pk), unit__path__startswith=site.unit.path).first()
    if survey is None or survey.status == Survey.Status.DRAFT:
        raise Http404
    return survey


def _device(request) -> str:
    value = request.COOKIES.get(DEVICE_COOKIE, "")
    return value if 20 <= len(value) <= 64 and value.replace("-", "").replace("_", "").isalnum() else ""


def _units(site) -> list[tuple[int, str]]:
    from cchc.core.text import vi_sorted

    below = Unit.objects.current().filter(parent=site.unit).only("pk", "name")
    return [(site.unit.pk, site.unit.name)] + [(u.pk, u.name) for u in vi_sorted(below, key=lambda u: u.name)]


def _raw(post, questions) -> dict[int, list[str]]:
    return {q.pk: [v for v in post.getlist(f"q{q.pk}") if v is not None][:25] for q in questions}


def _sections(survey, raw, errors) -> list[dict]:
    questions = list(Question.objects.filter(section__survey=survey).select_related("section", "show_if"))
    sections: dict[int, dict] = {}
    for q in questions:
        block = sections.setdefault(q.section_id, {"section": q.section, "questions": []})
        block["questions"].append({"q": q, "values": raw.get(q.pk, []), "error": errors.get(q.pk)})
    return list(sections.values())


@require_GET
@cached_public_page
def index(request, slug):
    site = site_for(request, slug)
    surveys = list(selectors.public_surveys(site)[:50])
    return render(request, "surveys/public/index.html", public_context(request, site, surveys=surveys))


def _answer(request, site, survey, *, mode: str, receipt: ReceiptCode | None = None, token: str = ""):
    """The form of the three channels: "web", "receipt" (a code known) and "kiosk"."""
    device = _device(request)
    new_device = not device and mode == "web"
    if new_device:
        device = secrets.token_urlsafe(24)
    status, errors, raw, message = 200, {}, {}, ""
    already = (mode == "web" and survey.limit == Survey.Limit.DEVICE and
               Response.objects.filter(survey=survey, device_token=device).exists())
    if receipt is not None and Response.objects.filter(receipt=receipt).exists():
        already = True
    code_needed = mode == "web" and survey.limit == Survey.Limit.RECEIPT
    if request.method == "POST" and survey.accepts_answers() and not already and mode != "kiosk" \
            and _too_many(client_ip(request)):
        # the device rule rests on a cookie a script need not keep: answers from one address are bounded
        # too (not at the counter's kiosk, whose one address serves every citizen)
        return render(request, "surveys/public/answer.html", public_context(
            request, site, survey=survey, sections=_sections(survey, {}, {}), errors={}, open=True, mode=mode,
            message=_("Too many answers came from this network in a short time. Try again in an hour; if you "
                      "answer at the one-stop counter, use its tablet."),
            already=True, form_token=secrets.token_urlsafe(24), receipt=receipt, code_needed=code_needed,
            receipt_error=None, posted_receipt="", units=[], posted_unit="", reset_seconds=KIOSK_RESET_SECONDS,
            token=token), status=429)
    if request.method == "POST" and survey.accepts_answers() and not already:
        questions = list(Question.objects.filter(section__survey=survey))
        raw = _raw(request.POST, questions)
        channel = {"web": Response.Channel.WEB, "receipt": Response.Channel.RECEIPT, "kiosk": Response.Channel.KIOSK}[mode]
        unit = None
        if mode == "kiosk":
            unit = survey.unit
        elif (request.POST.get("unit") or "").isdigit():
            unit = next((Unit.objects.get(pk=pk) for pk, _n in _units(site) if str(pk) == request.POST["unit"]), None)
        try:
            services.response_submit(
                survey=survey, raw=raw, form_token=(request.POST.get("form_token") or "")[:64], channel=channel,
                device_token=device, unit=unit,
                receipt_code=receipt.code if receipt is not None else request.POST.get("receipt", ""))
        except services.AlreadyAnswered as exc:
            already, message = True, exc.message
        except services.SurveyError as exc:
            errors, message, status = {k: v for k, v in exc.fields.items()}, exc.message, 400
        else:
            if mode == "kiosk":
                return redirect(site.path(f"khao-sat/{survey.pk}/kiosk/{token}/cam-on/"))
            response = redirect(site.path(f"khao-sat/{survey.pk}/cam-on/"))
            if new_device:
                _set_device(response, device)
            return response
    context = public_context(
        request, site, survey=survey, sections=_sections(survey, raw, errors), errors=errors, message=message,
        already=already, open=survey.accepts_answers(), form_token=secrets.token_urlsafe(24), mode=mode,
        receipt=receipt, code_needed=code_needed, receipt_error=errors.get("receipt"),
        posted_receipt=request.POST.get("receipt", "") if request.method == "POST" else "",
        units=_units(site) if mode == "web" else [], posted_unit=request.POST.get("unit", ""),
        reset_seconds=KIOSK_RESET_SECONDS, token=token)
    template = "surveys/public/kiosk.html" if mode == "kiosk" else "surveys/public/answer.html"
    response = render(request, template, context, status=status)
    if new_device:
        _set_device(response, device)
    return response


def _count(key: str, seconds: int) -> int:
    if cache.add(key, 1, seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        return 1


def _too_many(address: str | None) -> bool:
    """Count one answer sent from `address` (counted when sent, stored or not); True past
    CCHC_SURVEY_ANSWERS_PER_HOUR (30). The counts live in the cache (shared by the processes with Redis)."""
    per_hour = int(getattr(settings, "CCHC_SURVEY_ANSWERS_PER_HOUR", 30))
    return _count(f"surveys:answers:{address or 'unknown'}:{timezone.now():%Y%m%d%H}", 3600) > per_hour


def _set_device(response, device: str) -> None:
    response.set_cookie(DEVICE_COOKIE, device, max_age=DEVICE_MAX_AGE, httponly=True, samesite="Lax",
                        secure=False)


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request, slug, pk):
    site = site_for(request, slug)
    return _answer(request, site, _survey(site, pk), mode="web")


@never_cache
@require_http_methods(["GET", "POST"])
def by_code(request, slug, code=""):
    """The survey of a receipt's code (typed, or read from the QR code)."""
    site = site_for(request, slug)
    code = services.normalise_code(code or request.GET.get("ma", ""))
    receipt = None
    if code:
        receipt = (ReceiptCode.objects.select_related("survey", "survey__unit", "procedure")
                   .filter(code=code, survey__unit__path__startswith=site.unit.path)
                   .exclude(survey__status=Survey.Status.DRAFT).first())
    if receipt is None:
        return render(request, "surveys/public/code.html",
                      public_context(request, site, code=code, unknown=bool(code)), status=404 if code else 200)
    return _answer(request, site, receipt.survey, mode="receipt", receipt=receipt)


@never_cache
@require_http_methods(["GET", "POST"])
def kiosk(request, slug, pk, token):
    site = site_for(request, slug)
    survey = _survey(site, pk)
    if not secrets.compare_digest(token.encode(), survey.kiosk_token.encode()):
        raise Http404
    return _answer(request, site, survey, mode="kiosk", token=token)


@never_cache
@require_GET
def kiosk_thanks(request, slug, pk, token):
    site = site_for(request, slug)
    survey = _survey(site, pk)
    if not secrets.compare_digest(token.encode(), survey.kiosk_token.encode()):
        raise Http404
    return render(request, "surveys/public/kiosk_thanks.html", public_context(
        request, site, survey=survey, token=token, reset_seconds=KIOSK_RESET_SECONDS,
        next_url=site.path(f"khao-sat/{survey.pk}/kiosk/{token}/")))


@require_GET
@cached_public_page
def thanks(request, slug, pk):
    site = site_for(request, slug)
    survey = _survey(site, pk)
    return render(request, "surveys/public/thanks.html", public_context(request, site, survey=survey))


@require_GET
@cached_public_page
def results(request, slug, pk):
    site = site_for(request, slug)
    survey = _survey(site, pk)
    if not survey.results_public:
        raise Http404
    return render(request, "surveys/public/results.html",
                  public_context(request, site, survey=survey, r=selectors.results(survey)))
