import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import PriceItem, PriceList
from .services import ItemSpec, check_items

FIELD_OF_PROBLEM = {"base_item_code": "base_item_code"}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class PriceListForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    effective_from = forms.DateField(
        label=_("Effective from"),
        widget=DateInput(),
        required=False,
        help_text=_("The first day the prices apply; 1 January of the year if left empty."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. the board's decision the prices come from."),
    )

    def __init__(self, *args, price_list: PriceList | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.price_list = price_list
        if price_list is not None:
            del self.fields["year"]
            self.fields["effective_from"].required = True

    def clean_year(self):
        year = self.cleaned_data["year"]
        if PriceList.objects.filter(year=year).exists():
            raise ValidationError(
                _("There is already a price list for %(year)s; change it or make a new version."),
                params={"year": year},
            )
        return year

    def clean(self):
        cleaned = super().clean()
        if (
            self.price_list is not None
            and PriceList.objects.filter(pk=self.price_list.pk, frozen_at__isnull=False).exists()
        ):
            raise ValidationError(
                _("%(list)s is frozen: it has been used on an issued invoice. Changes are made in a new version.")
                % {"list": self.price_list}
            )
        year = self.price_list.year if self.price_list else cleaned.get("year")
        day = cleaned.get("effective_from")
        if year and not day:
            cleaned["effective_from"] = dt.date(year, 1, 1)
        elif year and day and day.year != year:
            self.add_error("effective_from", _("The first day must be in %(year)s.") % {"year": year})
        return cleaned


class PriceItemForm(forms.Form):
    item_code = forms.CharField(label=_("Item code"), max_length=40, required=False)
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    price = forms.DecimalField(label=_("Price (SEK)"), max_digits=14, decimal_places=2, required=False, localize=True)
    base_item_code = forms.CharField(label=_("Included base item"), max_length=40, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=PriceItem.Kind.choices, initial=PriceItem.Kind.PER_UNIT, required=False
    )

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(k) not in (None, "") for k in ("item_code", "name", "unit", "price", "base_item_code"))


class BasePriceItemFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        self.items: list[ItemSpec] = []
        forms_of_items = []
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            if form.is_blank():
                continue
            data = form.cleaned_data
            self.items.append(
                ItemSpec(
                    item_code=(data.get("item_code") or "").strip(),
                    name=(data.get("name") or "").strip(),
                    unit=(data.get("unit") or "").strip(),
                    price=data.get("price"),
                    base_item_code=(data.get("base_item_code") or "").strip(),
                    note=(data.get("note") or "").strip(),
                    kind=data.get("kind") or PriceItem.Kind.PER_UNIT,
                )
            )
            forms_of_items.append(form)
        if not self.items:
            raise ValidationError(_("A price list needs at least one item."))
        for problem in check_items(self.items):
            form = forms_of_items[problem.index]
            if problem.field == "price" and self.items[problem.index].price is None:
                form.add_error("price", _("This field is required."))
            else:
                form.add_error(problem.field, problem.message)
        if any(f.errors for f in forms_of_items):
            raise ValidationError(_("Please correct the items marked below."))


PriceItemFormSet = forms.formset_factory(PriceItemForm, formset=BasePriceItemFormSet, extra=3, can_delete=True)


def initial_items(price_list: PriceList) -> list[dict]:
    return [
        {
            "item_code": item.item_code,
            "name": item.name,
            "unit": item.unit,
            "price": item.price,
            "base_item_code": item.base_item.item_code if item.base_item_id else "",
            "note": item.note,
            "kind": item.kind,
        }
        for item in price_list.items.select_related("base_item").order_by("id")
    ]


class NewVersionForm(forms.Form):
    effective_from = forms.DateField(
        label=_("Effective from"),
        widget=DateInput(),
        help_text=_("The first day the new prices apply. Earlier periods keep the prices of the frozen version."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, price_list: PriceList, **kwargs):
        super().__init__(*args, **kwargs)
        self.price_list = price_list

    def clean_effective_from(self):
        day = self.cleaned_data["effective_from"]
        if day.year != self.price_list.year:
            raise ValidationError(_("The first day must be in %(year)s.") % {"year": self.price_list.year})
        if day < self.price_list.effective_from:
            raise ValidationError(
                _("A new version cannot start before the version it replaces (%(day)s).")
                % {"day": self.price_list.effective_from}
            )
        return day


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}))


class MonthlyAmountsForm(forms.Form):
    """One amount field per agency (SEK, not negative, at most two decimals); an empty field means
    no fixed amount for that agency. ``amounts`` maps each agency given a value to its amount."""

    def __init__(self, *args, agencies, current: dict, disabled: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.agencies = list(agencies)
        for agency in self.agencies:
            self.fields[f"agency_{agency.pk}"] = forms.DecimalField(
                label=f"{agency.code} {agency.name}",
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=2,
                localize=True,
                initial=current.get(agency.pk),
                disabled=disabled,
            )

    def rows(self):
        return [(agency, self[f"agency_{agency.pk}"]) for agency in self.agencies]

    @property
    def amounts(self) -> dict:
        return {
            agency: self.cleaned_data[f"agency_{agency.pk}"]
            for agency in self.agencies
            if self.cleaned_data.get(f"agency_{agency.pk}") is not None
        }
