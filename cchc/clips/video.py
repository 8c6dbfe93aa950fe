"""What a clip may be: a link to a well-known video host, or a short video file.

Links: https only, to YouTube, Facebook, TikTok or Google Drive (where contests' authors already put
their clips; these hosts stream any length to any number of viewers, which the platform's own workers
should not do). A YouTube clip is shown with YouTube's no-cookie player; the others are linked to.

Files: MP4 or WebM, recognised by their first bytes (an MP4 has "ftyp" at byte 4, a WebM starts with
the EBML mark and names its doc type "webm"), refused by size before any byte is read. The size cap is
CCHC_CLIP_MAX_FILE_MB (default 20, never above the platform's CCHC_MAX_UPLOAD_BYTES, which the request
cap and nginx's client_max_body_size follow): a 2–3 minute clip exported at 720p fits; a longer one
goes through a link.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

FILE_TYPES = {".mp4", ".webm"}
HOSTS = {
    "youtube": {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be"},
    "facebook": {"facebook.com", "www.facebook.com", "m.facebook.com", "web.facebook.com", "fb.watch"},
    "tiktok": {"tiktok.com", "www.tiktok.com", "m.tiktok.com", "vm.tiktok.com", "vt.tiktok.com"},
    "drive": {"drive.google.com"},
}
#: the players the entry page may frame (Content-Security-Policy frame-src on that page only)
EMBED_ORIGINS = ["https://www.youtube-nocookie.com"]
_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")


class VideoRefused(ValueError):
    pass


def max_file_bytes() -> int:
    platform = settings.CCHC_MAX_UPLOAD_BYTES
    wanted = getattr(settings, "CCHC_CLIP_MAX_FILE_MB", None)
    return min(platform, int(wanted) * 1048576) if wanted else platform


def host_names() -> str:
    return "YouTube, Facebook, TikTok, Google Drive"


def parse_link(value: str) -> tuple[str, str, str]:
    """(source, the host's video id or "", the link cleaned) for an accepted link; VideoRefused otherwise."""
    link = (value or "").strip()
    if len(link) > 500:
        raise VideoRefused(_("The link is too long. Copy the clip's own address from the share button."))
    parts = urlsplit(link)
    if parts.scheme != "https" or not parts.hostname:
        raise VideoRefused(_("The link must start with https:// — copy it from the share button of the clip."))
    host = parts.hostname.lower()
    source = next((name for name, hosts in HOSTS.items() if host in hosts), None)
    if source is None or parts.username or parts.password or parts.port not in (None, 443):
        raise VideoRefused(_("Links are accepted from %(hosts)s only. Put the clip there, or send the file.")
                           % {"hosts": host_names()})
    video_id = ""
    if source == "youtube":
        path = parts.path.strip("/").split("/")
        if host == "youtu.be":
            video_id = path[0] if path else ""
        elif path and path[0] in ("shorts", "embed", "live") and len(path) > 1:
            video_id = path[1]
        else:
            video_id = (parse_qs(parts.query).get("v") or [""])[0]
        if not _YOUTUBE_ID.fullmatch(video_id):
            raise VideoRefused(_("This YouTube link does not point to a video. Open the video and copy its "
                                 "address from the share button."))
    elif source == "drive":
        match = re.search(r"/file/d/([A-Za-z0-9_-]{10,})", parts.path)
        video_id = match.group(1) if match else ""
    return source, video_id, link


def check_file(upload) -> str:
    """Refuse a file that is not an MP4 or WebM video or that is too large, before reading it; the
    extension is returned."""
    name = getattr(upload, "name", "") or ""
    ext = Path(name).suffix.lower()
    if ext not in FILE_TYPES:
        raise VideoRefused(_("“%(name)s” is not an accepted video file. Accepted: .mp4, .webm.") % {"name": name})
    size = getattr(upload, "size", None)
    limit = max_file_bytes()
    if size is None or size > limit:
        raise VideoRefused(_("“%(name)s” is %(size).1f MB; files up to %(limit).0f MB are accepted. Put a longer "
                             "clip on YouTube, Facebook, TikTok or Google Drive and send its link.")
                           % {"name": name, "size": (size or 0) / 1048576, "limit": limit / 1048576})
    if size == 0:
        raise VideoRefused(_("“%(name)s” is empty. Choose the file again.") % {"name": name})
    head = upload.read(64)
    upload.seek(0)
    is_mp4 = len(head) >= 12 and head[4:8] == b"ftyp"
    is_webm = head.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in head
    if not ((ext == ".mp4" and is_mp4) or (ext == ".webm" and is_webm)):
        raise VideoRefused(_("“%(name)s” is named %(ext)s but its content is not such a video. Export it again "
                             "as %(ext)s and retry.") % {"name": name, "ext": ext})
    return ext
