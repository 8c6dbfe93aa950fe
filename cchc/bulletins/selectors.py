"""Reads of the bulletin: the archive, an issue's articles, who receives it, its text for print."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from cchc.news.selectors import published_for_site
from cchc.org.models import Unit
from cchc.portal.models import PublicContact, PublicSite

from .documents import ArticleText, BulletinText, html_paragraphs, paragraphs
from .models import Delivery, Issue, IssueItem, Sending, Subscriber

CANDIDATES_SHOWN = 200


def published_issues(site: PublicSite):
    return Issue.objects.filter(site=site, status=Issue.Status.PUBLISHED).order_by("-year", "-number")


def archive(site: PublicSite) -> list[tuple[int, list[Issue]]]:
    """The site's published issues by year, newest first: [(2026, [số 03, số 02, số 01]), (2025, …)]."""
    issues = list(published_issues(site).only("id", "site_id", "year", "number", "title", "issue_date", "published_at"))
    for issue in issues:
        issue.site = site  # their addresses need the site: no query per issue
    return [(year, list(group)) for year, group in groupby(issues, key=lambda i: i.year)]


def public_issue(site: PublicSite, year: int, number: int) -> Issue | None:
    return published_issues(site).filter(year=year, number=number).first()


def issue_articles(issue: Issue) -> list:
    """The issue's articles in the editor's order, those the site still shows (a withdrawn article
    leaves the issue's page and documents)."""
    visible = published_for_site(issue.site).values("pk")
    items = (IssueItem.objects.filter(issue=issue, article__in=visible)
             .select_related("article", "article__unit").order_by("order", "id"))
    return [item.article for item in items]


def candidate_articles(site: PublicSite) -> list:
    """The articles an editor may place in an issue: those the site shows, newest first."""
    return list(published_for_site(site)[:CANDIDATES_SHOWN])


def issues_for_sites(sites: list[PublicSite]):
    return (Issue.objects.filter(site__in=sites).select_related("site")
            .order_by("site__unit__path", "-year", "-number"))


def latest_sending(issue: Issue) -> Sending | None:
    return issue.sendings.order_by("-started_at", "-id").first()


def recipients(issue: Issue) -> dict[str, str]:
    """{address: kind} an issue goes to: the site's confirmed subscribers, and its units — the public
    e-mails of the sites and contacts of its unit and the units below, and the active members of those
    units. Addresses that unsubscribed from the site are left out."""
    site = issue.site
    under = Unit.objects.filter(path__startswith=site.unit.path, valid_to__isnull=True)
    found: dict[str, str] = {}
    members = (get_user_model().objects.filter(
        is_active=True, memberships__is_active=True, memberships__unit__in=under).exclude(email="")
        .values_list("email", flat=True).distinct())
    sites = PublicSite.objects.filter(unit__in=under, is_public=True).exclude(email="").values_list("email", flat=True)
    contacts = PublicContact.objects.filter(site__unit__in=under).exclude(email="").values_list("email", flat=True)
    for email in [*sites, *contacts, *members]:
        found.setdefault(email.strip().lower(), Delivery.Kind.UNIT)
    for email in Subscriber.objects.filter(site=site, status=Subscriber.Status.CONFIRMED).values_list("email", flat=True):
        found[email] = Delivery.Kind.SUBSCRIBER
    gone = set(Subscriber.objects.filter(site=site, status=Subscriber.Status.UNSUBSCRIBED).values_list("email", flat=True))
    return {email: kind for email, kind in found.items() if email and email not in gone}


def _place(unit: Unit) -> str:
    """The place name of the date line: the territorial unit the issuer belongs to, without its kind
    ("Tỉnh Tuyên Quang" → "Tuyên Quang")."""
    territorial = unit if unit.kind in Unit.TERRITORIAL_KINDS else (
        unit.ancestors().filter(kind__in=sorted(Unit.TERRITORIAL_KINDS)).last())
    if territorial is None:
        return ""
    if territorial.short_name:
        return territorial.short_name
    words = territorial.name.split()
    prefixes = ("tỉnh", "thành phố", "xã", "phường", "đặc khu", "thị trấn", "huyện", "quận", "thị xã")
    for prefix in sorted(prefixes, key=len, reverse=True):
        if territorial.name.lower().startswith(prefix + " "):
            return " ".join(words[len(prefix.split()):])
    return territorial.name


def _issuer(unit: Unit) -> tuple[str, str]:
    """(superior, issuer): a People's Committee issues a territorial unit's bulletin; an agency's
    bulletin is headed by the People's Committee of its place ("UBND tỉnh Tuyên Quang")."""
    if unit.kind in Unit.TERRITORIAL_KINDS:
        return "", f"Ủy ban nhân dân\n{unit.name}"
    above = unit.ancestors().filter(kind__in=sorted(Unit.TERRITORIAL_KINDS)).last()
    return (f"UBND {above.name[:1].lower()}{above.name[1:]}" if above else ""), unit.name


def bulletin_text(issue: Issue, *, base_url: str = "") -> BulletinText:
    """The issue as the PDF and the .docx print it; links are absolute when `base_url` (the site's
    address ending in "/") is given."""
    site = issue.site
    superior, issuer = _issuer(site.unit)
    articles = [
        ArticleText(title=a.title, lead=" ".join(a.lead.split()), paragraphs=html_paragraphs(a.body),
                    source=a.unit.name if a.unit_id != site.unit_id else "",
                    link=f"{base_url}{a.public_rest()}" if base_url else "")
        for a in issue_articles(issue)
    ]
    day = issue.issue_date or timezone.localdate()
    return BulletinText(
        issuer=issuer, issuer_superior=superior, number_text=issue.number_text, date=day,
        place=_place(site.unit), title=issue.title, intro=paragraphs(issue.intro), articles=articles,
        closing=paragraphs(issue.closing), link=f"{base_url}{issue.public_rest()}" if base_url else "",
    )


def confirmed_subscribers(*, unit_paths: list[str] | None, on: dt.date) -> int:
    """Addresses subscribed (confirmed and not gone) on `on` to the sites of units under `unit_paths`."""
    qs = Subscriber.objects.filter(confirmed_at__date__lte=on).filter(
        Q(unsubscribed_at__isnull=True) | Q(unsubscribed_at__date__gt=on))
    if unit_paths is not None:
        if not unit_paths:
            return 0
        condition = Q()
        for path in unit_paths:
            condition |= Q(site__unit__path__startswith=path)
        qs = qs.filter(condition)
    return qs.count()
