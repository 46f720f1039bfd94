"""The people whose payroll and pension cases the centre handles, and the log of every
time a protected identity was shown unmasked."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .identity import validate_personnummer


class Person(models.Model):
    """An employee or former employee, as payroll and pension cases know them."""

    personnummer = models.CharField(
        _("personal identity number"), max_length=13, unique=True, validators=[validate_personnummer]
    )
    name = models.CharField(_("name"), max_length=150, blank=True)
    protected_identity = models.BooleanField(
        _("protected identity"),
        default=False,
        help_text=_("Name and identity number are shown only to users allowed to see protected identities."),
    )
    # The address as the tax agency's person register (EPS) gives it; see register/. Empty in the
    # database by default too, so set-based inserts that know only the number keep working.
    care_of = models.CharField(_("care of"), max_length=100, blank=True, default="", db_default="")
    street_address = models.CharField(_("street address"), max_length=150, blank=True, default="", db_default="")
    postal_code = models.CharField(_("postal code"), max_length=6, blank=True, default="", db_default="")
    city = models.CharField(_("city"), max_length=100, blank=True, default="", db_default="")
    died_on = models.DateField(_("died on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        permissions = [("view_protected_identity", _("Can see people with protected identity unmasked"))]

    def __str__(self):
        # Deliberately not the name: a str() must never leak a protected identity.
        return f"{_('person')} #{self.pk}"

    @property
    def address(self) -> str:
        """The address on one line ("c/o …, street, postal code city"), empty when none is known."""
        town = " ".join(part for part in (self.postal_code, self.city) if part)
        return ", ".join(part for part in (self.care_of and f"c/o {self.care_of}", self.street_address, town) if part)


class ProtectedIdentityAccess(models.Model):
    """Every time a user is shown a protected person's name or number unmasked."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    context = models.CharField(_("where"), max_length=200)
    accessed_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-accessed_at"]
        verbose_name = _("view of protected identity")
        verbose_name_plural = _("views of protected identities")

    def __str__(self):
        return f"{self.accessed_at:%Y-%m-%d %H:%M} {self.context}"
