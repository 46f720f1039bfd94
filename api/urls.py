"""/api/v1/… (token), /api/schema/ (OpenAPI 3) and /api/docs/ (Swagger UI, its files served here)."""

from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

# The token scheme is registered with drf-spectacular where its schema is served (not at start-up:
# drf-spectacular's import is a fifth of a second that every command would pay).
from . import schema, views  # noqa: F401

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("agencies", views.AgencyViewSet, basename="agency")
router.register("price-lists", views.PriceListViewSet, basename="price-list")
router.register("volumes", views.VolumeViewSet, basename="volume")
router.register("invoices", views.InvoiceViewSet, basename="invoice")
router.register("payroll-cases", views.PayrollCaseViewSet, basename="payroll-case")
router.register("payslip-imports", views.PayslipImportViewSet, basename="payslip-import")
router.register("pension-cases", views.PensionCaseViewSet, basename="pension-case")
router.register("webhooks", views.SubscriptionViewSet, basename="webhook")
router.register("actual-costs", views.ActualCostViewSet, basename="actual-cost")

# A system has no session: DRF's views are exempt from the pages' login redirect (LoginRequired-
# Middleware) and check the token themselves (401 problem details).
schema_view = SpectacularAPIView.as_view()

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", schema_view, name="schema"),
    # A page for people: the login page first (DRF's views would answer 401).
    path("docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
]
