from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PeriodField

from . import simulator
from .models import CostType, PriceScenario
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


class SimulatorForm(forms.Form):
    """The simulator's editable inputs: the cost, the per-item mode and hand-entered prices, the key
    and base share of the fixed models, and every agency's forecast volume per item and employees."""

    cost = forms.DecimalField(
        label=_("Cost to recover (SEK)"), min_value=0, max_value=MAX_AMOUNT, decimal_places=2, localize=True
    )
    per_item_mode = forms.ChoiceField(label=_("Per-item prices (a)"), choices=list(simulator.PER_ITEM_MODES.items()))
    fixed_key = forms.ChoiceField(label=_("Split of fixed prices (b, c)"), choices=list(simulator.KEYS.items()))
    base_share = forms.DecimalField(
        label=_("Share of the cost from the fixed base (c), %"),
        min_value=0,
        max_value=100,
        decimal_places=1,
        localize=True,
    )
    name = forms.CharField(label=_("Scenario name"), max_length=100, required=False)
    model = forms.ChoiceField(label=_("Model to save"), choices=PriceScenario.Model.choices, required=False)

    def __init__(self, *args, inputs: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.base_inputs = inputs
        self.fields["cost"].initial = Decimal(inputs["cost"])
        self.fields["per_item_mode"].initial = inputs["per_item_mode"]
        self.fields["fixed_key"].initial = inputs["fixed_key"]
        self.fields["base_share"].initial = Decimal(inputs["base_share"])
        self.price_fields, self.grid = [], []
        for item in inputs["items"]:
            name = f"price_{item['code']}"
            self.fields[name] = forms.DecimalField(
                label=item["name"], min_value=0, max_value=MAX_AMOUNT, decimal_places=2, required=False, localize=True
            )
            self.fields[name].initial = Decimal(inputs["manual_prices"].get(item["code"], item["price"]))
            self.price_fields.append((item, self[name]))
        for agency in inputs["agencies"]:
            cells = []
            for item in inputs["items"]:
                name = f"v_{agency['id']}_{item['code']}"
                self.fields[name] = forms.DecimalField(
                    label=f"{agency['code']} {item['name']}", min_value=0, decimal_places=2, localize=True
                )
                self.fields[name].initial = Decimal(agency["volumes"].get(item["code"], 0))
                cells.append(self[name])
            name = f"e_{agency['id']}"
            self.fields[name] = forms.IntegerField(label=f"{agency['code']} {_('employees')}", min_value=0)
            self.fields[name].initial = agency.get("employees", 0)
            self.grid.append((agency, cells, self[name]))

    def inputs(self) -> dict:
        """The inputs as edited."""
        data = self.cleaned_data
        codes = [item["code"] for item in self.base_inputs["items"]]
        volumes = {
            (agency["id"], code): data[f"v_{agency['id']}_{code}"]
            for agency in self.base_inputs["agencies"]
            for code in codes
        }
        employees = {agency["id"]: data[f"e_{agency['id']}"] for agency in self.base_inputs["agencies"]}
        edited = simulator.with_volumes(self.base_inputs, volumes=volumes, employees=employees)
        manual = {code: str(data[f"price_{code}"]) for code in codes if data.get(f"price_{code}") is not None}
        return {
            **edited,
            "cost": str(data["cost"].quantize(Decimal("0.01"))),
            "per_item_mode": data["per_item_mode"],
            "manual_prices": manual,
            "fixed_key": data["fixed_key"],
            "base_share": str(data["base_share"]),
        }
