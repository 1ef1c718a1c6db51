from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "readiness.portal"
    label = "portal"
