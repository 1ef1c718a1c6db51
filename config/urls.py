from django.contrib import admin
from django.urls import include, path

from readiness.dossiers import urls as dossier_urls
from readiness.portal import urls as portal_urls
from readiness.portal import views as portal_views
from readiness.projects import urls as project_urls

# The portal's pages join the namespaces of the apps they show, so their URL names stay
# `projects:overview`, `registers:list`, `dossiers:portfolio`; no app below imports the portal.
urlpatterns = [
    path("", portal_views.home, name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path(
        "projects/",
        include((project_urls.urlpatterns + portal_urls.project_patterns, project_urls.app_name)),
    ),
    path(
        "projects/<slug:slug>/registers/",
        include((portal_urls.register_patterns, "registers")),
    ),
    path("projects/<slug:slug>/", include("readiness.transfer.urls")),
    path("", include("readiness.reviews.urls")),
    path(
        "",
        include((dossier_urls.urlpatterns + portal_urls.dossier_patterns, dossier_urls.app_name)),
    ),
]
