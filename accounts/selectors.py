"""Reads for the users page (administrators only: every unit's users)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from organisation.models import StaffMember

from . import roles
from .models import ApiToken, SsoIdentity


def user_list(*, text: str = "", role: str = "", unit=None, active: bool | None = None) -> QuerySet:
    """Users with their groups, unit and way of signing in, filtered; sorted by name."""
    users = (
        get_user_model()
        .objects.select_related("staff_member__unit")
        .prefetch_related(Prefetch("groups", queryset=Group.objects.order_by("name")), "agency_accesses__agency")
        .annotate(signs_in_with_sso=Exists(SsoIdentity.objects.filter(user=OuterRef("pk"))))
        .order_by("last_name", "first_name", "username")
    )
    for word in text.split():
        users = users.filter(
            Q(username__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
        )
    if role:
        users = users.filter(groups__name=roles.GROUP_NAMES[role])
    if unit is not None:
        users = users.filter(staff_member__unit=unit)
    if active is not None:
        users = users.filter(is_active=active)
    return users


def user_for(pk):
    return get_object_or_404(get_user_model().objects.select_related("staff_member__unit"), pk=pk)


def unit_of(user):
    staff = StaffMember.objects.filter(user=user).select_related("unit").first()
    return staff.unit if staff else None


def api_tokens_of(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).select_related("created_by", "revoked_by")


def api_token_of(user, pk) -> ApiToken:
    """One of ``user``'s tokens (another user's token is a 404 here)."""
    return get_object_or_404(ApiToken.objects.select_related("user"), user=user, pk=pk)
