"""The centre's forms (blanketter): every form with its versions, uploading a new version, and
downloading one (never straight from /media). Agency contacts get the latest in the portal."""

from django.contrib.auth.decorators import permission_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import services
from ..forms import CentreFormUploadForm
from ..models import CentreForm, CentreFormVersion
from .common import edit_page


@permission_required("customers.view_centreform", raise_exception=True)
def form_list(request):
    forms = CentreForm.objects.prefetch_related("versions__uploaded_by").order_by("name")
    return render(request, "customers/form_list.html", {"centre_forms": forms})


@permission_required("customers.add_centreformversion", raise_exception=True)
def form_upload(request):
    form = CentreFormUploadForm(request.POST or None, request.FILES or None, initial={"form": request.GET.get("form")})
    return edit_page(
        request,
        form,
        save=lambda data: services.upload_form_version(
            upload=data["file"],
            user=request.user,
            form=data["form"],
            name=data["name"],
            description=data["description"],
            note=data["note"],
        ),
        success=lambda version: (
            _("Version %(n)s of %(form)s is uploaded; the portal serves it from now on.")
            % {"n": version.number, "form": version.form.name}
        ),
        next_url=reverse("customers:form_list"),
        title=_("Upload a form"),
        cancel_url=reverse("customers:form_list"),
        submit=_("Upload"),
        multipart=True,
    )


def serve_version(version: CentreFormVersion) -> FileResponse:
    try:
        handle = version.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The file is missing.")) from exc
    return FileResponse(handle, as_attachment=True, filename=version.file_name)


@permission_required("customers.view_centreformversion", raise_exception=True)
def form_version_download(request, pk):
    return serve_version(get_object_or_404(CentreFormVersion, pk=pk))
