"""The API's endpoints: thin views over the apps' selectors and services, with the token's
account as the user (so the unit scoping and masking of the pages apply)."""

import csv
import io

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core import exports
from core.jobs import QueueUnavailable
from core.periods import is_period, periods_between
from core.uploads import record_upload, upload_refusal
from customers.models import Agency
from customers.selectors import agencies_for
from economy import imports as economy_imports
from economy.models import ActualCost
from invoicing import documents, peppol
from invoicing.models import Invoice, InvoiceLine
from invoicing.selectors import invoices_for
from organisation.selectors import scoped_unit_ids
from payroll import selectors as payroll_selectors
from payroll import services as payroll_services
from payroll import tasks as payroll_tasks
from payroll.forms import CaseForm, UploadForm
from payroll.models import MonthlyVolume, PayrollCase, PayslipImport
from pensions import selectors as pension_selectors
from pensions.models import PensionCase
from people.identity import log_unmasked_view
from pricing.models import PriceItem, PriceList
from webhooks import services as webhook_services
from webhooks.models import Delivery, Subscription

from . import serializers as s
from .idempotency import idempotent
from .problems import problem

SUPPORTED = ("sv", "en")


def request_language(request) -> str:
    """Swedish unless Accept-Language prefers English (the pages ignore it; a system has no top bar)."""
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        base = code.split("-")[0].lower()
        if base in SUPPORTED:
            return base
        if code == "*":
            break
    return "sv"


PROBLEM = OpenApiResponse(
    response=inline_serializer(
        "Problem",
        {
            "type": serializers.CharField(),
            "title": serializers.CharField(),
            "status": serializers.IntegerField(),
            "detail": serializers.CharField(required=False),
            "instance": serializers.CharField(required=False),
            "errors": serializers.ListField(child=serializers.DictField(), required=False),
        },
    ),
    description="RFC 9457 problem details (application/problem+json)",
)
ERRORS = dict.fromkeys((400, 401, 403, 404, 429), PROBLEM)


class ApiMixin:
    """Language by Accept-Language, rendered inside it; problem details for every error."""

    required_scopes: dict[str, str] = {}
    lookup_value_regex = "[0-9]+"

    def dispatch(self, request, *args, **kwargs):
        language = request_language(request)
        with translation.override(language):
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        response["Content-Language"] = language
        patch_vary_headers(response, ("Accept-Language", "Authorization"))
        return response


