"""Background work of the reviews: the weekday sign-off reminders, scheduled by Celery beat."""

from celery import shared_task
from django.conf import settings

from readiness.reviews.reminders import send_reminders


@shared_task(acks_late=True, serializer="json", ignore_result=True)
def send_signoff_reminders() -> int:
    return send_reminders(base_url=settings.READINESS_BASE_URL)
