"""The small forms of the lifecycle steps: activate (a note), extend, withdraw."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from darirumah.org.forms import BootstrapForm


class NoteForm(BootstrapForm):
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class WithdrawForm(BootstrapForm):
    note = forms.CharField(label=_("Reason for withdrawing"), max_length=300)


class ExtendForm(BootstrapForm):
    ends_on = forms.DateField(
        label=_("New end"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: no end date."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