class ReadOnly(ApiMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    pass


# --- agencies and price lists -------------------------------------------------------------------------


class AgencyFilter(filters.FilterSet):
    code = filters.CharFilter()
    unit = filters.CharFilter(field_name="unit__code")

    class Meta:
        model = s.AgencySerializer.Meta.model
        fields = ["code", "kind", "unit"]


@extend_schema(tags=["agencies"], responses={200: s.AgencySerializer, **ERRORS})
class AgencyViewSet(ReadOnly):
    """Agencies (förvaltningar) of the account's unit, or every unit's."""

    queryset = Agency.objects.none()  # the schema's model; get_queryset scopes by account

    serializer_class = s.AgencySerializer
    required_scopes = {"read": "agencies:read"}
    filterset_class = AgencyFilter

    def get_queryset(self):
        return agencies_for(self.request.user).select_related("unit")


@extend_schema(tags=["price lists"], responses={200: s.PriceListSerializer, **ERRORS})
class PriceListViewSet(ReadOnly):
    """Price lists with their items (read-only)."""

    queryset = PriceList.objects.none()  # the schema's model; get_queryset scopes by account

    serializer_class = s.PriceListSerializer
    required_scopes = {"read": "prices:read"}
    filterset_fields = ["year"]

    def get_queryset(self):
        items = PriceItem.objects.select_related("base_item").order_by("item_code")
        return PriceList.objects.prefetch_related(Prefetch("items", queryset=items))


# --- volumes ------------------------------------------------------------------------------------------


class VolumeViewSet(ApiMixin, viewsets.GenericViewSet):
    queryset = MonthlyVolume.objects.none()  # the schema's model; get_queryset scopes by account
    required_scopes = {"read": "volumes:read"}
    serializer_class = s.VolumeSerializer
    pagination_class = None
    MAX_PERIODS = 36

    @extend_schema(
        tags=["volumes"],
        parameters=[
            OpenApiParameter("from", OpenApiTypes.STR, required=True, description="First period, YYYY-MM"),
            OpenApiParameter("to", OpenApiTypes.STR, description="Last period, YYYY-MM (default: the first)"),
        ],
        responses={200: s.VolumeSerializer(many=True), **ERRORS},
    )
    def list(self, request):
        """Payslips per period, agency and channel (the account's units)."""
        first = request.query_params.get("from", "")
        last = request.query_params.get("to", "") or first
        if not (is_period(first) and is_period(last)) or first > last:
            raise serializers.ValidationError({"from": [_("Enter a period as YYYY-MM, e.g. 2012-03.")]})
        periods = periods_between(first, last)
        if len(periods) > self.MAX_PERIODS:
            raise serializers.ValidationError({"to": [_("At most 36 months at a time.")]})
        rows = payroll_selectors.volume_rows(
            periods=periods,
            unit_ids=scoped_unit_ids(request.user),
            group_by=("period", "agency_id", "channel"),
        )
        codes = dict(agencies_for(request.user).values_list("pk", "code"))
        data = [
            {"period": r["period"], "agency": codes[r["agency_id"]], "channel": r["channel"], "payslips": r["payslips"]}
            for r in sorted(rows, key=lambda r: (r["period"], codes.get(r["agency_id"], ""), r["channel"]))
            if r["agency_id"] in codes
        ]
        return Response(s.VolumeSerializer(data, many=True).data)


# --- invoices -----------------------------------------------------------------------------------------


class InvoiceFilter(filters.FilterSet):
    agency = filters.CharFilter(field_name="agency_code")
    issued_after = filters.IsoDateTimeFilter(field_name="issued_at", lookup_expr="gte")

    class Meta:
        model = s.InvoiceSerializer.Meta.model
        fields = ["period", "kind", "agency", "issued_after"]


@extend_schema(tags=["invoices"], responses={200: s.InvoiceSerializer, **ERRORS})
class InvoiceViewSet(ReadOnly):
    """Issued invoices and credit notes with their lines (for the ledger)."""

    queryset = Invoice.objects.none()  # the schema's model; get_queryset scopes by account

    serializer_class = s.InvoiceSerializer
    required_scopes = {"read": "invoices:read"}
    filterset_class = InvoiceFilter

    def get_queryset(self):
        lines = InvoiceLine.objects.order_by("position")
        return invoices_for(self.request.user).prefetch_related(Prefetch("lines", queryset=lines))

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY, **ERRORS})
    @action(detail=True, methods=["get"], url_path="pdf")
    def pdf(self, request, pk=None):
        """The invoice as the PDF sent to the agency."""
        invoice = self.get_object()
        return exports.download(documents.invoice_pdf(invoice), documents.pdf_filename(invoice))

    @extend_schema(responses={(200, "application/xml"): OpenApiTypes.BINARY, 422: PROBLEM, **ERRORS})
    @action(detail=True, methods=["get"], url_path="ubl")
    def ubl(self, request, pk=None):
        """The invoice or credit note as a Peppol BIS Billing 3.0 e-invoice (UBL), its PDF embedded."""
        invoice = self.get_object()
        try:
            xml = peppol.einvoice_xml(invoice)
        except peppol.EInvoiceError as exc:
            return problem(422, str(exc), kind="einvoice-incomplete", request=request)
        response = exports.download(xml, peppol.filename(invoice))
        response["Content-Type"] = "application/xml"
        return response


# --- payroll cases ------------------------------------------------------------------------------------


class PayrollCaseFilter(filters.FilterSet):
    agency = filters.CharFilter(field_name="agency__code")

    class Meta:
        model = PayrollCase
        fields = ["agency", "period", "billing_period", "status", "channel"]


