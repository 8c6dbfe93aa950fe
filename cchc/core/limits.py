"""The request body is capped before anything reads it, the CSRF check included.

`RequestSizeLimitMiddleware` stands first in MIDDLEWARE. A request that declares a Content-Length
above CCHC_MAX_REQUEST_BYTES is answered 413 at once, with a Vietnamese page, before any byte of the
body is read. A body without a Content-Length (chunked) is
read through a stream that stops at the same limit; a view that reaches past it gets the same 413.
The proxy in front (nginx's client_max_body_size) is the first wall; this is the second.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _


class CappedInput:
    """A wsgi.input that refuses to hand out more than `limit` bytes in all."""

    def __init__(self, stream, limit: int):
        self._stream = stream
        self._limit = limit
        self.read_bytes = 0
        self.exceeded = False

    def _take(self, data: bytes) -> bytes:
        self.read_bytes += len(data)
        if self.read_bytes > self._limit:
            self.exceeded = True
            raise RequestDataTooBig("The request body is larger than CCHC_MAX_REQUEST_BYTES.")
        return data

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = self._limit + 1 - self.read_bytes  # never more than one byte past the limit
        return self._take(self._stream.read(max(0, min(size, self._limit + 1 - self.read_bytes))))

    def readline(self, size: int = -1) -> bytes:
        room = self._limit + 1 - self.read_bytes
        return self._take(self._stream.readline(room if size is None or size < 0 else min(size, room)))

    def __iter__(self):
        while line := self.readline():
            yield line


def max_request_bytes() -> int:
    return int(getattr(settings, "CCHC_MAX_REQUEST_BYTES", settings.CCHC_MAX_UPLOAD_BYTES + 5 * 1024 * 1024))


def too_large_response(limit: int) -> HttpResponse:
    with translation.override(settings.LANGUAGE_CODE):
        title = _("The request is too large")
        message = _("What was sent is larger than %(limit).0f MB and was not accepted. Split the file or compress "
                    "it to under %(upload).0f MB and try again.") % {
            "limit": limit / 1048576, "upload": settings.CCHC_MAX_UPLOAD_BYTES / 1048576}
        back = _("Go back")
        language = translation.get_language()
    body = (f'<!doctype html><html lang="{language}"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
            f'<body style="font-family:sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem">'
            f'<h1>{escape(title)}</h1><p>{escape(message)}</p>'
            f'<p><a href="javascript:history.back()">{escape(back)}</a></p></body></html>')
    # The body is left unread; the server discards it (gunicorn: bounded in time and bytes) or closes.
    return HttpResponse(body, status=413, content_type="text/html; charset=utf-8")


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = max_request_bytes()
        declared = request.META.get("CONTENT_LENGTH")
        if declared:
            try:
                length = int(declared)
            except ValueError:
                length = 0
            if length > limit:
                return too_large_response(limit)
            return self.get_response(request)
        capped = None
        stream = request.META.get("wsgi.input")
        if stream is not None:
            capped = CappedInput(stream, limit)
            request.META["wsgi.input"] = capped  # Django itself reads nothing without a Content-Length
        response = self.get_response(request)
        if capped is not None and capped.exceeded:
            return too_large_response(limit)
        return response
