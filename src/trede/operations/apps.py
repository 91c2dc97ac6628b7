from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "trede.operations"
    label = "operations"
    verbose_name = "Beheer en productie"
