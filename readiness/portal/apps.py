from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "readiness.portal"
    label = "portal"

    def ready(self) -> None:
        # Registers the navigation's slot, filled into kept pages on every response.
        from readiness.portal import context_processors  # noqa: F401
