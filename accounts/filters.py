from django import forms
from django.utils.translation import gettext_lazy as _

from organisation.models import Unit

from . import roles, selectors


class UserFilter(forms.Form):
    """The users page's filters (a plain form: the selector does the filtering)."""

    text = forms.CharField(label=_("Search"), required=False, max_length=100)
    role = forms.ChoiceField(label=_("Role"), required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.all(), required=False, empty_label=_("All"))
    active = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("yes", _("Active")), ("no", _("Deactivated"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("All")), *roles.ROLE_LABELS.items()]

    def users(self):
        if not self.is_bound:
            return selectors.user_list()
        if not self.is_valid():
            return selectors.user_list().none()
        data = self.cleaned_data
        active = {"yes": True, "no": False}.get(data["active"])
        return selectors.user_list(text=data["text"], role=data["role"], unit=data["unit"], active=active)
