"""Pages of the economy: the economy report, the cost budget and the two imports."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import exports
from core.billing import latest_closed_period
from core.forms import add_service_errors
from core.periods import current_period, parse_period, previous_period
from core.uploads import import_page
from organisation.selectors import scoped_unit_ids
from pricing.services import NoPriceList

from . import imports, reports, selectors, services, simulator
from .forms import CostBudgetForm, EconomyForm, FileImportForm, SimulatorForm, YearForm
from .models import CostType, PriceScenario

FORMATS = ("csv", "xlsx", "pdf")


def _default_period() -> str:
    return latest_closed_period() or previous_period(current_period())


@permission_required("economy.view_economy", raise_exception=True)
def economy(request):
    form = EconomyForm(request.GET or {"period": _default_period()})
    report = None
    if form.is_valid():
        report = reports.economy_report(period=form.cleaned_data["period"], unit_ids=scoped_unit_ids(request.user))
        fmt = request.GET.get("format")
        if fmt in FORMATS:
            return exports.download(report.render(fmt), report.filename(fmt))
    # The download links carry the period shown, also when it is the default one.
    params = request.GET.copy()
    params.pop("format", None)
    params.setdefault("period", form.data.get("period", ""))
    return render(request, "economy/economy.html", {"form": form, "report": report, "query": params.urlencode()})


@permission_required("economy.view_economy", raise_exception=True)
def cost_budget(request):
    year_form = YearForm(request.GET or {"year": int(_default_period()[:4])})
    year = year_form.cleaned_data["year"] if year_form.is_valid() else int(_default_period()[:4])
    can_change = request.user.has_perm("economy.change_costbudget")
    unit_ids = scoped_unit_ids(request.user)
    units = selectors.units(unit_ids)
    initial = {
        (unit_id, cost_type): amount
        for unit_id, by_type in selectors.cost_budget(year=year).items()
        for cost_type, amount in by_type.items()
    }
    form = CostBudgetForm(request.POST if request.method == "POST" else None, units=units, initial_amounts=initial)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            services.save_cost_budget(year=year, amounts=form.amounts(), unit_ids=unit_ids, user=request.user)
            messages.success(request, _("The cost budget for %(year)s is saved.") % {"year": year})
            return redirect(f"{reverse('economy:cost_budget')}?year={year}")
    return render(
        request,
        "economy/cost_budget.html",
        {"form": form, "year_form": year_form, "year": year, "can_change": can_change, "cost_types": CostType.choices},
        status=400 if form.errors else 200,
    )


def _import(request, *, run, template, done):
    return import_page(
        request,
        form_class=FileImportForm,
        template=template,
        run=lambda form: run(file=form.cleaned_data["file"], user=request.user),
        done_url=done,
    )


@permission_required("economy.import_costs", raise_exception=True)
def cost_budget_import(request):
    return _import(
        request,
        run=imports.import_cost_budget,
        template="economy/cost_budget_import.html",
        done=lambda result: f"{reverse('economy:cost_budget')}?year={result.target[-1]}",
    )


@permission_required("economy.import_costs", raise_exception=True)
def actual_cost_import(request):
    return _import(
        request,
        run=imports.import_actual_costs,
        template="economy/actual_cost_import.html",
        done=lambda result: f"{reverse('economy:economy')}?period={result.target[-1]}",
    )


# --- the price-model simulator and its scenarios ------------------------------------------------


def _simulator_start(request) -> tuple[str, int]:
    base = request.GET.get("base") or simulator.default_base_period()
    try:
        parse_period(base)
    except ValidationError:
        base = simulator.default_base_period()
    try:
        year = int(request.GET.get("year") or int(base[:4]) + 1)
    except ValueError:
        year = int(base[:4]) + 1
    return base, min(max(year, 2000), 2100)


@permission_required("economy.simulate_prices", raise_exception=True)
def price_simulator(request):
    base, year = _simulator_start(request)
    try:
        inputs = simulator.default_inputs(year=year, base_period=base)
    except NoPriceList as exc:
        return render(request, "economy/simulator.html", {"problem": str(exc), "base": base, "year": year})
    form = SimulatorForm(request.POST or None, inputs=inputs)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            inputs = form.inputs()
            if "save" in request.POST:
                try:
                    scenario = services.save_scenario(
                        name=form.cleaned_data["name"],
                        model=form.cleaned_data["model"],
                        inputs=inputs,
                        user=request.user,
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                    status = 400
                else:
                    messages.success(request, _("The scenario '%(name)s' is saved.") % {"name": scenario.name})
                    return redirect("economy:scenario", pk=scenario.pk)
        else:
            status = 400
    return render(
        request,
        "economy/simulator.html",
        {
            "form": form,
            "inputs": inputs,
            "table": simulator.side_by_side(simulator.simulate(inputs)),
            "base": base,
            "year": year,
        },
        status=status,
    )


@permission_required("economy.simulate_prices", raise_exception=True)
def scenarios(request):
    """The saved scenarios; those ticked are compared side by side."""
    chosen = [value for value in request.GET.getlist("id") if value.isdigit()]
    compared = list(PriceScenario.objects.filter(pk__in=chosen).order_by("year", "created_at"))
    return render(
        request,
        "economy/scenarios.html",
        {
            "scenarios": PriceScenario.objects.select_related("created_by", "price_list"),
            "compared": compared,
            "comparison": simulator.compare(compared),
            "chosen": chosen,
        },
    )


@permission_required("economy.simulate_prices", raise_exception=True)
def scenario(request, pk):
    found = get_object_or_404(PriceScenario.objects.select_related("created_by", "price_list"), pk=pk)
    return render(
        request,
        "economy/scenario.html",
        {"scenario": found, "inputs": found.inputs, "table": simulator.side_by_side(found.result)},
    )


@require_POST
@permission_required("economy.simulate_prices", raise_exception=True)
def scenario_price_list(request, pk):
    found = get_object_or_404(PriceScenario, pk=pk)
    try:
        price_list = services.make_draft_price_list(scenario=found, user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("economy:scenario", pk=found.pk)
    messages.success(
        request,
        _("The draft price list %(list)s is made from the scenario: it is not in force until its decision is recorded.")
        % {"list": price_list},
    )
    return redirect("pricing:pricelist_detail", pk=price_list.pk)
