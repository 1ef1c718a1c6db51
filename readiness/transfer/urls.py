from django.urls import path

from readiness.transfer import views

app_name = "transfer"

urlpatterns = [
    path("export/", views.project_export, name="project-export"),
    path("export/<slug:kind>/", views.register_export, name="register-export"),
    path("import/", views.import_upload, name="upload"),
    path("import/<slug:kind>/", views.import_upload, name="register-upload"),
    path("imports/<int:pk>/", views.import_preview, name="preview"),
    path("imports/<int:pk>/options/", views.import_options, name="options"),
    path("imports/<int:pk>/commit/", views.import_commit, name="commit"),
    path("imports/<int:pk>/cancel/", views.import_cancel, name="cancel"),
]
