"""Pages of signed-in users kept ready until the data under them changes.

A province's plan page or a supervisor's home reads hundreds of rows and renders in 50–150 ms; the
same person asks for it again and again while nothing changed. `@cached_page` keeps the rendered
page per user, address, language and day, under the *data generation*: a token that changes whenever
any row of the database changes (an INSERT, UPDATE or DELETE through Django's connection, whichever
code ran it: a view, a bulk update, a Celery task, a management command). A cached page is therefore
never older than the last write the server has seen, and a user who saves and comes back sees the
save.

The generation has two parts. The shared one changes when a transaction that wrote commits (or at
once for a write outside a transaction); it lives in the shared cache when there is one (CACHE_URL),
else in a small file under CCHC_VAR_DIR that every process of the server reads. The process's own part
changes at every write statement inside a transaction, so that a page read on the same connection
before the commit (a test, which never commits) is not served from before the write; a page rendered
elsewhere between the statement and the commit, from the data before it, is left behind by the commit.
Pages of signed-in users are read outside transactions (core.middleware.WriteTransactionMiddleware
wraps only writing requests), so none is kept from data that is later rolled back.

Only the page's view is skipped: the session, authentication, CSRF, language and CSP layers run for
every request. The page's CSRF token and CSP nonce are replaced by this request's own. Not cached: a
page that shows a message, holds a one-time form token, or is not a plain 200 HTML answer.
Tables whose rows never show on a page (sessions, form tokens) do not change the generation.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import logging
import os
import re
import threading
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.db.backends.signals import connection_created
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone

from .idempotency import FIELD as FORM_TOKEN_FIELD

logger = logging.getLogger(__name__)

GENERATION_KEY = "cchc:data-generation"
# Tables whose writes no page shows: they must not empty every cached page at every request.
QUIET_TABLES = frozenset({"django_session", "core_actiontoken"})
_WRITE = re.compile(r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+["`]?([\w.]+)', re.I)
_CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def enabled() -> bool:
    return getattr(settings, "CCHC_PAGE_CACHE_SECONDS", 0) > 0


def _shared_cache() -> bool:
    return "locmem" not in settings.CACHES["default"]["BACKEND"].lower()


def _generation_file() -> Path:
    return Path(settings.VAR_DIR) / "run" / "data-generation"


# Writes not yet committed are seen only by their own connection, in this process: they change this
# process's part of the generation only (cheap); their commit changes the shared part.
_uncommitted = itertools.count()
_uncommitted_now = 0


def generation() -> str | None:
    """The current data generation (a new one after every write), or None when it cannot be read:
    then no kept page is served."""
    try:
        if _shared_cache():
            value = cache.get(GENERATION_KEY)
            if value is None:
                value = uuid.uuid4().hex
                if not cache.add(GENERATION_KEY, value, timeout=None):
                    value = cache.get(GENERATION_KEY)
        else:
            value = _generation_file().read_text()
    except Exception:  # noqa: BLE001 - no file yet, a cache that does not answer: pages are rendered
        return None
    return f"{value}:{_uncommitted_now}" if value else None


def _bump_uncommitted() -> None:
    global _uncommitted_now
    _uncommitted_now = next(_uncommitted)


def bump() -> None:
    """A new data generation: every kept page becomes unreachable. When the new one cannot be
    written, the old one is removed, so that no process serves a page kept under it."""
    value = uuid.uuid4().hex
    try:
        if _shared_cache():
            cache.set(GENERATION_KEY, value, timeout=None)
            return
        path = _generation_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f"{path.name}.{os.getpid()}.{value[:8]}")
        temp.write_text(value)
        os.replace(temp, path)
    except Exception:  # noqa: BLE001
        logger.exception("the data generation could not be changed; kept pages are not served")
        try:
            cache.delete(GENERATION_KEY) if _shared_cache() else _generation_file().unlink(missing_ok=True)
        except Exception:  # noqa: BLE001
            logger.exception("nor could the old one be removed")


def _written_table(sql: str) -> str | None:
    match = _WRITE.match(sql)
    return match.group(1).lower() if match else None


def _track_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    table = _written_table(sql) if isinstance(sql, str) else None
    if table is not None and table not in QUIET_TABLES:
        connection = context["connection"]
        if not connection.in_atomic_block:
            bump()  # autocommit: the row is already committed
            return result
        _bump_uncommitted()
        if not any(func is bump for _sids, func, _robust in connection.run_on_commit):
            transaction.on_commit(bump, using=connection.alias)
    return result


def _install(sender, connection, **kwargs):
    if _track_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_track_writes)


def connect_write_tracking() -> None:
    """Called by the core app when it is ready, in every process (web, Celery, commands)."""
    from django.db import connections

    connection_created.connect(_install, dispatch_uid="cchc-page-cache-writes")
    for connection in connections.all(initialized_only=True):
        _install(None, connection)
    if enabled() and not _shared_cache() and not _generation_file().exists():
        bump()  # the first generation of this data directory


def _key(request, view, generation_value: str) -> str:
    parts = "\x1f".join([
        f"{view.__module__}.{view.__qualname__}", str(request.user.pk), request.get_host(), request.get_full_path(),
        getattr(request, "LANGUAGE_CODE", ""), timezone.localdate().isoformat(), generation_value,
    ])
    return "cchc:page:" + hashlib.sha256(parts.encode()).hexdigest()


def _has_messages(request) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(messages.get_messages(request)) > 0  # len() does not consume them


def cached_page(view):
    """Keeps the view's page for its user until the data changes (see the module's docstring)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if (not enabled() or request.method not in ("GET", "HEAD")
                or not request.user.is_authenticated or _has_messages(request)):
            return view(request, *args, **kwargs)
        current = generation()
        if current is None:
            return view(request, *args, **kwargs)
        key = _key(request, view, current)
        try:
            entry = cache.get(key)
        except Exception:  # noqa: BLE001 - a cache that does not answer: the page is rendered
            logger.exception("a kept page could not be read")
            return view(request, *args, **kwargs)
        if entry is None:
            # Many requests for a page that is not ready (a new generation, a restart): one renders it,
            # the others of this process wait for it instead of all rendering it at once.
            with _rendering(key):
                entry = cache.get(key)
                if entry is None:
                    return _render_and_keep(view, request, args, kwargs, key)
        body, content_type, nonce = entry
        if nonce:
            body = body.replace(nonce.encode(), str(request.csp_nonce).encode())
        token = get_token(request).encode()
        body = _CSRF_INPUT.sub(lambda m: m.group(1) + token + m.group(2), body)
        return HttpResponse(body, content_type=content_type)

    return wrapped


