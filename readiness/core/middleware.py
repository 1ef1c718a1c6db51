from django.conf import settings
from django.http import HttpRequest, HttpResponse


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
