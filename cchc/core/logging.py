"""One log record per request, and the request's id on every record written while it runs.

The record of logger `cchc.request` carries method, path, status, duration_ms, user_id and
request_id as fields; production formats records as JSON lines (config/settings/production.py).
The request id is the proxy's X-Request-ID when trusted proxies are configured
(CCHC_TRUSTED_PROXY_COUNT) and the header is a plain token, otherwise a new one; it is sent back
in the X-Request-ID response header so that a user's report can be matched with the log.
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.utils.functional import empty

logger = logging.getLogger("cchc.request")

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("cchc_request_id", default=None)
_TOKEN = re.compile(r"[A-Za-z0-9._-]{1,64}")


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (or None outside a request) to every record it sees."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _request_id.get()
        return True


def _incoming_id(request) -> str | None:
    if getattr(settings, "CCHC_TRUSTED_PROXY_COUNT", 0) <= 0:
        return None
    value = request.META.get("HTTP_X_REQUEST_ID", "")
    return value if _TOKEN.fullmatch(value) else None


def _user_id(request) -> int | None:
    """The signed-in user's id, without a query the request did not already make."""
    user = getattr(request, "user", None)
    wrapped = getattr(user, "_wrapped", None)
    if user is not None and wrapped is not empty:
        return getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None
    session = getattr(request, "session", None)
    if session is not None and getattr(session, "_session_cache", None) is not None:
        value = session.get(SESSION_KEY)
        try:
            return int(value) if value is not None else None
        except (TypeError, ValueError):
            return None
    return None


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = _incoming_id(request) or uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        started = time.perf_counter()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response.headers.setdefault("X-Request-ID", request_id)
            return response
        finally:
            if logger.isEnabledFor(logging.INFO):
                logger.info(
                    "%s %s %s",
                    request.method,
                    request.path,
                    status,
                    extra={
                        "method": request.method,
                        "path": request.path,
                        "status": status,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                        "user_id": _user_id(request),
                        "request_id": request_id,
                    },
                )
            _request_id.reset(token)
