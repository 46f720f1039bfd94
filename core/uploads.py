"""The one upload page of every import: the form, the per-user upload limit, the import, and its
``ImportResult`` shown the same way everywhere (row errors in a table, or what was imported)."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from .jobs import QueueUnavailable
from .models import Upload

UPLOAD_WINDOW = dt.timedelta(hours=1)


def upload_refusal(user) -> str | None:
    """Why ``user`` may not upload now (the hourly limit, over every import page), or None."""
    limit = settings.IMPORT_UPLOADS_PER_HOUR
    since = timezone.now() - UPLOAD_WINDOW
    if Upload.objects.filter(user=user, uploaded_at__gte=since).count() < limit:
        return None
    return _(
        "You have uploaded %(count)s files in the last hour, the most one person may. "
        "Nothing was imported; try again later."
    ) % {"count": limit}


def record_upload(user, *, page: str, size: int) -> None:
    now = timezone.now()
    Upload.objects.filter(uploaded_at__lt=now - UPLOAD_WINDOW * 24).delete()  # only the last hour counts
    Upload.objects.create(user=user, page=page[:60], size=size, uploaded_at=now)


def import_page(request, *, form_class, template: str, run, form_kwargs=None, done_url=None, context=None):
    """GET: the form. POST: ``run(form)`` imports the valid form's file and returns an ImportResult.

    A refused file shows every error by row and column (status 400) and nothing is written; an
    imported one says what was imported, on the page or at ``done_url(result)``; a queued one
    (the payslip import) goes to ``done_url(result)``, its job's page. Too many uploads in the last
    hour (429) and a task queue that is down (503) are said on the page.
    """
    form_kwargs = form_kwargs or {}
    result, refusal, status = None, None, 200
    if request.method != "POST":
        form = form_class(**form_kwargs)
    elif refusal := upload_refusal(request.user):
        form, status = form_class(**form_kwargs), 429
    else:
        form = form_class(request.POST, request.FILES, **form_kwargs)
        if not form.is_valid():
            status = 400
        else:
            upload = form.cleaned_data["file"]
            record_upload(request.user, page=request.resolver_match.view_name, size=upload.size)
            try:
                result = run(form)
            except QueueUnavailable as exc:
                refusal, status = str(exc), 503
            else:
                if result.rejected:
                    status = 400
                else:
                    if result.message:
                        messages.success(request, result.message)
                    url = done_url(result) if done_url else None
                    if url:
                        return redirect(url)
    page = {
        "form": form,
        "result": result,
        "import_errors": result.errors if result else None,
        "import_refusal": refusal,
        **(context or {}),
    }
    return render(request, template, page, status=status)
