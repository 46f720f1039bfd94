"""Reads of workplaces, scoped to the user's agencies, the employees working at each now, and the
changes not yet reported to Statistics Sweden."""

from django.db.models import OuterRef, QuerySet, Subquery

from customers.selectors import agencies_for

from .models import Workplace, WorkplaceAssignment


def workplaces_for(user) -> QuerySet[Workplace]:
    return Workplace.objects.filter(agency__in=agencies_for(user)).select_related("agency")


def current_assignments() -> QuerySet[WorkplaceAssignment]:
    """Each employee's latest assignment: where they work now."""
    latest = WorkplaceAssignment.objects.filter(person=OuterRef("person")).order_by("-since", "-id").values("pk")[:1]
    return WorkplaceAssignment.objects.filter(pk=Subquery(latest))


def employees_at(workplace) -> QuerySet[WorkplaceAssignment]:
    return current_assignments().filter(workplace=workplace).select_related("person").order_by("person__name")


def unreported() -> QuerySet[WorkplaceAssignment]:
    return WorkplaceAssignment.objects.filter(report__isnull=True).select_related("person", "workplace__agency")
