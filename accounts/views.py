"""Sign-in (password and the city's identity provider), logout, and the users page."""

import logging

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required, permission_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import View
from django_tables2 import RequestConfig
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from . import oidc, selectors, services
from .filters import UserFilter
from .forms import ApiTokenForm, LoginForm, UserForm
from .tables import UserTable

logger = logging.getLogger(__name__)
PER_PAGE = 50
# The session of a user who signed in through the provider is the ordinary one: ModelBackend
# finds the user again at every request, and refuses a deactivated one.
SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


# --- signing in and out -----------------------------------------------------------------------------


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    """The password form, and the identity provider's button when single sign-on is configured."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True
    authentication_form = LoginForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.throttled:
            response.status_code = 429
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"sso_enabled": oidc.enabled()}


class PasswordChangeView(auth_views.PasswordChangeView):
    """A wrong old password counts as a failed log-in of the user from this address (django-axes):
    a stolen session cannot guess it without limit. At the limit the session ends and the user
    name is locked out from the address like after failed log-ins."""

    template_name = "registration/password_change_form.html"

    def form_invalid(self, form):
        if form.has_error("old_password", "password_incorrect"):
            request = self.request
            credentials = {"username": request.user.get_username()}
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            if getattr(request, "axes_locked_out", False):
                logout(request)
                request.axes_locked_out = True  # the lock-out page (AxesMiddleware)
                return redirect("login")
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    """Ends the session here and, for a user who signed in through the provider, there too
    (RP-initiated logout; the provider then sends the browser back to the login page)."""

    def post(self, request, *args, **kwargs):
        at_provider = oidc.provider_logout_url(request, return_to=request.build_absolute_uri(reverse("login")))
        response = super().post(request, *args, **kwargs)
        return HttpResponseRedirect(at_provider) if at_provider else response


def _sso_failed(request, text=None):
    messages.error(
        request, text or _("Sign-in through the identity provider did not succeed. Ask an administrator if it goes on.")
    )
    return redirect("login")


@method_decorator(login_not_required, name="dispatch")
class SsoLoginView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider (the library adds state, nonce and the PKCE challenge)."""

    get_settings = staticmethod(oidc.setting)

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the library reads the endpoints here; wait for get()

    def get(self, request):
        if not oidc.enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = oidc.setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except oidc.ProviderUnavailable as exc:
            logger.error("identity provider unavailable: %s", exc)
            return _sso_failed(
                request, _("The identity provider cannot be reached. Try again later, or log in with a password.")
            )
        self.OIDC_RP_CLIENT_ID = oidc.setting("OIDC_RP_CLIENT_ID")
        return super().get(request)


@method_decorator(login_not_required, name="dispatch")
class SsoCallbackView(View):
    """Where the provider sends the browser back: the code is exchanged and the user signed in.

    Unlike the library's callback view, the user is authenticated by the provider's backend
    directly, not through django.contrib.auth.authenticate (see accounts/oidc.py: the password
    throttle must not count single sign-on)."""

    http_method_names = ["get"]

    def get(self, request):
        if not oidc.enabled():
            raise Http404
        states = request.session.get("oidc_states") or {}
        expected = states.pop(request.GET.get("state", ""), None)  # used once: no replay
        request.session["oidc_states"] = states
        if request.GET.get("error") or expected is None or not request.GET.get("code"):
            if request.GET.get("error"):
                logger.info("identity provider answered %s", request.GET.get("error"))
            return _sso_failed(request)
        try:
            user = oidc.SsoBackend().authenticate(
                request, nonce=expected["nonce"], code_verifier=expected.get("code_verifier")
            )
        except Exception:
            logger.exception("sign-in through the identity provider failed")
            user = None
        if user is None or not user.is_active:
            return _sso_failed(request)
        next_url = request.session.pop("oidc_login_next", None)  # checked by the library when stored
        id_token = request.session.get("oidc_id_token")
        login(request, user, backend=SESSION_BACKEND)  # a new session if someone else was signed in
        request.session["oidc_id_token"] = id_token  # the hint for the provider's logout
        return redirect(next_url or "home")


# --- the users page (administrators) ----------------------------------------------------------------


@permission_required("auth.view_user", raise_exception=True)
def user_list(request):
    filterset = UserFilter(request.GET or None)
    users = filterset.users()
    table = UserTable(users)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render(
        request,
        "accounts/user_list.html",
        {"filter": filterset, "table": table, "count": users.count(), "sso_enabled": oidc.enabled()},
    )


