from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PeriodField

from .models import CostType
from .services import MAX_AMOUNT


class EconomyForm(forms.Form):
    period = PeriodField(label=_("Actuals up to and including"), help_text=_("YYYY-MM, e.g. 2012-08"))


class FileImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class CostBudgetForm(forms.Form):
    """A year's cost budget as one grid: a field per unit and cost type (SEK, empty is zero)."""

    def __init__(self, *args, units, initial_amounts: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = list(units)
        for unit in self.units:
            for cost_type in CostType:
                name = self.field_name(unit.pk, cost_type.value)
                self.fields[name] = forms.DecimalField(
                    label=f"{unit.name}: {cost_type.label}",
                    required=False,
                    min_value=Decimal("0"),
                    max_value=MAX_AMOUNT,
                    decimal_places=2,
                    initial=initial_amounts.get((unit.pk, cost_type.value)),
                    localize=True,
                )

    @staticmethod
    def field_name(unit_id: int, cost_type: str) -> str:
        return f"u{unit_id}_{cost_type}"

    def grid(self):
        """Rows for the template: (unit, [bound field per cost type])."""
        return [(unit, [self[self.field_name(unit.pk, t.value)] for t in CostType]) for unit in self.units]

    def amounts(self) -> dict[tuple[int, str], Decimal]:
        return {
            (unit.pk, t.value): self.cleaned_data[self.field_name(unit.pk, t.value)] or Decimal("0")
            for unit in self.units
            for t in CostType
        }
