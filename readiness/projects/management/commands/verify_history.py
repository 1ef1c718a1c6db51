"""Check every project's activity chain; report the first broken link and exit non-zero."""

from django.core.management.base import BaseCommand, CommandError

from readiness.projects.activity import history_verify
from readiness.projects.models import Project


class Command(BaseCommand):
    help = "Verify the hash chain of each project's activity history."

    def add_arguments(self, parser):
        parser.add_argument("--project", help="Only the project with this slug.")

    def handle(self, *args, **options):
        projects = Project.objects.order_by("pk")
        if options["project"]:
            projects = projects.filter(slug=options["project"])
            if not projects.exists():
                raise CommandError(f"No project with slug {options['project']!r}.")
        broken = []
        for project in projects:
            link = history_verify(project)
            count = project.activity.count()
            if link is None:
                noun = "entry" if count == 1 else "entries"
                self.stdout.write(f"{project.slug}: {count} {noun}, chain intact")
            else:
                broken.append(link)
                self.stdout.write(
                    self.style.ERROR(f"{project.slug}: broken at entry #{link.seq}: {link.reason}")
                )
        if broken:
            raise CommandError(f"History broken in {len(broken)} project(s).")
        self.stdout.write(self.style.SUCCESS("History verified."))
