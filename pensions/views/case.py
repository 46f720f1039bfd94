"""One pension case: registering, its page with the status flow, editing and assigning."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.documents import desk_context
from core.forms import add_service_errors
from core.views import form_page
from organisation.selectors import units_for
from people.identity import can_see_protected, display_name, display_personnummer, log_unmasked_view
from people.models import Person
from people.services import upsert_person

from .. import services
from ..forms import (
    AssignForm,
    CaseEditForm,
    CaseForm,
    CloseForm,
    DecideForm,
    NoteForm,
    PaidForm,
    WaitForm,
)
from ..models import PensionCase
from .common import CHANGE, VIEW, case_or_404

# --- one case -----------------------------------------------------------------------------------


@permission_required("pensions.add_pensioncase", raise_exception=True)
def case_create(request):
    def save(data):
        person = upsert_person(
            personnummer=data["personnummer"], name=data["name"], protected_identity=data["protected_identity"]
        )
        return services.register_case(
            kind=data["kind"],
            agency=data["agency"],
            person=person,
            unit=data["unit"],
            received_on=data["received_on"],
            due_on=data["due_on"],
            handler=data["handler"],
            note=data["note"],
            user=request.user,
        )

    return form_page(
        request,
        CaseForm(request.POST or None, units=units_for(request.user)),
        save=save,
        success=lambda case: _("Case %(number)s was registered.") % {"number": case.number},
        next_url=lambda case: reverse("pensions:case_detail", args=[case.pk]),
        template="pensions/case_form.html",
    )


ACTION_FORMS = {
    "investigate": NoteForm,
    "wait": WaitForm,
    "decide": DecideForm,
    "paid": PaidForm,
    "close": CloseForm,
}
ACTION_TARGET = {
    "investigate": PensionCase.Status.INVESTIGATING,
    "wait": PensionCase.Status.WAITING,
    "decide": PensionCase.Status.DECIDED,
    "paid": PensionCase.Status.PAID,
    "close": PensionCase.Status.CLOSED,
}
ACTION_LABELS = {
    "investigate": gettext_lazy("Start investigation"),
    "wait": gettext_lazy("Wait for information"),
    "decide": gettext_lazy("Record decision"),
    "paid": gettext_lazy("Mark paid"),
    "close": gettext_lazy("Close the case"),
}


def _available_actions(case: PensionCase) -> list[str]:
    allowed = services.TRANSITIONS[case.status]
    actions = [name for name, target in ACTION_TARGET.items() if target in allowed]
    if "paid" in actions and case.decision != PensionCase.Decision.GRANTED:
        actions.remove("paid")
    return actions


def _shown_value(field, value, user, people: list):
    if value in (None, ""):
        return "—"
    if field.choices:
        return dict(field.choices).get(value, value)
    if field.is_relation and field.related_model is Person:
        # A person the case named before: masked like the case's own person, and logged when shown.
        person = Person.objects.filter(pk=value).first()
        if person is None:
            return "—"
        people.append(person)
        return f"{display_name(person, user)} ({display_personnummer(person, user)})"
    if field.is_relation:
        obj = field.related_model.objects.filter(pk=value).first()
        return getattr(obj, "code", None) or getattr(obj, "name", None) or str(obj or value)
    return value


def _field_changes(history, user, people: list) -> list[dict]:
    """Changes of other fields than the status (shown in the status history), oldest first; the
    people they name are added to ``people``."""
    rows = []
    for previous, record in zip(history, history[1:], strict=False):
        for change in record.diff_against(previous).changes:
            if change.field in ("status", "waiting_for", "billing_period"):
                continue
            field = PensionCase._meta.get_field(change.field)
            rows.append(
                {
                    "when": record.history_date,
                    "who": record.history_user,
                    "field": field.verbose_name,
                    "old": _shown_value(field, change.old, user, people),
                    "new": _shown_value(field, change.new, user, people),
                }
            )
    return rows


def _detail(request, case, *, bound: dict | None = None, status=200):
    user = request.user
    can_change = user.has_perm(CHANGE)
    forms = {}
    if can_change:
        for action in _available_actions(case):
            forms[action] = (bound or {}).get(action) or ACTION_FORMS[action](prefix=action)
    history = list(case.history.select_related("history_user").order_by("history_date", "history_id"))
    people = []
    field_changes = _field_changes(history, user, people)
    log_unmasked_view(user, list({p.pk: p for p in [case.person, *people]}.values()), f"pensions: case {case.number}")
    context = {
        "case": case,
        "person_name": display_name(case.person, user),
        "person_number": display_personnummer(case.person, user),
        "masked": display_personnummer(case.person, user) != case.person.personnummer,
        "changes": case.changes.select_related("by"),
        "field_changes": field_changes,
        "can_change": can_change,
        "action_forms": [(name, ACTION_LABELS[name], form) for name, form in forms.items()],
        "assign_form": (bound or {}).get("assign") or AssignForm(case=case) if can_change else None,
        "my_staff": getattr(user, "staff_member", None),
        "today": timezone.localdate(),
        "desk": desk_context(
            documents=case.documents.select_related("uploaded_by"),
            notes=case.notes.select_related("author"),
            timeline=None,  # the status history and the other changes below are the case's timeline
            can_write=can_change,
            hide_names=case.person.protected_identity and not can_see_protected(user),
            document_url=lambda doc: reverse("pensions:document", args=[doc.pk]),
            add_urls=(reverse("pensions:document_add", args=[case.pk]), reverse("pensions:note_add", args=[case.pk])),
        ),
    }
    return render(request, "pensions/case_detail.html", context, status=status)


@permission_required(VIEW, raise_exception=True)
def case_detail(request, pk):
    return _detail(request, case_or_404(request.user, pk))


@permission_required(CHANGE, raise_exception=True)
def case_edit(request, pk):
    case = case_or_404(request.user, pk)
    return form_page(
        request,
        CaseEditForm(request.POST or None, instance=case),
        save=lambda data: services.update_case(case=case, user=request.user, **data),
        success=_("The case was updated."),
        next_url=reverse("pensions:case_detail", args=[case.pk]),
        template="pensions/case_edit.html",
        context={"case": case},
    )


@require_POST
@permission_required(CHANGE, raise_exception=True)
def case_assign(request, pk):
    case = case_or_404(request.user, pk)
    form = AssignForm(request.POST, case=case)
    if not form.is_valid():
        return _detail(request, case, bound={"assign": form}, status=400)
    try:
        services.assign_case(case=case, handler=form.cleaned_data["handler"], user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        handler = form.cleaned_data["handler"]
        if handler:
            messages.success(request, _("The case was assigned to %(name)s.") % {"name": handler.name})
        else:
            messages.success(request, _("The case has no handler now."))
    return redirect("pensions:case_detail", pk=case.pk)


@require_POST
@permission_required(CHANGE, raise_exception=True)
def case_action(request, pk, action):
    """One step of the status flow, chosen by ``action``."""
    if action not in ACTION_FORMS:
        raise Http404
    case = case_or_404(request.user, pk)
    form = ACTION_FORMS[action](request.POST, prefix=action)
    if not form.is_valid():
        return _detail(request, case, bound={action: form}, status=400)
    data = form.cleaned_data
    note = data.get("note", "")
    try:
        if action == "investigate":
            services.start_investigation(case=case, user=request.user, note=note)
        elif action == "wait":
            services.wait_for_information(case=case, waiting_for=data["waiting_for"], note=note, user=request.user)
        elif action == "decide":
            services.decide_case(
                case=case,
                decision=data["decision"],
                decided_on=data["decided_on"],
                benefit_start=data.get("benefit_start"),
                note=note,
                user=request.user,
            )
        elif action == "paid":
            services.mark_paid(case=case, paid_on=data["paid_on"], note=note, user=request.user)
        else:
            services.close_case(case=case, note=note, user=request.user)
    except ValidationError as exc:
        add_service_errors(form, exc)
        case.refresh_from_db()
        return _detail(request, case, bound={action: form}, status=400)
    case.refresh_from_db()
    messages.success(
        request,
        _("%(number)s is now %(status)s.") % {"number": case.number, "status": case.get_status_display().lower()},
    )
    return redirect("pensions:case_detail", pk=case.pk)
