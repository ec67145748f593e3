"""The fact-checking domain: articles, the claims marked in them, their sources and verdicts,
the review trail, and the related-coverage search jobs.

Rules that must always hold are database constraints, so no door (API, admin, shell, a
bulk update) can break them; the rules about who may do what live in services.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from . import limits, validators

HTTP_URL = Q(url__startswith="http://") | Q(url__startswith="https://")


class Article(models.Model):
    title = models.CharField(max_length=limits.MAX_TITLE)
    url = models.URLField(
        max_length=limits.MAX_URL, blank=True, default="", validators=[validators.http_url]
    )
    publisher = models.CharField(max_length=limits.MAX_PUBLISHER, blank=True, default="")
    byline = models.CharField(max_length=limits.MAX_BYLINE, blank=True, default="")
    published_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=limits.MAX_LANGUAGE, default="en")
    body = models.TextField(help_text="Canonical plain text; claim selectors point into it.")
    body_html = models.TextField(blank=True, default="", help_text="Sanitized HTML, if any.")
    is_archive = models.BooleanField(
        default=False, help_text="Prior coverage imported only to be searched."
    )
    revision = models.PositiveIntegerField(default=1)
    import_source = models.CharField(max_length=500, blank=True, default="")
    reanchor_report = models.JSONField(
        default=dict,
        blank=True,
        help_text="Claims that stayed, moved or were orphaned by the last text edit.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["body_html", "reanchor_report"])

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["url"], condition=~Q(url=""), name="article_url_unique_when_present"
            ),
            models.CheckConstraint(
                condition=Q(url="") | HTTP_URL,
                name="article_url_is_http",
                violation_error_message="The article URL must start with http:// or https://.",
            ),
            models.CheckConstraint(
                condition=~Q(title=""),
                name="article_title_not_empty",
                violation_error_message="An article needs a title.",
            ),
            models.CheckConstraint(
                condition=~Q(body=""),
                name="article_body_not_empty",
                violation_error_message="An article needs body text.",
            ),
        ]
        indexes = [
            models.Index(fields=["is_archive", "-published_at"]),
            # Lists read newest first: a page comes off this index without sorting the table.
            models.Index(
                fields=["is_archive", "published_at", "created_at", "id"], name="article_list_order"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Verdict(models.Model):
    """One step of the rating scale. `rating_value` is null for ratings outside the ordinal
    range (misleading, unverifiable); ClaimReview's best/worst come from the others."""

    slug = models.SlugField(max_length=50, unique=True)
    label = models.CharField(max_length=100)
    rating_value = models.PositiveSmallIntegerField(null=True, blank=True)
    colour = models.CharField(max_length=7, help_text="#rrggbb")
    position = models.PositiveSmallIntegerField(default=0, help_text="Display order.")

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["rating_value"], name="verdict_rating_value_unique"),
            models.CheckConstraint(
                condition=Q(colour__regex=r"^#[0-9a-fA-F]{6}$"),
                name="verdict_colour_is_hex",
                violation_error_message="The colour must look like #1a2b3c.",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"


class AnchorState(models.TextChoices):
    """Where a claim's quote stands in its article's current text (anchoring.py)."""

    ANCHORED = "anchored", "Anchored"
    REANCHORED = "reanchored", "Re-anchored"  # its words moved with an edit of the text
    CHANGED = "changed", "Words changed"  # an edit touched its words; a new place is proposed
    ORPHANED = "orphaned", "Orphaned"  # its words are gone from the text

    @classmethod
    def needs_attention(cls) -> list[str]:
        """States a person must resolve (accept the proposal or re-place the claim)."""
        return [cls.CHANGED, cls.ORPHANED]


class Claim(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="claims")
    # W3C TextQuoteSelector + TextPositionSelector; positions are code points, end exclusive.
    exact = models.TextField()
    prefix = models.CharField(max_length=64, blank=True, default="")
    suffix = models.CharField(max_length=64, blank=True, default="")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    claimant = models.CharField(max_length=limits.MAX_CLAIMANT, blank=True, default="")
    claim_date = models.DateField(null=True, blank=True)
    verdict = models.ForeignKey(
        Verdict, null=True, blank=True, on_delete=models.PROTECT, related_name="claims"
    )
    summary = models.TextField(blank=True, default="")
    status = models.CharField(max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_claims",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="created_claims",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_claims",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    anchor_state = models.CharField(
        max_length=16, choices=AnchorState.choices, default=AnchorState.ANCHORED
    )
    # A `changed` claim keeps its quote (exact … end: where it last stood); the edited words
    # proposed as its new place wait here until a person accepts or re-places it.
    proposed_exact = models.TextField(blank=True, default="")
    proposed_start = models.PositiveIntegerField(null=True, blank=True)
    proposed_end = models.PositiveIntegerField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["article_id", "start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=F("end")),
                name="claim_start_before_end",
                violation_error_message="A claim's start must come before its end.",
            ),
            models.CheckConstraint(
                condition=~Q(exact=""),
                name="claim_exact_not_empty",
                violation_error_message="A claim needs the exact quoted text.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ClaimStatus.values),
                name="claim_status_valid",
                violation_error_message="Unknown claim status.",
            ),
            models.CheckConstraint(
                condition=Q(anchor_state__in=AnchorState.values),
                name="claim_anchor_state_valid",
                violation_error_message="Unknown anchor state.",
            ),
            models.CheckConstraint(
                condition=Q(
                    anchor_state=AnchorState.CHANGED,
                    proposed_start__isnull=False,
                    proposed_end__isnull=False,
                )
                | (
                    ~Q(anchor_state=AnchorState.CHANGED)
                    & Q(proposed_start__isnull=True, proposed_end__isnull=True)
                ),
                name="claim_proposal_when_changed",
                violation_error_message="A claim whose words changed carries the proposed new "
                "place, and only such a claim does.",
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1),
                name="claim_version_positive",
                violation_error_message="A claim's version starts at 1.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[ClaimStatus.DRAFT, ClaimStatus.IN_REVIEW])
                | Q(reviewed_at__isnull=False),
                name="claim_reviewed_when_approved",
                violation_error_message="An approved or published claim records when it was "
                "reviewed.",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["article", "status"]),
            # The API's list (newest first) reads a page off this index instead of sorting
            # every claim.
            models.Index(fields=["created_at", "id"], name="claim_list_order"),
        ]

    def __str__(self) -> str:
        # Bare words: the admin puts its own quotes round a name ("The claim “…” was
        # changed"), and doubled them round quoted ones.
        return self.exact if len(self.exact) <= 60 else self.exact[:59] + "…"

    def get_absolute_url(self) -> str:
        """The claim's place in the editor page."""
        return reverse("article-editor", args=[self.article_id]) + f"#claim-{self.pk}"

    @property
    def selector(self):
        """The quote's place, as anchoring.py reads it."""
        from .anchoring import Selector

        return Selector(self.exact, self.prefix, self.suffix, self.start, self.end)

    @property
    def proposal(self):
        """The edited words proposed as this claim's new place, when its words changed."""
        from .anchoring import Selector

        if self.proposed_start is None or self.proposed_end is None:
            return None
        return Selector(self.proposed_exact, start=self.proposed_start, end=self.proposed_end)


