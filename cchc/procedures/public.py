"""Public pages of the procedure catalogue on a unit's public site (no account): search and filters,
a page per procedure with what a citizen needs to prepare the file, and what recent decisions
changed ("TTHC mới công bố").

A site shows its own unit's catalogue and those of the units above it (a commune's site shows the
province's catalogue). Lists and search hold procedures in force only; an abolished procedure keeps
its page, which says when and by which decision it was abolished.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cchc.core.text import vi_sorted
from cchc.org.models import Unit
from cchc.org.permissions import pk_or_404
from cchc.portal.sites import cached_public_page, generation
from cchc.portal.views import public_context, site_for

from . import search as procedure_search
from .models import Change, Decision, Level, OnlineLevel, Procedure, ProcedureChange

PAGE_SIZE = 20
RECENT_DAYS = 90
RECENT_DECISIONS = 5  # at least this many decisions on the recent page, however old
NATIONAL_PORTAL = "https://dichvucong.gov.vn"
NATIONAL_SEARCH = NATIONAL_PORTAL + "/p/home/dvc-tthc-thu-tuc-hanh-chinh.html"

# readable values in addresses: ?cap=xa&truc-tuyen=toan-trinh
LEVEL_PARAMS = {"trung-uong": Level.CENTRAL, "tinh": Level.PROVINCE, "xa": Level.COMMUNE}
ONLINE_PARAMS = {"toan-trinh": OnlineLevel.FULL, "mot-phan": OnlineLevel.PARTIAL, "khong": OnlineLevel.NONE}
SHOWN_CHANGES = (Change.NEW, Change.AMENDED, Change.REPLACED, Change.ABOLISHED, Change.UNCHANGED)


# ---------------------------------------------------------------- what a site shows

def catalogue_units(site) -> list[int]:
    """The units whose catalogues the site shows: its own and those above it."""
    codes = [c for c in site.unit.path.strip("/").split("/") if c]
    return list(Unit.objects.filter(code__in=codes).values_list("pk", flat=True))


def catalogue(site):
    """Every procedure the site may show a page for, whatever its status."""
    return Procedure.objects.filter(unit_id__in=catalogue_units(site))


def active(site):
    return catalogue(site).filter(status=Procedure.Status.ACTIVE)


def is_commune_site(site) -> bool:
    return site.unit.kind in Unit.COMMUNE_KINDS


def default_level(site, procedures) -> str:
    """A commune's site opens on the commune-level procedures (those its one-stop shop receives),
    when the catalogue marks any; the visitor can ask for every level."""
    if is_commune_site(site) and procedures.filter(level=Level.COMMUNE).exists():
        return "xa"
    return ""


def portal_link(procedure) -> str:
    """The national public service portal's search for the procedure's code (the portal's own page
    address of a procedure is not its code)."""
    code = procedure.national_code
    return f"{NATIONAL_SEARCH}?{urlencode({'keyword': code})}" if code else ""


# ---------------------------------------------------------------- list and search

def _choices(procedures, field: str) -> list[str]:
    values = procedures.exclude(**{field: ""}).order_by().values_list(field, flat=True).distinct()
    return vi_sorted(set(values))


def facets(site, procedures) -> dict[str, list[str]]:
    """The fields and agencies the filters offer, kept until the site's pages are forgotten (a change
    of the catalogue): two scans of the whole catalogue are most of a search's time otherwise."""
    key = f"procedures:facets:{site.pk}:{generation(site.pk)}"
    found = cache.get(key)
    if found is None:
        found = {"fields": _choices(procedures, "field"), "agencies": _choices(procedures, "agency")}
        cache.set(key, found, 3600)
    return found


def _read_filters(request, site, procedures) -> dict:
    get = request.GET
    level = get["cap"] if "cap" in get else default_level(site, procedures)
    return {
        "level": level if level in LEVEL_PARAMS else "",
        "field": get.get("linh-vuc", "")[:300],
        "agency": get.get("co-quan", "")[:500],
        "online": get.get("truc-tuyen", "") if get.get("truc-tuyen", "") in ONLINE_PARAMS else "",
    }


