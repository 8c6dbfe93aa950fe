"""Gunicorn settings: `gunicorn -c config/gunicorn.conf.py config.wsgi` (scripts/start, deploy/cchc-web.service).

Every value can be changed from the environment without editing this file:

PORT / GUNICORN_BIND      where to listen; default 127.0.0.1:${PORT:-8000} (nginx in front in production)
WEB_CONCURRENCY           worker processes; default 2 × cores + 1
GUNICORN_THREADS          threads per worker; default 4
GUNICORN_TIMEOUT          seconds a request may take before its worker is restarted; default 60
GUNICORN_MAX_REQUESTS     requests a worker serves before it is replaced; default 1000
GUNICORN_ACCESS_LOG       access log file, "-" for standard output (default), "" for none
GUNICORN_ERROR_LOG        error log file, "-" for standard error (default)
LOG_LEVEL                 gunicorn's own log level (the same variable as Django's); default info
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('PORT') or 8000}"
# Process workers for CPU-bound page rendering; threads inside each so that a request waiting on the
# database (an SQLite writer holding its lock, a slow PostgreSQL query) does not idle a whole process.
workers = _int("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1)
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)
backlog = 2048

# A stuck request is killed after `timeout`; on a restart or reload the running requests get
# `graceful_timeout` to finish. Uploads are at most CCHC_MAX_UPLOAD_MB (20 MB), which nginx buffers
# before gunicorn sees them, so a minute is generous.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5

# Workers are replaced after a bounded number of requests (with jitter, so not all at once), which
# caps the growth of any slow leak in a long-running process.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = max(1, max_requests // 10)

# Request limits: a request line or header larger than a browser ever sends is refused with 400.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

# Behind nginx on the same machine: trust its X-Forwarded-Proto from the loopback only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# The forwarded client address, the request, status, size, time in microseconds and the user agent.
access_log_format = '%({x-forwarded-for}i)s %(h)s %(t)s "%(r)s" %(s)s %(B)s %(D)sus "%(a)s"'
proc_name = "cchc-web"
# No control socket (gunicorn 24+): two app servers on one machine would share its default path.
control_socket_disable = True
