from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from organisation.models import Unit

from . import roles
from .selectors import unit_of
from .throttle import ThrottledLoginMixin


class LoginForm(ThrottledLoginMixin, AuthenticationForm):
    """The password sign-in, slowed down for a user name guessed at from many addresses."""


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    """The admin site's sign-in, slowed down the same way."""


class UserForm(forms.Form):
    """A user's name, roles, unit and protected-identity permission; on creation also the user name
    and how they sign in."""

    PASSWORD, SSO = "password", "sso"

    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("For sign-in through the identity provider: the user name the provider gives the person."),
    )
    sign_in = forms.ChoiceField(
        label=_("Sign-in"),
        choices=[
            (SSO, _("Through the identity provider (no password here)")),
            (PASSWORD, _("With a password the person sets from a link")),
        ],
        widget=forms.RadioSelect,
        initial=SSO,
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=[(key, label) for key, label in roles.ROLE_LABELS.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.all(), required=False, empty_label="—")
    protected_identity = forms.BooleanField(
        label=_("May see protected identities"),
        required=False,
        help_text=_("Only when the work needs it (need to know). Every unmasked view is logged."),
    )

    def __init__(self, *args, creating=False, sso_enabled=False, person=None, **kwargs):
        if person is not None:
            names = set(person.groups.values_list("name", flat=True))
            unit = unit_of(person)
            kwargs["initial"] = {
                "first_name": person.first_name,
                "last_name": person.last_name,
                "email": person.email,
                "roles": [role for role in roles.ROLES if roles.GROUP_NAMES[role] in names],
                "unit": unit.pk if unit else None,
                "protected_identity": roles.PROTECTED_IDENTITY_GROUP in names,
            }
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["username"]
        if not (creating and sso_enabled):
            del self.fields["sign_in"]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("A user with that user name already exists."))
        return username


class ApiTokenForm(forms.Form):
    """A new API token for a system account: a name, the scopes its roles allow, an optional last day."""

    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What uses the token, e.g. “Agresso, production”.")
    )
    scopes = forms.MultipleChoiceField(label=_("Scopes"), choices=(), widget=forms.CheckboxSelectMultiple)
    expires_on = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: until it is revoked."),
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = [
            (scope, f"{roles.API_SCOPES[scope][0]} ({scope})") for scope in roles.allowed_scopes(person)
        ]
