from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "trede.api"
    label = "api"
    verbose_name = "API"

    # No import of `schema` in ready(): drf-spectacular costs ~0.3 s to import, and every
    # `trede` command would pay it. REST_FRAMEWORK's DEFAULT_SCHEMA_CLASS names
    # `trede.api.schema.AutoSchema`, so the module (and the extensions it registers) is
    # imported whenever a schema is generated, before any authenticator is looked up.
