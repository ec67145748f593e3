"""Notes: the conversation on a claim between its editor and its reviewer."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from .. import limits, roles
from ..models import Claim, ClaimNote, ClaimTransition

NOTE_EMPTY = "A note needs some text."
NOTE_TOO_LONG = "A note is at most {limit} characters."


@transaction.atomic
def note_create(
    *,
    claim: Claim,
    actor,
    text: str,
    transition: ClaimTransition | None = None,
    author=None,
    created_at: dt.datetime | None = None,
) -> ClaimNote:
    """Add a note to a claim's thread. Editors and reviewers write them; a transition with a
    reason (a send-back) writes its reason as a note, linked to it. An import (actor SYSTEM)
    keeps the note's original author and time."""
    roles.require_editor(actor)
    text = text.strip()
    if not text:
        raise ValidationError({"text": NOTE_EMPTY})
    if len(text) > limits.MAX_NOTE:
        raise ValidationError({"text": NOTE_TOO_LONG.format(limit=limits.MAX_NOTE)})
    note = ClaimNote.objects.create(
        claim=claim,
        author=author if author is not None else roles.history_user(actor),
        text=text,
        transition=transition,
    )
    if created_at is not None:  # an imported note keeps when it was written
        ClaimNote.objects.filter(pk=note.pk).update(created_at=created_at)
        note.created_at = created_at
    return note