def _save(request, form, save):
    """Runs a service with the form's data; a rule it refuses becomes the form's error."""
    try:
        return save(form.cleaned_data)
    except ValidationError as exc:
        form.add_error(None, exc)
        return None


@permission_required(["auth.add_user", "auth.change_user"], raise_exception=True)
def user_create(request):
    form = UserForm(request.POST or None, creating=True, sso_enabled=oidc.enabled())
    if request.method == "POST" and form.is_valid():
        user = _save(
            request,
            form,
            lambda data: services.create_user(
                by=request.user,
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                role_keys=data["roles"],
                unit=data["unit"],
                protected_identity=data["protected_identity"],
            ),
        )
        if user is not None:
            messages.success(request, _("The user %(name)s was created.") % {"name": user.get_username()})
            if form.cleaned_data.get("sign_in") == UserForm.SSO:
                return redirect("accounts:user_edit", pk=user.pk)
            path = services.set_password_path(by=request.user, user=user)
            return render(
                request, "accounts/password_link.html", {"person": user, "link": request.build_absolute_uri(path)}
            )
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@permission_required("auth.change_user", raise_exception=True)
def user_edit(request, pk):
    person = selectors.user_for(pk)
    form = UserForm(request.POST or None, person=person, sso_enabled=oidc.enabled())
    if request.method == "POST" and form.is_valid():
        saved = _save(
            request,
            form,
            lambda data: services.change_user(
                by=request.user,
                user=person,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                role_keys=data["roles"],
                unit=data["unit"],
                protected_identity=data["protected_identity"],
            ),
        )
        if saved is not None:
            messages.success(request, _("The changes were saved."))
            return redirect("accounts:user_edit", pk=person.pk)
    context = {
        "form": form,
        "person": person,
        "signs_in_with_sso": hasattr(person, "sso_identity"),
        "sso_enabled": oidc.enabled(),
        "api_tokens": selectors.api_tokens_of(person),
    }
    return render(request, "accounts/user_form.html", context)


def _set_active(request, pk, active):
    person = selectors.user_for(pk)
    try:
        services.set_active(by=request.user, user=person, active=active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        done = _("%(name)s was activated.") if active else _("%(name)s was deactivated.")
        messages.success(request, done % {"name": person.get_username()})
    return redirect("accounts:user_edit", pk=person.pk)


@require_POST
@permission_required("auth.change_user", raise_exception=True)
def user_deactivate(request, pk):
    return _set_active(request, pk, False)


@require_POST
@permission_required("auth.change_user", raise_exception=True)
def user_activate(request, pk):
    return _set_active(request, pk, True)


@require_POST
@permission_required("auth.change_user", raise_exception=True)
def user_password_link(request, pk):
    person = selectors.user_for(pk)
    try:
        path = services.set_password_path(by=request.user, user=person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:user_edit", pk=person.pk)
    return render(request, "accounts/password_link.html", {"person": person, "link": request.build_absolute_uri(path)})


# --- API tokens of system accounts -------------------------------------------------------------------


@permission_required("auth.change_user", raise_exception=True)
def token_create(request, pk):
    """A new token for a system account; its secret is shown on the next page, once."""
    person = selectors.user_for(pk)
    form = ApiTokenForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        made = _save(
            request,
            form,
            lambda data: services.create_api_token(
                by=request.user,
                user=person,
                name=data["name"],
                scopes=data["scopes"],
                expires_on=data["expires_on"],
            ),
        )
        if made is not None:
            token, secret = made
            context = {"person": person, "token": token, "secret": secret}
            response = render(request, "accounts/token_secret.html", context)
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "accounts/token_form.html", {"form": form, "person": person})


@require_POST
@permission_required("auth.change_user", raise_exception=True)
def token_revoke(request, pk, token_pk):
    person = selectors.user_for(pk)
    token = selectors.api_token_of(person, token_pk)
    services.revoke_api_token(by=request.user, token=token)
    messages.success(request, _("The API token %(name)s was revoked.") % {"name": token.name})
    return redirect("accounts:user_edit", pk=person.pk)


@method_decorator(login_not_required, name="dispatch")
class SetPasswordView(auth_views.PasswordResetConfirmView):
    """A new user's (or a forgotten) password, from the link an administrator handed over."""

    template_name = "accounts/set_password.html"
    success_url = reverse_lazy("login")
    post_reset_login = False

    def form_valid(self, form):
        messages.success(self.request, _("Your password is set. Log in with it."))
        return super().form_valid(form)
