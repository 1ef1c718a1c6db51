from csp.utils import build_policy
from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone

# Longest query-string value any page reads; longer ones are cut, not searched for.
MAX_PARAM_LENGTH = 200


def _printable(value: str) -> str:
    return "".join(ch for ch in value if ch.isprintable())[:MAX_PARAM_LENGTH]


class CleanQueryMiddleware:
    """Control characters (NUL among them, which PostgreSQL refuses) never reach a page from
    the query string, and no value is longer than any page needs. Every page reads its
    parameters from this cleaned copy, so none has to remember to."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.GET:
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(_printable(key), [_printable(v) for v in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)


class HtmxLoginRedirectMiddleware:
    """When a session expires, htmx must navigate to the login page, not swap it into a panel."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            getattr(request, "htmx", False)
            and response.status_code == 302
            and response.get("Location", "").startswith(settings.LOGIN_URL_PATH)
        ):
            redirect = HttpResponse(status=204)
            redirect["HX-Redirect"] = response["Location"]
            return redirect
        return response


class SecurityHeadersMiddleware:
    """Content-Security-Policy (settings.CONTENT_SECURITY_POLICY, written by django-csp) and
    Permissions-Policy (settings.PERMISSIONS_POLICY) on every response.

    No page uses a nonce or a policy of its own, so the header is built once at start-up
    rather than per response as django-csp's middleware does; like it, a header a view set
    itself is left alone, and DEBUG's error pages (404, 500) get none so their styles load."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.headers = {
            "Content-Security-Policy": build_policy(),
            "Permissions-Policy": settings.PERMISSIONS_POLICY,
        }
        self.headers = {name: value for name, value in self.headers.items() if value}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        debug_error_page = settings.DEBUG and response.status_code in (404, 500)
        for name, value in self.headers.items():
            if debug_error_page and name == "Content-Security-Policy":
                continue
            response.headers.setdefault(name, value)
        return response


class ProjectTimeZoneMiddleware:
    """Each request starts in the site's time zone and ends by returning to it.

    A project's pages switch to the project's zone when they fetch the project
    (projects.selectors.get_project_for), so every time they show reads in that zone; this
    makes sure the switch never outlives the request on the thread that served it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
