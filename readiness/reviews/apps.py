from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "readiness.reviews"
    label = "reviews"
