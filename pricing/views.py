"""Price lists: read by managers and finance, managed by administrators."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from core.exports import csv_bytes, download, xlsx_bytes
from core.forms import add_service_errors
from core.periods import current_period
from core.uploads import import_page
from core.views import form_page

from . import imports, selectors, services
from .forms import (
    ImportForm,
    MonthlyAmountsForm,
    NewVersionForm,
    PriceItemFormSet,
    PriceListForm,
    initial_items,
)
from .models import AgencyMonthlyAmount, PriceItem, PriceList
from .tables import PriceItemTable, PriceListTable


def _in_force_today() -> PriceList | None:
    try:
        return services.price_list_in_force(current_period())
    except services.NoPriceList:
        return None


@permission_required("pricing.view_pricelist", raise_exception=True)
def pricelist_list(request):
    price_lists = PriceList.objects.annotate(item_count=Count("items")).order_by("-year", "-version")
    in_force = _in_force_today()
    table = PriceListTable(price_lists, in_force_ids=[in_force.pk] if in_force else [])
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return render(request, "pricing/pricelist_list.html", {"table": table, "in_force": in_force})


@permission_required("pricing.view_pricelist", raise_exception=True)
def pricelist_detail(request, pk):
    price_list = get_object_or_404(PriceList.objects.select_related("copied_from", "created_by"), pk=pk)
    items = price_list.items.select_related("base_item").order_by("id")
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        # The same columns the import reads, so an exported list can be edited and imported.
        header = ["year", "item_code", "name", "unit", "price", "base_item", "note", "kind"]
        rows = [
            [
                price_list.year,
                i.item_code,
                i.name,
                i.unit,
                i.price,
                i.base_item.item_code if i.base_item_id else "",
                i.note,
                i.kind,
            ]
            for i in items
        ]
        filename = f"price-list-{price_list.year}-v{price_list.version}"
        if fmt == "xlsx":
            return download(xlsx_bytes(header, rows, title=str(price_list)), f"{filename}.xlsx")
        return download(csv_bytes(header, rows), f"{filename}.csv")
    versions = PriceList.objects.filter(year=price_list.year).order_by("version")
    newest = versions.last()
    in_force = _in_force_today()
    return render(
        request,
        "pricing/pricelist_detail.html",
        {
            "price_list": price_list,
            "table": PriceItemTable(items),
            "fixed_items": [i for i in items if i.is_fixed_monthly],
            "monthly_amounts": AgencyMonthlyAmount.objects.filter(item__price_list=price_list)
            .select_related("item", "agency")
            .order_by("item_id", "agency__code"),
            "versions": versions,
            "newest": newest,
            "is_newest": newest.pk == price_list.pk,
            "in_force_today": in_force is not None and in_force.pk == price_list.pk,
        },
    )


@permission_required("pricing.add_pricelist", raise_exception=True)
def pricelist_create(request):
    """A new year's list; its items start as a copy of the newest list, ready for the new prices."""
    template = PriceList.objects.order_by("-year", "-version").first()
    form = PriceListForm(request.POST or None, initial={"year": (template.year + 1) if template else None})
    formset = PriceItemFormSet(request.POST or None, initial=initial_items(template) if template else None)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            price_list = services.create_price_list(
                year=form.cleaned_data["year"],
                effective_from=form.cleaned_data["effective_from"],
                note=form.cleaned_data["note"],
                items=formset.items,
                user=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The price list %(list)s was created.") % {"list": price_list})
            return redirect("pricing:pricelist_detail", pk=price_list.pk)
    return render(
        request,
        "pricing/pricelist_form.html",
        {"form": form, "formset": formset, "title": _("New price list"), "price_list": None, "template": template},
        status=400 if request.method == "POST" else 200,
    )


@permission_required("pricing.change_pricelist", raise_exception=True)
def pricelist_edit(request, pk):
    price_list = get_object_or_404(PriceList, pk=pk)
    if price_list.is_frozen:
        messages.warning(
            request,
            _("%(list)s is frozen because it has been used on an issued invoice. Changes are made in a new version.")
            % {"list": price_list},
        )
        return redirect("pricing:pricelist_new_version", pk=price_list.pk)
    form = PriceListForm(
        request.POST or None,
        price_list=price_list,
        initial={"effective_from": price_list.effective_from, "note": price_list.note},
    )
    formset = PriceItemFormSet(request.POST or None, initial=initial_items(price_list))
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.update_price_list(
                price_list=price_list,
                effective_from=form.cleaned_data["effective_from"],
                note=form.cleaned_data["note"],
                items=formset.items,
            )
        except services.PriceListFrozen as exc:
            messages.error(request, str(exc))
            return redirect("pricing:pricelist_new_version", pk=price_list.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The price list %(list)s was saved.") % {"list": price_list})
            return redirect("pricing:pricelist_detail", pk=price_list.pk)
    return render(
        request,
        "pricing/pricelist_form.html",
        {
            "form": form,
            "formset": formset,
            "title": _("Change price list %(list)s") % {"list": price_list},
            "price_list": price_list,
        },
        status=400 if request.method == "POST" else 200,
    )


@permission_required("pricing.change_pricelist", raise_exception=True)
def monthly_amounts_edit(request, pk, item_code):
    """Each agency's amount per month for a fixed monthly item of a version, in one form. A frozen
    list shows them and refuses a change: changes are made in a new version."""
    price_list = get_object_or_404(PriceList, pk=pk)
    item = get_object_or_404(
        PriceItem.objects.select_related("price_list"),
        price_list=price_list,
        item_code=item_code,
        kind=PriceItem.Kind.FIXED_MONTHLY,
    )
    frozen_message = _(
        "%(list)s is frozen because it has been used on an issued invoice. "
        "Its monthly amounts are changed in a new version."
    ) % {"list": price_list}
    form = MonthlyAmountsForm(
        request.POST or None,
        agencies=selectors.monthly_amount_agencies(item),
        current=selectors.monthly_amounts_of(item),
        disabled=price_list.is_frozen,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if price_list.is_frozen:
            form.add_error(None, frozen_message)
        elif form.is_valid():
            try:
                services.set_monthly_amounts(price_list=price_list, item_code=item.item_code, amounts=form.amounts)
            except services.PriceListFrozen:
                form.add_error(None, frozen_message)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The monthly amounts of %(code)s in %(list)s were saved.")
                    % {"code": item.item_code, "list": price_list},
                )
                return redirect("pricing:pricelist_detail", pk=price_list.pk)
    elif price_list.is_frozen:
        messages.warning(request, frozen_message)
    return render(
        request,
        "pricing/monthly_amounts_form.html",
        {"form": form, "price_list": price_list, "item": item},
        status=status,
    )


@permission_required("pricing.add_pricelist", raise_exception=True)
def pricelist_new_version(request, pk):
    price_list = get_object_or_404(PriceList, pk=pk)
    newest = services.latest_version(price_list.year)
    if newest.pk != price_list.pk:
        messages.info(
            request,
            _("%(newest)s is the newest version of %(year)s; change that one.")
            % {"newest": newest, "year": price_list.year},
        )
        return redirect("pricing:pricelist_detail", pk=newest.pk)
    today = timezone.localdate()
    suggested = today.replace(day=1) if today.year == price_list.year else price_list.effective_from
    form = NewVersionForm(
        request.POST or None,
        price_list=price_list,
        initial={"effective_from": max(suggested, price_list.effective_from)},
    )
    return form_page(
        request,
        form,
        save=lambda data: services.new_price_list_version(price_list=price_list, user=request.user, **data),
        success=lambda copy: (
            _("Version %(version)s was made as a copy of %(list)s. Change its prices and save.")
            % {"version": copy.version, "list": price_list}
        ),
        next_url=lambda copy: reverse("pricing:pricelist_edit", args=[copy.pk]),
        template="pricing/pricelist_new_version.html",
        context={"price_list": price_list},
    )


@require_POST
@permission_required("pricing.freeze_pricelist", raise_exception=True)
def pricelist_freeze(request, pk):
    price_list = get_object_or_404(PriceList, pk=pk)
    try:
        services.freeze_price_list(price_list=price_list)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("%(list)s is frozen. Later changes are made in a new version.") % {"list": price_list}
        )
    return redirect("pricing:pricelist_detail", pk=price_list.pk)


@require_POST
@permission_required("pricing.change_pricelist", raise_exception=True)
def pricelist_decide(request, pk):
    price_list = get_object_or_404(PriceList, pk=pk)
    try:
        services.decide_price_list(price_list=price_list, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(list)s is decided: it is in force from %(day)s.")
            % {"list": price_list, "day": date_format(price_list.effective_from, "SHORT_DATE_FORMAT")},
        )
    return redirect("pricing:pricelist_detail", pk=price_list.pk)


@permission_required("pricing.import_price_list", raise_exception=True)
def pricelist_import(request):
    return import_page(
        request,
        form_class=ImportForm,
        template="pricing/pricelist_import.html",
        run=lambda form: imports.import_price_list(form.cleaned_data["file"], user=request.user),
    )
