from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "readiness.registers"
    label = "registers"
