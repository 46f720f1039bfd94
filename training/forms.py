from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers.models import Agency

from .models import TrainingSession


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class SessionForm(forms.ModelForm):
    agencies = forms.ModelMultipleChoiceField(
        label=_("Agencies"), queryset=Agency.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = TrainingSession
        fields = ["held_on", "topic", "title", "unit", "agencies", "participants", "note"]
        widgets = {"held_on": DateInput()}

    def __init__(self, *args, agencies, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = agencies.order_by("code")
        self.fields["unit"].queryset = units
        if units.count() == 1:
            self.fields["unit"].initial = units.first()
        self.fields["held_on"].initial = timezone.localdate()
