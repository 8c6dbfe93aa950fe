"""A contest of the test province, its public site and one accepted entry, for the clip tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cchc.clips import services
from cchc.portal.models import PublicSite

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def make_contest(tree, *, judges=("xa.canbo",), criteria="Nội dung, ý tưởng | 60\nKỹ thuật quay dựng | 40",
                 judges_weight=70, **windows):
    now = timezone.now()
    values = {"entries_open_at": now - dt.timedelta(days=1), "entries_close_at": now + dt.timedelta(days=10),
              "voting_open_at": now - dt.timedelta(days=1), "voting_close_at": now + dt.timedelta(days=20)}
    values.update(windows)
    return services.contest_save(
        user=tree.supervisor, unit=tree.province, title="Chung tay cải cách hành chính", rules="Clip dài tối đa 3 phút.",
        judges_weight=judges_weight, is_public=True, criteria=criteria, judges="\n".join(judges), **values)


def make_site(tree):
    return PublicSite.objects.get_or_create(unit=tree.province, defaults={
        "slug": "tuyen-quang", "title": "Chuyên trang CCHC tỉnh Tuyên Quang"})[0]


def make_entry(contest, *, title="Một cửa không còn xếp hàng", link=YOUTUBE, accept_by=None, **extra):
    entry = services.entry_submit(contest=contest, author_name="Nguyễn Thị Hoa", contact="0912 345 678",
                                  organisation="Xã Đồng Văn", title=title, description="", video_link=link,
                                  consent=True, **extra)
    if accept_by is not None:
        entry = services.entry_moderate(entry=entry, user=accept_by, accept=True)
    return entry
