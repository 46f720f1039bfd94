"""Documents and notes on a case, shared by payroll and pension cases: what a file may be, where it
is stored, and the abstract models each app's documents and notes are made from.

A document is a PDF or an image (PNG, JPEG, TIFF), recognised by its first bytes — never by the
name or the type the browser claims — and at most ``settings.CASE_DOCUMENT_MAX_BYTES``. It is
stored under ``MEDIA_ROOT`` by a name nobody can guess (the uploader's file name is kept only as
text) and served only through a view that checks the user may see the case.
"""

import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# content type: (stored suffix, accepted suffixes of the uploaded name, first bytes)
DOCUMENT_TYPES = {
    "application/pdf": (".pdf", {".pdf"}, (b"%PDF-",)),
    "image/png": (".png", {".png"}, (b"\x89PNG\r\n\x1a\n",)),
    "image/jpeg": (".jpg", {".jpg", ".jpeg"}, (b"\xff\xd8\xff",)),
    "image/tiff": (".tif", {".tif", ".tiff"}, (b"II*\x00", b"MM\x00*")),
}
ACCEPT = ",".join(sorted({s for _t, (_s, suffixes, _m) in DOCUMENT_TYPES.items() for s in suffixes}))
NOTE_MAX_LENGTH = 4000


def max_bytes() -> int:
    return settings.CASE_DOCUMENT_MAX_BYTES


def document_type(upload) -> str:
    """The checked content type of an uploaded file, or ValidationError saying what is wrong."""
    size = getattr(upload, "size", None) or 0
    if size <= 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > max_bytes():
        raise ValidationError(
            _("The file is %(size)s; a document may be at most %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(max_bytes())},
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    suffix = Path(getattr(upload, "name", "") or "").suffix.lower()
    for content_type, (_stored, suffixes, magics) in DOCUMENT_TYPES.items():
        if any(head.startswith(magic) for magic in magics):
            if suffix not in suffixes:
                raise ValidationError(
                    _("The file's name does not match its contents: a %(kind)s must be named %(suffixes)s."),
                    code="mismatch",
                    params={"kind": content_type.split("/")[1].upper(), "suffixes": ", ".join(sorted(suffixes))},
                )
            return content_type
    raise ValidationError(_("Only PDF and images (PNG, JPEG, TIFF) can be attached."), code="type")


def check_document(upload) -> str:
    """``document_type`` under a name for callers that have a ``document_type`` of their own (a kind of form)."""
    return document_type(upload)


def display_name(name: str) -> str:
    """The uploader's file name as text: no folders, no control characters, at most 150 characters."""
    base = Path((name or "").replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    return base[-150:] or "document"


def stored_path(folder: str, content_type: str) -> str:
    return f"case-documents/{folder}/{uuid.uuid4().hex}{DOCUMENT_TYPES[content_type][0]}"


class CaseDocumentBase(models.Model):
    """A scanned or e-mailed document attached to a case (each app adds its ``case``)."""

    file = models.FileField(_("file"), max_length=200)
    name = models.CharField(_("file name"), max_length=150)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        # Not the file name: it may name the person.
        return f"{_('document')} #{self.pk}"

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"


class CaseNoteBase(models.Model):
    """An internal note on a case (each app adds its ``case``)."""

    text = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{_('note')} #{self.pk}"


def store_document(model, *, case, user, upload, folder: str):
    """Check ``upload`` and keep it as a ``model`` (a CaseDocumentBase) of ``case``; the file is
    written first and removed again if the row cannot be saved."""
    content_type = document_type(upload)
    document = model(
        case=case, name=display_name(upload.name), content_type=content_type, size=upload.size, uploaded_by=user
    )
    document.file.save(stored_path(folder, content_type), upload, save=False)
    try:
        with transaction.atomic():
            document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    return document


def clean_note(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the note.")})
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationError({"text": _("A note may be at most %(n)s characters.") % {"n": NOTE_MAX_LENGTH}})
    return text


class DocumentField(forms.FileField):
    """A file field for a case document: PDF or image, checked by its contents."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Document (PDF or image)"))
        kwargs.setdefault(
            "help_text",
            _("The scanned or e-mailed document: PDF, PNG, JPEG or TIFF, at most %(limit)s.")
            % {"limit": filesizeformat(max_bytes())},
        )
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            document_type(upload)
        return upload


class DocumentForm(forms.Form):
    document = DocumentField()


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Internal: seen by the centre's staff who may see the case, never by the agency."),
    )


def document_response(document, *, filename: str | None = None):
    """The stored file, shown in the browser as the type its contents were checked to be (PDF or
    image: nothing the browser would run), under ``filename`` (default: the uploader's name)."""
    from django.http import FileResponse, Http404

    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The file is missing.")) from exc
    response = FileResponse(
        handle, content_type=document.content_type, as_attachment=False, filename=filename or document.name
    )
    response["Cache-Control"] = "private, no-store"
    return response


def desk_context(*, documents, notes, timeline, can_write: bool, hide_names: bool, document_url, add_urls: tuple):
    """What a case page's documents, notes and timeline show (``templates/includes/case_desk.html``).
    ``hide_names``: the case is a protected person's and the user may not see them, so the uploaders'
    file names (which may name the person) are replaced and the files are not offered."""
    shown = []
    for number, doc in enumerate(documents, start=1):
        shown.append(
            {
                "pk": doc.pk,
                "name": _("Document %(n)s") % {"n": number} if hide_names else doc.name,
                "kind": "PDF" if doc.is_pdf else doc.content_type.split("/")[-1].upper(),
                "size": doc.size,
                "by": doc.uploaded_by,
                "at": doc.uploaded_at,
                "url": None if hide_names else document_url(doc),
            }
        )
    return {
        "documents": shown,
        "notes": list(notes),
        "timeline": timeline,
        "document_form": DocumentForm() if can_write else None,
        "note_form": NoteForm() if can_write else None,
        "document_add_url": add_urls[0],
        "note_add_url": add_urls[1],
        "hide_names": hide_names,
    }
