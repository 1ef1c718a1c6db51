from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "readiness.projects"
    label = "projects"

    def ready(self) -> None:
        from readiness.projects import permissions  # noqa: F401  (registers the rules)
