from . import audit


class AuditContextMiddleware:
    """Makes the acting user and address known to `audit.record` for the length of a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = audit.set_request_context(user=getattr(request, "user", None), ip_address=client_ip(request))
        try:
            return self.get_response(request)
        finally:
            audit.reset_request_context(token)


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None
