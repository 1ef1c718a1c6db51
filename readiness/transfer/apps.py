from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "readiness.transfer"
    verbose_name = "Import and export"
