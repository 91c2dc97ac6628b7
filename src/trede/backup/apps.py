from django.apps import AppConfig


class BackupConfig(AppConfig):
    name = "trede.backup"
    label = "backup"
    verbose_name = "Back-up en herstel"
