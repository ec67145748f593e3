"""The rating scale, as every door reads a verdict someone typed or sent."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from ..models import Verdict

UNKNOWN_VERDICT = "Unknown verdict {value!r}; use one of: {choices}."


class VerdictScale:
    """The verdicts by slug and by label, case-insensitively ("False", "mostly-true"), read
    once: an import looks up thousands of verdicts against one scale."""

    def __init__(self):
        self.verdicts = list(Verdict.objects.all())
        self.by_name = {verdict.slug: verdict for verdict in self.verdicts}
        self.by_name.update({verdict.label.lower(): verdict for verdict in self.verdicts})

    def get(self, value: str, *, field: str = "verdict") -> Verdict:
        verdict = self.by_name.get(value.strip().lower())
        if verdict is None:
            choices = ", ".join(v.slug for v in self.verdicts)
            raise ValidationError({field: UNKNOWN_VERDICT.format(value=value, choices=choices)})
        return verdict


def verdict_lookup(value: str) -> Verdict:
    """One verdict by slug or label."""
    return VerdictScale().get(value)