class PayrollCaseViewSet(
    ApiMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    queryset = PayrollCase.objects.none()  # the schema's model; get_queryset scopes by account
    required_scopes = {"read": "payroll:read", "write": "payroll:write"}
    filterset_class = PayrollCaseFilter

    def get_queryset(self):
        return payroll_selectors.cases_for(self.request.user).select_related("agency", "person")

    def get_serializer_class(self):
        return s.PayrollCaseCreateSerializer if self.action == "create" else s.PayrollCaseSerializer

    def _log(self, cases, context):
        log_unmasked_view(self.request.user, [c.person for c in cases], context)

    @extend_schema(tags=["payroll cases"], responses={200: s.PayrollCaseSerializer(many=True), **ERRORS})
    def list(self, request, *args, **kwargs):
        """Payroll cases of the account's agencies; protected identities masked unless allowed."""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        self._log(page, "API payroll case list")
        return self.get_paginated_response(s.PayrollCaseSerializer(page, many=True, context={"request": request}).data)

    @extend_schema(tags=["payroll cases"], responses={200: s.PayrollCaseSerializer, **ERRORS})
    def retrieve(self, request, *args, **kwargs):
        case = self.get_object()
        self._log([case], f"API payroll case {case.reference}")
        return Response(s.PayrollCaseSerializer(case, context={"request": request}).data)

    @extend_schema(
        tags=["payroll cases"],
        request=s.PayrollCaseCreateSerializer,
        parameters=[OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER)],
        responses={201: s.PayrollCaseSerializer, 409: PROBLEM, 422: PROBLEM, **ERRORS},
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        """Register a case from a document that arrived (as the case form does)."""
        incoming = s.PayrollCaseCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        agency = agencies_for(request.user).filter(code=data.pop("agency")).first()
        form = CaseForm(
            {**data, "agency": agency.pk if agency else "", "received_on": data["received_on"].isoformat()},
            user=request.user,
        )
        if not form.is_valid():
            errors = {field: [str(m) for m in messages] for field, messages in form.errors.items()}
            raise serializers.ValidationError(errors)
        case = payroll_services.register_case(user=request.user, **form.cleaned_data)
        case = self.get_queryset().get(pk=case.pk)
        url = reverse("api:payroll-case-detail", args=[case.pk])
        body = s.PayrollCaseSerializer(case, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": request.build_absolute_uri(url)})


# --- payslip imports ----------------------------------------------------------------------------------


def import_problem(job: PayslipImport) -> dict | None:
    """A refused import's result as a problem detail, each row error in ``errors``."""
    if job.status not in (PayslipImport.Status.REJECTED, PayslipImport.Status.FAILED):
        return None
    rejected = job.status == PayslipImport.Status.REJECTED
    return {
        "type": "urn:lonservice:problem:" + ("import-rejected" if rejected else "import-failed"),
        "title": _("The file was rejected. Nothing was imported.") if rejected else _("The import failed"),
        "status": 422 if rejected else 500,
        "detail": _("%(count)s errors; see errors (row and column).") % {"count": len(job.errors)},
        "errors": [{"row": e["row"], "column": e["column"], "detail": e["message"]} for e in job.errors],
    }


class ImportSerializerWithProblem(s.PayslipImportSerializer):
    problem = serializers.SerializerMethodField()

    class Meta(s.PayslipImportSerializer.Meta):
        fields = [*s.PayslipImportSerializer.Meta.fields, "problem"]

    def get_problem(self, obj) -> dict | None:
        return import_problem(obj)


class PayslipImportViewSet(ApiMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = PayslipImport.objects.none()  # the schema's model; get_queryset scopes by account
    required_scopes = {"read": "payslips:import", "write": "payslips:import"}
    serializer_class = ImportSerializerWithProblem
    filterset_fields = ["status"]

    def get_queryset(self):
        return payroll_selectors.imports_for(self.request.user)

    @extend_schema(tags=["payslip imports"], responses={200: ImportSerializerWithProblem(many=True), **ERRORS})
    def list(self, request, *args, **kwargs):
        """The payslip imports the account may see, newest first."""
        return super().list(request, *args, **kwargs)

    @extend_schema(tags=["payslip imports"], responses={200: ImportSerializerWithProblem, **ERRORS})
    def retrieve(self, request, *args, **kwargs):
        """An import job: its progress, then rows per agency and channel, or every refused row in
        ``problem.errors`` (nothing is imported then)."""
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        tags=["payslip imports"],
        request={"multipart/form-data": s.PayslipUploadSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER)],
        responses={202: ImportSerializerWithProblem, 409: PROBLEM, 413: PROBLEM, 422: PROBLEM, 503: PROBLEM, **ERRORS},
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        """Upload the month's payslip file: the import runs as a job (all or nothing, as on the upload
        page); the answer is 202 with the job's address in Location."""
        if refusal := upload_refusal(request.user):
            return problem(429, refusal, request=request)
        form = UploadForm(files=request.FILES)
        if not form.is_valid():
            raise serializers.ValidationError({f: [str(m) for m in e] for f, e in form.errors.items()})
        upload = form.cleaned_data["file"]
        record_upload(request.user, page="api:payslip-import-list", size=upload.size)
        try:
            job = payroll_tasks.start_payslip_import(
                uploaded_file=upload, user=request.user, language=translation.get_language()
            )
        except QueueUnavailable as exc:
            return problem(503, str(exc), request=request, headers={"Retry-After": "120"})
        url = request.build_absolute_uri(reverse("api:payslip-import-detail", args=[job.pk]))
        body = ImportSerializerWithProblem(job, context={"request": request}).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": url})


# --- pension cases ------------------------------------------------------------------------------------


class PensionCaseFilter(filters.FilterSet):
    agency = filters.CharFilter(field_name="agency__code")

    class Meta:
        model = PensionCase
        fields = ["agency", "status", "kind", "billing_period"]


class PensionCaseViewSet(ReadOnly):
    queryset = PensionCase.objects.none()  # the schema's model; get_queryset scopes by account
    required_scopes = {"read": "pensions:read"}
    serializer_class = s.PensionCaseSerializer
    filterset_class = PensionCaseFilter

    def get_queryset(self):
        return pension_selectors.cases_for(self.request.user)

    @extend_schema(tags=["pension cases"], responses={200: s.PensionCaseSerializer(many=True), **ERRORS})
    def list(self, request, *args, **kwargs):
        """Pension cases of the account's unit; protected identities masked unless allowed."""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        log_unmasked_view(request.user, [c.person for c in page], "API pension case list")
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(tags=["pension cases"], responses={200: s.PensionCaseSerializer, **ERRORS})
    def retrieve(self, request, *args, **kwargs):
        case = self.get_object()
        log_unmasked_view(request.user, [case.person], f"API pension case {case.number}")
        return Response(self.get_serializer(case).data)


# --- webhooks -----------------------------------------------------------------------------------------


class SubscriptionViewSet(
    ApiMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The account's own webhook subscriptions (another account's do not exist here)."""

    queryset = Subscription.objects.none()  # the schema's model; get_queryset scopes by account

    required_scopes = {"read": "webhooks", "write": "webhooks"}
    serializer_class = s.SubscriptionSerializer
    pagination_class = None

    def get_queryset(self):
        return Subscription.objects.filter(owner=self.request.user, active=True)

    @extend_schema(tags=["webhooks"], responses={200: s.SubscriptionSerializer(many=True), **ERRORS})
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(tags=["webhooks"], responses={200: s.SubscriptionSerializer, **ERRORS})
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        tags=["webhooks"],
        request=s.SubscriptionSerializer,
        parameters=[OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER)],
        responses={201: s.NewSubscriptionSerializer, 409: PROBLEM, 422: PROBLEM, **ERRORS},
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        """Subscribe to events; the answer holds the signing secret, shown only this once."""
        incoming = s.SubscriptionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        subscription = webhook_services.create_subscription(owner=request.user, **incoming.validated_data)
        body = s.NewSubscriptionSerializer(subscription).data
        url = request.build_absolute_uri(reverse("api:webhook-detail", args=[subscription.pk]))
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": url})

    @extend_schema(tags=["webhooks"], responses={204: None, **ERRORS})
    def destroy(self, request, *args, **kwargs):
        """End the subscription (its delivery log stays)."""
        webhook_services.deactivate_subscription(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(tags=["webhooks"], responses={200: s.DeliverySerializer(many=True), **ERRORS})
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        """The delivery log: each event sent, its attempts and their answers (newest first)."""
        subscription = self.get_object()
        deliveries = Delivery.objects.filter(subscription=subscription).prefetch_related("log")
        page = self.paginator_for_deliveries.paginate_queryset(deliveries, request, view=self)
        return self.paginator_for_deliveries.get_paginated_response(s.DeliverySerializer(page, many=True).data)

    @property
    def paginator_for_deliveries(self):
        from .pagination import CursorPage

        if not hasattr(self, "_delivery_pages"):
            self._delivery_pages = CursorPage()
        return self._delivery_pages

    @extend_schema(tags=["webhooks"], request=None, responses={200: s.DeliverySerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path=r"deliveries/(?P<delivery_id>\d+)/resend")
    def resend(self, request, pk=None, delivery_id=None):
        """Send a delivery again now (one attempt); the answer shows its result."""
        subscription = self.get_object()
        delivery = Delivery.objects.filter(subscription=subscription, pk=delivery_id).first()
        if delivery is None:
            return problem(404, request=request)
        delivery = webhook_services.resend(delivery)
        return Response(s.DeliverySerializer(delivery).data)


# --- actual costs (the ledger) ------------------------------------------------------------------------


class ActualCostFilter(filters.FilterSet):
    period = filters.CharFilter(field_name="period")

    class Meta:
        model = ActualCost
        fields = ["period"]


class ActualCostViewSet(ApiMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """The ledger's actual costs per month, as the CSV import takes them (the same rules, all or nothing)."""

    queryset = ActualCost.objects.none()  # the schema's model
    required_scopes = {"read": "costs:read", "write": "costs:write"}
    serializer_class = s.ActualCostSerializer
    filterset_class = ActualCostFilter

    def get_queryset(self):
        rows = ActualCost.objects.select_related("cost_centre", "account", "unit")
        unit_ids = scoped_unit_ids(self.request.user)
        if unit_ids is not None:  # a unit manager: the own units' costs, not the shared ones
            rows = rows.filter(unit_id__in=unit_ids)
        return rows.order_by("period", "cost_centre__code", "account__account", "pk")

    @extend_schema(tags=["economy"], responses={200: s.ActualCostSerializer(many=True), **ERRORS})
    def list(self, request, *args, **kwargs):
        """The actual costs imported, by month (``period``), cost centre and account."""
        return super().list(request, *args, **kwargs)

    @extend_schema(
        tags=["economy"],
        request=s.ActualCostPostSerializer,
        parameters=[OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER)],
        responses={
            201: inline_serializer(
                "ActualCostsReplaced",
                {"months": serializers.ListField(child=serializers.CharField()), "rows": serializers.IntegerField()},
            ),
            409: PROBLEM,
            422: PROBLEM,
            **ERRORS,
        },
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        """Replace each month the lines hold with them (a month's export is the whole month); a line that
        the import would refuse refuses them all (422, each error with its line number, the first line 2)."""
        incoming = s.ActualCostPostSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        # The lines as the ledger's file, read by the same importer as an upload.
        text = io.StringIO()
        writer = csv.writer(text, delimiter=";")
        writer.writerow(["period", "ansvar", "konto", "amount"])
        for line in incoming.validated_data["lines"]:
            writer.writerow([line["period"], line["ansvar"], line["konto"], line["amount"]])
        result = economy_imports.import_actual_costs(
            file=io.BytesIO(text.getvalue().encode("utf-8")), user=request.user
        )
        if not result.imported:
            errors = [{"row": e.row, "column": e.column, "detail": e.message} for e in result.errors]
            return problem(
                422,
                _("The file was rejected. Nothing was imported."),
                kind="import-rejected",
                errors=errors,
                request=request,
            )
        return Response({"months": result.target, "rows": result.counts["rows"]}, status=status.HTTP_201_CREATED)
