"""What the API shows of each object. Personal identity numbers and names go through people's
masking rules: a protected identity is masked unless the account may see it (and then logged)."""

from rest_framework import serializers

from customers.models import Agency
from invoicing.models import Invoice, InvoiceLine
from payroll.models import PayrollCase, PayslipImport
from pensions.models import PensionCase
from people.identity import display_name, display_personnummer
from pricing.models import PriceItem, PriceList
from webhooks.models import Attempt, Delivery, Event, Subscription


class AgencySerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)

    class Meta:
        model = Agency
        fields = ["id", "code", "name", "kind", "unit", "billing_reference", "address", "active_from", "active_to"]


class PriceItemSerializer(serializers.ModelSerializer):
    base_item = serializers.CharField(source="base_item.item_code", read_only=True, allow_null=True, default=None)

    class Meta:
        model = PriceItem
        fields = ["item_code", "name", "unit", "price", "base_item", "note"]


class PriceListSerializer(serializers.ModelSerializer):
    frozen = serializers.SerializerMethodField()
    items = PriceItemSerializer(many=True, read_only=True)

    class Meta:
        model = PriceList
        fields = ["id", "year", "version", "effective_from", "frozen", "note", "items"]

    def get_frozen(self, obj) -> bool:
        return obj.frozen_at is not None


class VolumeSerializer(serializers.Serializer):
    period = serializers.CharField()
    agency = serializers.CharField(help_text="The agency's code.")
    channel = serializers.CharField()
    payslips = serializers.IntegerField()


class InvoiceLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = InvoiceLine
        fields = [
            "position",
            "item_code",
            "name",
            "unit",
            "quantity",
            "unit_price",
            "amount",
            "base_price",
            "surcharge",
            "late_from_period",
        ]


class InvoiceSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency_code", read_only=True)
    credits_invoice = serializers.CharField(source="credited_invoice.number", read_only=True, default=None)
    lines = InvoiceLineSerializer(many=True, read_only=True)
    pdf = serializers.SerializerMethodField()
    ubl = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = [
            "id",
            "kind",
            "number",
            "agency",
            "agency_name",
            "billing_reference",
            "period",
            "revision",
            "invoice_date",
            "due_date",
            "total",
            "credits_invoice",
            "issued_at",
            "lines",
            "pdf",
            "ubl",
        ]

    def get_pdf(self, obj) -> str:
        from django.urls import reverse

        return self.context["request"].build_absolute_uri(reverse("api:invoice-pdf", args=[obj.pk]))

    def get_ubl(self, obj) -> str:
        from django.urls import reverse

        return self.context["request"].build_absolute_uri(reverse("api:invoice-ubl", args=[obj.pk]))


def _viewer(serializer):
    return serializer.context["request"].user


class PayrollCaseSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    agency = serializers.CharField(source="agency.code", read_only=True)
    personnummer = serializers.SerializerMethodField()
    name = serializers.SerializerMethodField()

    class Meta:
        model = PayrollCase
        fields = [
            "id",
            "reference",
            "agency",
            "period",
            "billing_period",
            "payslip_id",
            "personnummer",
            "name",
            "channel",
            "source",
            "status",
            "document_type",
            "received_on",
            "due_on",
            "is_late",
            "closed_on",
            "created_at",
        ]

    def get_personnummer(self, obj) -> str:
        return display_personnummer(obj.person, _viewer(self))

    def get_name(self, obj) -> str:
        return display_name(obj.person, _viewer(self), name=obj.employee_name)


class PayrollCaseCreateSerializer(serializers.Serializer):
    """The fields of the case form (payroll.forms.CaseForm checks them, with the same messages)."""

    agency = serializers.CharField(help_text="The agency's code.")
    period = serializers.CharField(help_text="YYYY-MM")
    personnummer = serializers.CharField()
    name = serializers.CharField(required=False, allow_blank=True)
    document_type = serializers.CharField()
    received_on = serializers.DateField()
    channel = serializers.CharField(required=False, default="manual")
    payslip_id = serializers.CharField(required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)


class PensionCaseSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.code", read_only=True)
    unit = serializers.CharField(source="unit.code", read_only=True)
    personnummer = serializers.SerializerMethodField()
    name = serializers.SerializerMethodField()

    class Meta:
        model = PensionCase
        fields = [
            "id",
            "number",
            "kind",
            "agency",
            "unit",
            "personnummer",
            "name",
            "status",
            "received_on",
            "due_on",
            "decision",
            "decided_on",
            "closed_on",
            "billing_period",
        ]

    def get_personnummer(self, obj) -> str:
        return display_personnummer(obj.person, _viewer(self))

    def get_name(self, obj) -> str:
        return display_name(obj.person, _viewer(self))


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.CharField()
    detail = serializers.CharField()


class PayslipImportSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    errors = serializers.SerializerMethodField()

    class Meta:
        model = PayslipImport
        fields = [
            "id",
            "url",
            "file_name",
            "status",
            "progress",
            "rows_read",
            "rows_imported",
            "summary",
            "errors",
            "created_at",
            "started_at",
            "finished_at",
        ]

    def get_url(self, obj) -> str:
        from django.urls import reverse

        return self.context["request"].build_absolute_uri(reverse("api:payslip-import-detail", args=[obj.pk]))

    def get_errors(self, obj) -> list[dict]:
        return [{"row": e["row"], "column": e["column"], "detail": e["message"]} for e in obj.errors or []]


class PayslipUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The payslip file (CSV), as on the upload page.")


class SubscriptionSerializer(serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.ChoiceField(choices=Event.choices), min_length=1)

    class Meta:
        model = Subscription
        fields = ["id", "url", "events", "description", "active", "created_at"]
        read_only_fields = ["id", "active", "created_at"]


class NewSubscriptionSerializer(SubscriptionSerializer):
    secret = serializers.CharField(read_only=True, help_text="Shown only in this answer: sign-check with it.")

    class Meta(SubscriptionSerializer.Meta):
        fields = [*SubscriptionSerializer.Meta.fields, "secret"]


class AttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attempt
        fields = ["at", "status_code", "error", "manual"]


class DeliverySerializer(serializers.ModelSerializer):
    log = AttemptSerializer(many=True, read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "message_id",
            "event",
            "status",
            "attempts",
            "last_status_code",
            "last_error",
            "next_attempt_at",
            "created_at",
            "delivered_at",
            "payload",
            "log",
        ]


class ActualCostSerializer(serializers.Serializer):
    """One row of the ledger's costs of a month: cost centre (ansvar), account (konto), amount in SEK."""

    period = serializers.CharField()
    ansvar = serializers.CharField(source="cost_centre.code")
    konto = serializers.CharField(source="account.account")
    cost_type = serializers.CharField()
    unit = serializers.CharField(source="unit.code", allow_null=True, default=None)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class ActualCostLineSerializer(serializers.Serializer):
    period = serializers.CharField(max_length=7)
    ansvar = serializers.CharField(max_length=20)
    konto = serializers.CharField(max_length=10)
    amount = serializers.CharField(max_length=20)


class ActualCostPostSerializer(serializers.Serializer):
    """The ledger's export of one or more months: each month given is replaced by its lines."""

    lines = ActualCostLineSerializer(many=True, allow_empty=False, max_length=100000)
