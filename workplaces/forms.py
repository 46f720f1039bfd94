from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.identity import normalize_personnummer

from .models import Workplace


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class WorkplaceForm(forms.ModelForm):
    class Meta:
        model = Workplace
        fields = [
            "agency",
            "cfar",
            "name",
            "street_address",
            "postal_code",
            "city",
            "activity_code",
            "activity",
            "active",
        ]

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies.order_by("code")


class LinkForm(forms.Form):
    personnummer = forms.CharField(label=_("Personal identity number"), max_length=13)
    since = forms.DateField(label=_("From"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["since"].initial = timezone.localdate()

    def clean_personnummer(self):
        return normalize_personnummer(self.cleaned_data["personnummer"])