class ReviewQueueClaim(Claim):
    """Claims waiting for a reviewer, oldest first: the admin's review queue."""

    class Meta:
        proxy = True
        verbose_name = "claim in the review queue"
        verbose_name_plural = "review queue"


class SourceRelation(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    REFUTES = "refutes", "Refutes"
    CONTEXT = "context", "Context"


class Source(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="sources")
    url = models.URLField(max_length=limits.MAX_URL, validators=[validators.http_url])
    title = models.CharField(max_length=limits.MAX_TITLE, blank=True, default="")
    publisher = models.CharField(max_length=limits.MAX_PUBLISHER, blank=True, default="")
    quote = models.TextField(blank=True, default="")
    accessed_at = models.DateTimeField(null=True, blank=True)
    relation = models.CharField(
        max_length=16, choices=SourceRelation.choices, default=SourceRelation.CONTEXT
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["claim_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=HTTP_URL,
                name="source_url_is_http",
                violation_error_message="A source URL must start with http:// or https://.",
            ),
            models.CheckConstraint(
                condition=Q(relation__in=SourceRelation.values),
                name="source_relation_valid",
                violation_error_message="Unknown source relation.",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.url


class ClaimTransition(models.Model):
    """One step of the review workflow: who moved which claim from what to what, and why."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=16, choices=ClaimStatus.choices)
    to_status = models.CharField(max_length=16, choices=ClaimStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim_id", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_status=F("to_status")),
                name="transition_changes_status",
                violation_error_message="A transition must change the status.",
            ),
            models.CheckConstraint(
                condition=~Q(to_status=ClaimStatus.DRAFT) | ~Q(reason=""),
                name="transition_back_to_draft_has_reason",
                violation_error_message="Sending a claim back to draft needs a reason.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class ClaimNote(models.Model):
    """The conversation on a claim between its editor and its reviewer. A send-back reason is
    a note too, linked to its transition, so the editor reads why in the same thread."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    transition = models.OneToOneField(
        ClaimTransition, null=True, blank=True, on_delete=models.SET_NULL, related_name="note"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim_id", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""),
                name="claim_note_not_empty",
                violation_error_message="A note needs some text.",
            ),
        ]

    def __str__(self) -> str:
        return f"Note {self.pk} on claim {self.claim_id}"


class SearchStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class CoverageSearch(models.Model):
    """A related-coverage job for one claim; its matches are replaced on each run."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="coverage_searches")
    status = models.CharField(
        max_length=16, choices=SearchStatus.choices, default=SearchStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True, default="")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    task_id = models.CharField(max_length=255, blank=True, default="")
    queued_at = models.DateTimeField(auto_now_add=True)
    # When its message was last sent, and how often: the sweep sends again a message a
    # broker lost (services.coverage.coverage_searches_sweep_stale).
    sent_at = models.DateTimeField(null=True, blank=True)
    sends = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-queued_at", "-id"]
        get_latest_by = ["queued_at", "id"]
        verbose_name_plural = "coverage searches"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SearchStatus.values),
                name="coverage_search_status_valid",
                violation_error_message="Unknown search status.",
            ),
            models.CheckConstraint(
                condition=~Q(status=SearchStatus.FAILED) | ~Q(error=""),
                name="coverage_search_failure_has_reason",
                violation_error_message="A failed search records why it failed.",
            ),
        ]
        indexes = [models.Index(fields=["status", "started_at"])]

    def __str__(self) -> str:
        return f"Search {self.pk} for claim {self.claim_id} ({self.status})"


class MatchDecision(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    DISMISSED = "dismissed", "Dismissed"


class CoverageMatch(models.Model):
    search = models.ForeignKey(CoverageSearch, on_delete=models.CASCADE, related_name="matches")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    prior_claim = models.ForeignKey(
        Claim,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Set when the match is an earlier fact-check.",
    )
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()
    method = models.CharField(max_length=32)
    snippet = models.TextField(blank=True, default="")
    decision = models.CharField(
        max_length=16, choices=MatchDecision.choices, blank=True, default=""
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    also_checked = models.JSONField(
        default=list,
        blank=True,
        help_text="Near-duplicates ranked lower (the same claim checked again), as found: "
        "[{article_id, claim_id, title, link, verdict: {slug, label} | null}].",
    )

    class Meta:
        ordering = ["search_id", "rank"]
        verbose_name_plural = "coverage matches"
        constraints = [
            models.UniqueConstraint(fields=["search", "rank"], name="coverage_match_rank_unique"),
            models.CheckConstraint(
                condition=Q(decision="") | Q(decision__in=MatchDecision.values),
                name="coverage_match_decision_valid",
                violation_error_message="Unknown match decision.",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.rank} {self.article_id} ({self.score:.3f})"


class SearchVector(models.Model):
    """A sentence embedding of a searchable item for related coverage's semantic side: one per
    article (title and lead) and one per published prior fact-check (its quote), per model.
    Written only by services.vectors; read into memory by search.dense."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    model = models.CharField(max_length=100, help_text="The embedder's name (a change re-embeds).")
    digest = models.CharField(max_length=32, help_text="Hash of the text that was embedded.")
    vector = models.BinaryField(help_text="Little-endian float16, unit length.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "model"],
                condition=Q(claim__isnull=True),
                name="search_vector_one_per_article",
            ),
            models.UniqueConstraint(
                fields=["claim", "model"],
                condition=Q(claim__isnull=False),
                name="search_vector_one_per_claim",
            ),
        ]
        # The in-memory index asks "what changed since?" before each search.
        indexes = [models.Index(fields=["model", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.model} vector of article {self.article_id} claim {self.claim_id}"


class SuggestionModel(models.Model):
    """A learned scorer of suggested claims, trained on this desk's own marks (claims are
    positives; the other sentences of articles with claims and dismissed suggestions are
    negatives). Plain numbers, never a pickle: `params` (JSON) and `weights` (little-endian
    float32 coefficients) rebuild it (annotations.suggestions.model). Written only by
    services.suggestions; the newest one marked `serves` scores new text."""

    created_at = models.DateTimeField(auto_now_add=True)
    embedder = models.CharField(max_length=100, help_text="The sentence embedder it reads.")
    params = models.JSONField(help_text="Feature recipe, settings and intercept.")
    weights = models.BinaryField(help_text="Little-endian float32 coefficients.")
    training_size = models.PositiveIntegerField(help_text="Labelled sentences trained on.")
    positives = models.PositiveIntegerField(help_text="Of which sentences marked as claims.")
    articles = models.PositiveIntegerField(help_text="Articles the sentences come from.")
    claims = models.PositiveIntegerField(help_text="Claims counted when it was trained.")
    dismissals = models.PositiveIntegerField(help_text="Dismissed suggestions counted.")
    cv_f1 = models.FloatField(
        null=True, blank=True, help_text="Cross-validated F1 of the marked class, top share."
    )
    cv_average_precision = models.FloatField(null=True, blank=True)
    heuristic_cv_f1 = models.FloatField(
        null=True, blank=True, help_text="The cue heuristic's F1 on the same sentences."
    )
    top_share = models.FloatField(help_text="The share of an article flagged when measured.")
    training_seconds = models.FloatField()
    serves = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["serves"], condition=Q(serves=True), name="suggestion_model_one_serves"
            ),
        ]

    def __str__(self) -> str:
        return f"Suggestion model {self.pk} ({self.training_size} sentences)"


