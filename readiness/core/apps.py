from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "readiness.core"
    label = "core"
