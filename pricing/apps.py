from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PricingConfig(AppConfig):
    name = "pricing"
    verbose_name = _("Pricing")

    def ready(self):
        # Customers (below pricing) registers add-on hours; it learns from here which billing
        # periods are closed, so hours registered after a close go to the next open period.
        from customers import services as customer_services

        from .selectors import open_billing_period

        customer_services.set_billing_period_resolver(open_billing_period)
