from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The JSON API (Django REST Framework): personal access tokens and the endpoints, calling the pages' services."""

    name = "api"
    verbose_name = "JSON API"

    def ready(self) -> None:
        from progress.panels import PROFILE

        from .panels import profile_tokens_context

        PROFILE.register("api.tokens", template="api/_profile_tokens.html", context=profile_tokens_context, order=200)