def _filtered(procedures, filters: dict):
    if filters["level"]:
        procedures = procedures.filter(level=LEVEL_PARAMS[filters["level"]])
    if filters["field"]:
        procedures = procedures.filter(field=filters["field"])
    if filters["agency"]:
        procedures = procedures.filter(agency=filters["agency"])
    if filters["online"]:
        procedures = procedures.filter(online_level=ONLINE_PARAMS[filters["online"]])
    return procedures


def find(site, *, text: str = "", filters: dict | None = None):
    """The search the public list runs: (queryset best first, query, fell back to any word). The
    benchmark times this same function."""
    query = procedure_search.parse(text)
    procedures = _filtered(active(site), filters or {"level": "", "field": "", "agency": "", "online": ""})
    found, loose = procedure_search.search_with_fallback(procedures, query)
    return found, query, loose


_LIST_FIELDS = ("pk", "name", "code", "field", "level", "agency", "online_level", "postal", "time_limit",
                "time_limit_days", "working_days", "fee_free", "unit_id", "sort_key", "search_name")


@require_GET
@cached_public_page
def procedure_list(request, slug):
    site = site_for(request, slug)
    procedures = active(site)
    filters = _read_filters(request, site, procedures)
    found, query, loose = find(site, text=request.GET.get("q", ""), filters=filters)
    page = Paginator(found.only(*_LIST_FIELDS), PAGE_SIZE).get_page(request.GET.get("trang"))
    params = {"q": query.text, "cap": filters["level"], "linh-vuc": filters["field"], "co-quan": filters["agency"],
              "truc-tuyen": filters["online"]}
    # keep an explicit "all levels" (cap=) in the links when the site's default would narrow them
    keep = {k: v for k, v in params.items() if v or (k == "cap" and default_level(site, procedures))}
    other_levels = 0
    if filters["level"] and not page.paginator.count and (query or filters["field"] or filters["agency"]):
        other_levels = find(site, text=query.text, filters={**filters, "level": ""})[0].count()
    return render(request, "procedures/public/list.html", public_context(
        request, site, page=page, procedures=page.object_list, query=query, loose=loose, filters=filters,
        **facets(site, procedures),
        levels=[(k, Level(v).label) for k, v in LEVEL_PARAMS.items()],
        online_levels=[(k, OnlineLevel(v).label) for k, v in ONLINE_PARAMS.items()],
        page_query=urlencode(keep), all_levels_query=urlencode({**keep, "cap": ""}), other_levels=other_levels,
        filtered=bool(query or any(filters.values())), commune_default=bool(default_level(site, procedures)),
    ))


# ---------------------------------------------------------------- one procedure

@require_GET
@cached_public_page
def procedure_detail(request, slug, pk):
    site = site_for(request, slug)
    procedure = (catalogue(site).select_related("unit", "introduced_by", "last_decision", "abolished_by")
                 .filter(pk=pk_or_404(pk)).first())
    if procedure is None:
        raise Http404
    changes = list(procedure.changes.filter(decision__status=Decision.Status.APPLIED)
                   .select_related("decision").order_by("date", "pk"))
    decisions = []
    for change in changes:
        if change.decision and all(d["decision"].pk != change.decision.pk for d in decisions):
            decisions.append({"decision": change.decision, "kind": change.get_kind_display()})
    for decision, kind in ((procedure.introduced_by, Change.NEW), (procedure.abolished_by, Change.ABOLISHED),
                           (procedure.last_decision, Change.AMENDED)):
        if decision and decision.status == Decision.Status.APPLIED and all(d["decision"].pk != decision.pk for d in decisions):
            decisions.append({"decision": decision, "kind": Change(kind).label})
    decisions.sort(key=lambda d: (d["decision"].date or dt.date.min, d["decision"].pk))
    return render(request, "procedures/public/detail.html", public_context(
        request, site, procedure=procedure, decisions=decisions, portal_link=portal_link(procedure),
        legal_basis=[str(item) for item in (procedure.legal_basis or []) if str(item).strip()],
        documents=[line.strip(" -•\t") for line in (procedure.documents_required or "").splitlines() if line.strip(" -•\t")],
        online_sentence=online_sentence(procedure), is_abolished=procedure.status == Procedure.Status.ABOLISHED,
    ))


