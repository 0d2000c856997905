from django.apps import AppConfig


class DevdataConfig(AppConfig):
    """Demo and bench seeders; the product never imports them."""

    name = "devdata"
    verbose_name = "Demo and bench data"
