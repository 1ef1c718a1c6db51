from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "readiness.core"
    label = "core"

    def ready(self) -> None:
        # The release id of kept pages is worked out once, when a process starts, not on the
        # first page a user asks for.
        from readiness.core.pages import release

        release()