def online_sentence(procedure) -> str:
    """What the online level and the postal service mean for the citizen, in one plain sentence."""
    if procedure.online_level == OnlineLevel.FULL:
        sentence = _("You can do the whole procedure online, from sending the file to receiving the result, "
                     "on the public service portal.")
    elif procedure.online_level == OnlineLevel.PARTIAL:
        sentence = _("You can send the file online on the public service portal, but you must come in person "
                     "for some steps (for example to show originals or to receive the result).")
    elif procedure.online_level == OnlineLevel.NONE:
        sentence = _("This procedure is not offered online: submit the file in person at the place given above.")
    else:
        sentence = ""
    if procedure.postal:
        sentence = " ".join(filter(None, [sentence, _("You can also send the file and receive the result by the "
                                                       "public postal service (Vietnam Post).")]))
    return sentence


# ---------------------------------------------------------------- what changed recently

def recent_decisions(site, *, today=None, least: int = RECENT_DECISIONS, days: int = RECENT_DAYS) -> list[Decision]:
    """The applied decisions of the site's catalogues of the last `days` days, and at least the last
    `least` of them however old; newest first."""
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=days)
    applied = Decision.objects.filter(unit_id__in=catalogue_units(site), status=Decision.Status.APPLIED).order_by(
        "-date", "-applied_at", "-pk")
    recent = list(applied.filter(Q(date__gte=since) | Q(date__isnull=True, applied_at__date__gte=since))[:50])
    if len(recent) < least:
        recent = list(applied[:least])
    return recent


def changes_by_decision(decisions: list[Decision], *, limit_per_decision: int | None = None) -> list[dict]:
    """For each decision, the procedures it published, amended, replaced or abolished."""
    if not decisions:
        return []
    rows = (ProcedureChange.objects.filter(decision__in=decisions, kind__in=SHOWN_CHANGES)
            .select_related("procedure").only("decision_id", "kind", "procedure__id", "procedure__name",
                                                "procedure__code", "procedure__status", "procedure__sort_key")
            .order_by("procedure__sort_key", "pk"))
    by_decision: dict[int, dict[int, tuple[str, Procedure]]] = {d.pk: {} for d in decisions}
    for row in rows:
        by_decision[row.decision_id].setdefault(row.procedure.pk, (row.kind, row.procedure))
    # procedures linked to a decision without a history row (written in bulk) are not lost; one with a
    # history row keeps what that row says (a procedure listed again is not "newly issued" because this
    # catalogue first learnt of it from that decision)
    recorded = set(ProcedureChange.objects.filter(decision__in=decisions).values_list("decision_id", "procedure_id"))
    linked = (Procedure.objects.filter(Q(introduced_by__in=decisions) | Q(abolished_by__in=decisions))
              .only("pk", "name", "code", "status", "sort_key", "introduced_by_id", "abolished_by_id").order_by("sort_key"))
    for procedure in linked:
        for decision_id, kind in ((procedure.abolished_by_id, Change.ABOLISHED), (procedure.introduced_by_id, Change.NEW)):
            if decision_id in by_decision and (decision_id, procedure.pk) not in recorded:
                by_decision[decision_id].setdefault(procedure.pk, (kind, procedure))
    out = []
    order = {kind: i for i, kind in enumerate(SHOWN_CHANGES)}
    for decision in decisions:
        items = sorted(by_decision[decision.pk].values(), key=lambda item: (order[item[0]], item[1].sort_key))
        groups = []
        for kind in SHOWN_CHANGES:
            procedures = [p for k, p in items if k == kind]
            if procedures:
                groups.append({"kind": kind, "label": Change(kind).label, "count": len(procedures),
                               "procedures": procedures[:limit_per_decision] if limit_per_decision else procedures})
        out.append({"decision": decision, "groups": groups, "count": len(items)})
    return out


@require_GET
@cached_public_page
def recent(request, slug):
    site = site_for(request, slug)
    decisions = recent_decisions(site)
    return render(request, "procedures/public/recent.html", public_context(
        request, site, entries=changes_by_decision(decisions), days=RECENT_DAYS))
