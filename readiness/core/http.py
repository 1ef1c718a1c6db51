from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def htmx_redirect(request: HttpRequest, url: str) -> HttpResponse:
    """Redirect a plain request, or tell htmx to navigate."""
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)
