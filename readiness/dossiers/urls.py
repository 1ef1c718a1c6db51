from django.urls import path

from readiness.dossiers import views

app_name = "dossiers"
urlpatterns = [
    path("projects/<slug:slug>/dossiers/", views.dossier_list, name="list"),
    path("projects/<slug:slug>/dossiers/new/", views.dossier_request, name="request"),
    path("projects/<slug:slug>/dossiers/<int:pk>/", views.dossier_status, name="status"),
    path("projects/<slug:slug>/dossiers/<int:pk>/retry/", views.dossier_retry, name="retry"),
    path(
        "projects/<slug:slug>/dossiers/<int:pk>/download/",
        views.dossier_download,
        name="download",
    ),
]
