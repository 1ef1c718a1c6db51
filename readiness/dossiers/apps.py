from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "readiness.dossiers"
    label = "dossiers"