class ArticleSentence(models.Model):
    """One sentence of an article's text at `revision`, as the suggestion job scored it: its
    span (code points, end exclusive), score and whether it is in the flagged top share. Only
    the current revision's rows are kept; the embedding is kept too, so retraining and
    re-scoring never embed a sentence twice. Written only by services.suggestions."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    revision = models.PositiveIntegerField()
    n = models.PositiveIntegerField(help_text="Position among the article's sentences, from 0.")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    digest = models.CharField(max_length=32, help_text="Hash of the sentence's text.")
    score = models.FloatField()
    suggested = models.BooleanField(default=False)
    scored_by = models.ForeignKey(
        SuggestionModel,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty: the cue heuristic scored it.",
    )
    embedder = models.CharField(max_length=100, blank=True, default="")
    vector = models.BinaryField(blank=True, default=b"", help_text="Little-endian float16.")

    class Meta:
        ordering = ["article_id", "n"]
        constraints = [
            models.UniqueConstraint(fields=["article", "n"], name="article_sentence_unique_n"),
            models.CheckConstraint(
                condition=Q(start__lt=F("end")),
                name="article_sentence_start_before_end",
                violation_error_message="A sentence's start must come before its end.",
            ),
        ]

    def __str__(self) -> str:
        return f"Sentence {self.n} of article {self.article_id} (revision {self.revision})"


class SuggestionDismissal(models.Model):
    """An editor's "not worth checking" on a suggested sentence: a negative label for
    training. Kept by the sentence's words (their digest), so it holds through a re-scoring
    and follows the same sentence through edits of the text for as long as it is there."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=32, help_text="Hash of the sentence's text.")
    text = models.TextField()
    revision = models.PositiveIntegerField(help_text="The text's revision when dismissed.")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["article_id", "start", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "digest"], name="suggestion_dismissal_one_per_sentence"
            ),
        ]
        indexes = [models.Index(fields=["dismissed_at"])]

    def __str__(self) -> str:
        return f"Dismissed sentence of article {self.article_id}"
