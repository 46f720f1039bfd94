"""Pages of the audit trail and of the log of unmasked protected identities (audit.trail)."""

import re

import django_tables2 as tables
from django import forms
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django_tables2 import RequestConfig
from django_tables2.data import TableData

from audit import trail as audit
from people.identity import context_label, display_personnummer, normalize_personnummer

PER_PAGE = 50
DATE_INPUT = forms.DateInput(attrs={"type": "date"})
NOWRAP = {"td": {"class": "nowrap"}}


class AuditFilterForm(forms.Form):
    source = forms.ChoiceField(label=_("What"), required=False)
    who = forms.CharField(label=_("Changed by"), required=False, max_length=100)
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", _("Everything")), *[(s.key, s.label) for s in sources]]


class _PageData(TableData):
    """Hands django-tables2 the database-paginated audit records (see audit.Page)."""

    def __len__(self):
        return len(self.data)

    def order_by(self, aliases):
        pass  # always newest first


class AuditTable(tables.Table):
    when = tables.DateTimeColumn(verbose_name=_("When"), format="Y-m-d H:i:s", attrs=NOWRAP)
    user = tables.Column(verbose_name=_("Who"))
    action = tables.Column(verbose_name=_("Action"))
    source = tables.Column(verbose_name=_("What"), empty_values=())
    changes = tables.Column(verbose_name=_("Changes"), empty_values=())

    class Meta:
        orderable = False
        empty_text = _("No changes match the filter.")

    def render_source(self, record):
        if record.url:
            return format_html('{}: <a href="{}">{}</a>', record.source, record.url, record.object_label)
        return format_html("{}: {}", record.source, record.object_label)

    def render_changes(self, record):
        if not record.changes:
            return "—"
        return format_html(
            '<ul class="audit-changes">{}</ul>', format_html_join("", "{}", ((_change(c),) for c in record.changes))
        )


DATE_VALUE = re.compile(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?")


def _value(value):
    """A field's value; a date or a time never breaks across lines."""
    if not value:
        return "—"
    if DATE_VALUE.fullmatch(str(value)):
        return format_html('<span class="nowrap">{}</span>', value)
    return value


def _change(change):
    if change.initial:
        return format_html('<li><span class="audit-field">{}</span>: {}</li>', change.field, _value(change.new))
    return format_html(
        '<li><span class="audit-field">{}</span>: <del>{}</del> → <ins>{}</ins></li>',
        change.field,
        _value(change.old),
        _value(change.new),
    )


@permission_required(audit.PERMISSION, raise_exception=True)
def audit_trail(request):
    """Who changed what and when: every unit for administrators, their own unit's objects for unit managers."""
    sources = audit.sources_for(request.user)
    form = AuditFilterForm(request.GET or None, sources=sources)
    filters = form.cleaned_data if form.is_valid() else {}
    records = audit.records_for(
        request.user,
        source=filters.get("source") or "",
        who=filters.get("who") or "",
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    if request.GET and not form.is_valid():
        records = None
    page = audit.Page(request.user, records)
    table = AuditTable(_PageData(page))
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render(
        request,
        "audit/trail.html",
        {"form": form, "table": table, "count": len(page), "every_unit": audit.sees_every_unit(request.user)},
    )


class IdentityFilterForm(forms.Form):
    who = forms.CharField(label=_("User"), required=False, max_length=100)
    personnummer = forms.CharField(label=_("Personal identity number"), required=False, max_length=20)
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)

    def clean_personnummer(self):
        value = self.cleaned_data["personnummer"].strip()
        if not value:
            return ""
        try:
            return normalize_personnummer(value)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages[0]) from exc


class IdentityAccessTable(tables.Table):
    accessed_at = tables.DateTimeColumn(verbose_name=_("When"), format="Y-m-d H:i:s", attrs=NOWRAP)
    user = tables.Column(verbose_name=_("User"))
    person = tables.Column(verbose_name=_("Personal identity number"), attrs=NOWRAP)
    context = tables.Column(verbose_name=_("Where"))

    class Meta:
        orderable = False
        empty_text = _("No views of protected identities match the filter.")

    def render_user(self, value):
        return value.get_full_name() or value.get_username()

    def render_person(self, value):
        # The log says whose identity was shown by their personal identity number (to those who may see
        # protected identities; masked for anyone else), never by name.
        return display_personnummer(value, self.request.user)

    def render_context(self, value):
        return context_label(value)


@permission_required(audit.IDENTITY_LOG_PERMISSION, raise_exception=True)
def identity_access(request):
    """Every time someone was shown a protected identity unmasked (administrators only)."""
    form = IdentityFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        views = audit.identity_views().none()
    else:
        filters = form.cleaned_data if form.is_bound else {}
        views = audit.identity_views(
            who=filters.get("who") or "",
            personnummer=filters.get("personnummer") or "",
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
        )
    table = IdentityAccessTable(views)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render(request, "audit/identity_access.html", {"form": form, "table": table, "count": views.count()})
