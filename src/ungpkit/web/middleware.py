"""Security headers Django 5.2 does not send by itself: a Content-Security-Policy on every
response, and ``Cache-Control: no-store`` on the JSON API's."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# Pages (Django's admin included) load scripts, styles and images from this site only and
# run no inline script or style.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class AuditSealMiddleware:
    """Without a worker (``UNGPKIT_TASK_BACKEND=immediate``), link the audit entries a
    request wrote into the hash chain as soon as the request is done: nothing else would, and
    an unsealed entry can be deleted without a trace (decision 0003)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        from ungpkit.apps.accounts.audit import seal_if_written

        seal_if_written()
        return response


class ContentSecurityPolicyMiddleware:
    """Add a strict Content-Security-Policy header unless a view has set its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        if request.path.startswith("/api/") and "Cache-Control" not in response:
            # API answers can carry a receipt, an identity or a case file: no cache (browser
            # or proxy) keeps them, unless a view chose otherwise.
            response["Cache-Control"] = "no-store"
        return response
