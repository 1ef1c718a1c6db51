from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


def htmx_redirect(request: HttpRequest, url: str) -> HttpResponse:
    """Redirect a plain request, or tell htmx to navigate."""
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def refused(request: HttpRequest, message: str, back_url: str) -> HttpResponse:
    """A write the rules do not allow: 403 with the reason. A page with a way back, or for
    htmx just the reason, swapped in place of what was clicked (see htmx-config in base)."""
    template = "refused.html#refusal" if request.htmx else "refused.html"
    return render(request, template, {"message": message, "back_url": back_url}, status=403)
