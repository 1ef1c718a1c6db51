from django.contrib import admin
from django.urls import include, path

from readiness.portal import urls as portal_urls
from readiness.projects import views as project_views

urlpatterns = [
    path("", project_views.home, name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("projects/", include("readiness.projects.urls")),
    path(
        "projects/<slug:slug>/registers/",
        include((portal_urls.register_patterns, "registers")),
    ),
    path("", include("readiness.reviews.urls")),
    path("", include("readiness.dossiers.urls")),
]