def _render_and_keep(view, request, args, kwargs, key):
    response = view(request, *args, **kwargs)
    if (response.status_code == 200 and not response.streaming and not response.cookies
            and response.get("Content-Type", "").startswith("text/html")):
        body = response.content
        if f'name="{FORM_TOKEN_FIELD}"'.encode() not in body and not _has_messages(request):
            nonce = getattr(request, "_csp_nonce", None)
            try:
                cache.set(key, (body, response["Content-Type"], nonce), settings.CCHC_PAGE_CACHE_SECONDS)
            except Exception:  # noqa: BLE001 - the page is answered all the same
                logger.exception("a page could not be kept")
    return response


_locks: dict[str, list] = {}  # key → [lock, number of threads using it]
_locks_guard = threading.Lock()
WAIT_SECONDS = 20  # past this, a waiting request renders the page itself


class _rendering:
    """A lock per page key, shared by the threads of this process, forgotten when nobody uses it."""

    def __init__(self, key: str):
        self.key = key

    def __enter__(self):
        with _locks_guard:
            entry = _locks.setdefault(self.key, [threading.Lock(), 0])
            entry[1] += 1
        self.lock = entry[0]
        self.held = self.lock.acquire(timeout=WAIT_SECONDS)

    def __exit__(self, *exc):
        if self.held:
            self.lock.release()
        with _locks_guard:
            entry = _locks[self.key]
            entry[1] -= 1
            if entry[1] == 0:
                del _locks[self.key]
