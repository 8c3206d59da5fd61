"""Forms for circulars: the draft with its full rule set, and the lifecycle steps."""

from .circular import CircularForm
from .lifecycle import ExtendForm, NoteForm, WithdrawForm

__all__ = ["CircularForm", "ExtendForm", "NoteForm", "WithdrawForm"]
