"""The one pattern of every create and edit page: bind the form, hand a valid one to a service,
show the service's refusal on the form, or say it was saved and move on."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from .forms import add_service_errors


def form_page(
    request,
    form,
    *,
    save: Callable,
    success: str | Callable,
    next_url: str | Callable,
    template: str,
    context: dict | None = None,
    invalid_status: int = 200,
):
    """GET (or an invalid POST): the form on ``template``. A valid POST: ``save(cleaned_data)`` (the
    service call) and, unless it raises ValidationError (shown on the form by ``add_service_errors``),
    the ``success`` message and a redirect to ``next_url``. Both may be functions of what ``save``
    returned."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success(saved) if callable(success) else success)
            return redirect(next_url(saved) if callable(next_url) else next_url)
    status = invalid_status if request.method == "POST" else 200
    return render(request, template, {"form": form, **(context or {})}, status=status)
