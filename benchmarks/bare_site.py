"""The floor for `pages.py`: a bare Django view rendering a 20-row table through a template,
with no database, no session and no middleware — what a request costs before any app work.

    gunicorn --chdir benchmarks bare_site:application
"""

import django
from django.conf import settings
from django.http import HttpResponse
from django.template import engines
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="bare-benchmark-only",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates"}],
)
django.setup()

TEMPLATE = engines["django"].from_string(
    "<!doctype html><html lang='en'><head><title>Bare</title></head><body><table>"
    "<thead><tr><th>Name</th><th>Owner</th><th>State</th></tr></thead><tbody>"
    "{% for row in rows %}<tr><td>{{ row.name }}</td><td>{{ row.owner }}</td>"
    "<td>{{ row.state|upper }}</td></tr>{% endfor %}</tbody></table></body></html>"
)
ROWS = [{"name": f"Handoff {i}", "owner": f"Owner {i % 7}", "state": "signed"} for i in range(20)]


def bare(request):
    return HttpResponse(TEMPLATE.render({"rows": ROWS}))


urlpatterns = [path("", bare)]

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
