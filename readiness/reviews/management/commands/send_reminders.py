"""Send the sign-off reminders now, as beat does every weekday morning.

``python manage.py send_reminders`` — for admins, and for seeing what the e-mail looks like
(the default console backend prints it).
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from readiness.reviews.reminders import send_reminders


class Command(BaseCommand):
    help = "Send the sign-off and plan-lock reminder e-mails now."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default=settings.READINESS_BASE_URL,
            help="Start of the links in the e-mails (default: READINESS_BASE_URL).",
        )

    def handle(self, *args, base_url, **options):
        sent = send_reminders(base_url=base_url)
        self.stdout.write(f"Sent {sent} reminder{'' if sent == 1 else 's'}.")
