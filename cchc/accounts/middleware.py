"""Idle sessions end: each request of a signed-in user moves the session's end
SESSION_COOKIE_AGE (CCHC_SESSION_IDLE_MINUTES) further, at most once a minute, so that a busy user
costs one session write a minute instead of one a request (SESSION_SAVE_EVERY_REQUEST)."""

import time

from django.contrib.auth import SESSION_KEY

SEEN_KEY = "_cchc_seen"
RENEW_EVERY_SECONDS = 60


def mark_seen(session) -> None:
    session[SEEN_KEY] = int(time.time())


class SessionIdleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        # Only a signed-in session is renewed; a visitor without a session cookie costs nothing.
        if session.session_key and session.get(SESSION_KEY) is not None:
            seen = session.get(SEEN_KEY)
            if not isinstance(seen, int) or time.time() - seen >= RENEW_EVERY_SECONDS:
                mark_seen(session)  # modified: SessionMiddleware saves it with a new expiry
        return self.get_response(request)
