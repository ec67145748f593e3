"""The review desk. Every change of status goes through services.claim_transition, the same
rule the API and the editor use; status, approver and selector are read-only in forms."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import render
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from . import roles, services
from .models import (
    Article,
    Claim,
    ClaimStatus,
    ClaimTransition,
    CoverageMatch,
    CoverageSearch,
    ReviewQueueClaim,
    Source,
    Verdict,
)

REVIEWER_ACTIONS = {"approve", "publish", "send_back"}


def _reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def transition_claims(modeladmin, request, queryset, to: str, reason: str = "") -> None:
    """Apply one transition to each selected claim; report successes and, by claim, every
    refusal and why."""
    done, refused = 0, []
    for claim in queryset.order_by("id"):
        try:
            services.claim_transition(claim=claim, to=to, actor=request.user, reason=reason)
        except (PermissionDenied, ValidationError) as error:
            refused.append(f"{claim} (#{claim.pk}): {_reason(error)}")
        else:
            done += 1
    if done:
        modeladmin.message_user(request, f"{done} claim(s) moved to {to}.", messages.SUCCESS)
    for line in refused:
        modeladmin.message_user(request, f"Refused: {line}", messages.ERROR)


@admin.action(description="Approve the selected claims")
def approve(modeladmin, request, queryset):
    transition_claims(modeladmin, request, queryset, ClaimStatus.APPROVED)


@admin.action(description="Publish the selected claims")
def publish(modeladmin, request, queryset):
    transition_claims(modeladmin, request, queryset, ClaimStatus.PUBLISHED)


@admin.action(description="Submit the selected claims for review")
def submit(modeladmin, request, queryset):
    transition_claims(modeladmin, request, queryset, ClaimStatus.IN_REVIEW)


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        required=False,
        empty_label="(nobody)",
    )


def _intermediate(request, queryset, form, title, action):
    return render(
        request,
        "admin/annotations/claim_action.html",
        {
            "title": title,
            "form": form,
            "claims": queryset,
            "action": action,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "opts": Claim._meta,
        },
    )


@admin.action(description="Send the selected claims back to draft (asks for a reason)")
def send_back(modeladmin, request, queryset):
    form = ReasonForm(request.POST if "confirm" in request.POST else None)
    if form.is_valid():
        transition_claims(
            modeladmin, request, queryset, ClaimStatus.DRAFT, form.cleaned_data["reason"]
        )
        return None
    return _intermediate(request, queryset, form, "Send back to draft", "send_back")


@admin.action(description="Assign the selected claims to a user")
def assign(modeladmin, request, queryset):
    form = AssignForm(request.POST if "confirm" in request.POST else None)
    if form.is_valid():
        assignee = form.cleaned_data["assignee"]
        done, refused = 0, []
        for claim in queryset.order_by("id"):
            try:
                services.claim_update(
                    claim=claim, version=claim.version, actor=request.user, assignee=assignee
                )
            except (PermissionDenied, ValidationError, services.ClaimConflict) as error:
                refused.append(f"{claim} (#{claim.pk}): {_reason(error)}")
            else:
                done += 1
        modeladmin.message_user(request, f"{done} claim(s) assigned to {assignee or 'nobody'}.")
        for line in refused:
            modeladmin.message_user(request, f"Refused: {line}", messages.ERROR)
        return None
    return _intermediate(request, queryset, form, "Assign claims", "assign")


class SourceInline(admin.TabularInline):
    model = Source
    extra = 0
    fields = ["url", "title", "publisher", "relation", "quote"]


class TransitionInline(admin.TabularInline):
    model = ClaimTransition
    extra = 0
    can_delete = False
    fields = ["created_at", "from_status", "to_status", "actor", "reason"]
    readonly_fields = fields
    verbose_name_plural = "review trail"

    def has_add_permission(self, request, obj=None):
        return False


class ClaimAdminForm(forms.ModelForm):
    # The version the form was built from: a save based on a stale one is refused.
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Claim
        fields = ["claimant", "claim_date", "verdict", "summary", "assignee", "version"]


@admin.register(Claim)
class ClaimAdmin(SimpleHistoryAdmin):
    form = ClaimAdminForm
    list_display = [
        "quote_in_context",
        "article_link",
        "claimant",
        "verdict_label",
        "status",
        "assignee",
        "anchor_state",
        "updated_at",
    ]
    list_filter = [
        "status",
        "verdict",
        ("assignee", admin.RelatedOnlyFieldListFilter),
        ("article", admin.RelatedOnlyFieldListFilter),
        "anchor_state",
        "created_at",
    ]
    list_select_related = ["article", "verdict", "assignee"]
    search_fields = ["exact", "claimant", "summary", "article__title"]
    # Date filtering comes from the created_at list filter, which costs no query; the date
    # hierarchy and the unfiltered total cost three (bench/admin_changelist.py).
    show_full_result_count = False
    inlines = [SourceInline, TransitionInline]
    readonly_fields = [
        "article",
        "exact",
        "prefix",
        "suffix",
        "start",
        "end",
        "anchor_state",
        "status",
        "created_by",
        "reviewed_by",
        "reviewed_at",
        "related_coverage",
        "editor_link",
    ]
    fieldsets = [
        (None, {"fields": ["editor_link", "article", "exact", "status", "anchor_state"]}),
        (
            "Fact-check",
            {"fields": ["claimant", "claim_date", "verdict", "summary", "assignee", "version"]},
        ),
        ("Review", {"fields": ["created_by", "reviewed_by", "reviewed_at"]}),
        ("Selector", {"classes": ["collapse"], "fields": ["prefix", "suffix", "start", "end"]}),
        ("Related coverage", {"fields": ["related_coverage"]}),
    ]
    actions = [submit, approve, publish, send_back, assign]
    history_list_display = ["status", "verdict", "summary"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not roles.is_reviewer(request.user):
            for name in REVIEWER_ACTIONS:
                actions.pop(name, None)  # no button; a forged POST is refused by the service
        return actions

    def has_change_permission(self, request, obj=None):
        if (
            obj is not None
            and obj.status == ClaimStatus.PUBLISHED
            and not roles.is_reviewer(request.user)
        ):
            return False
        return super().has_change_permission(request, obj)

    def has_add_permission(self, request):
        return False  # claims are marked in the editor, where their words are selected

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in services.CLAIM_EDITABLE_FIELDS}
        try:
            services.claim_update(
                claim=obj, version=form.cleaned_data["version"], actor=request.user, **fields
            )
        except services.ClaimConflict as conflict:
            # The admin has no way to keep the form open from here; say what happened.
            self.message_user(request, f"Not saved: {conflict}", messages.ERROR)

    def save_formset(self, request, form, formset, change):
        for instance in formset.save(commit=False):
            instance._history_user = request.user
            instance.full_clean()
            instance.save()
        for instance in formset.deleted_objects:
            instance._history_user = request.user
            instance.delete()

    @admin.display(description="claim", ordering="exact")
    def quote_in_context(self, claim):
        return format_html(
            "…{}<strong>{}</strong>{}…",
            claim.prefix[-20:],
            claim.exact[:80] + ("…" if len(claim.exact) > 80 else ""),
            claim.suffix[:20],
        )

    @admin.display(description="article", ordering="article__title")
    def article_link(self, claim):
        return format_html(
            '<a href="/articles/{}/">{}</a>', claim.article_id, claim.article.title[:60]
        )

    @admin.display(description="verdict", ordering="verdict__position")
    def verdict_label(self, claim):
        if claim.verdict is None:
            return "—"
        return format_html(
            '<span style="border-left:6px solid {};padding-left:4px">{}</span>',
            claim.verdict.colour,
            claim.verdict.label,
        )

    @admin.display(description="in the editor")
    def editor_link(self, claim):
        return format_html(
            '<a href="{}">Open this claim in the editor</a>', claim.get_absolute_url()
        )

    @admin.display(description="matches of the latest search")
    def related_coverage(self, claim):
        search = claim.coverage_searches.order_by("-queued_at", "-id").first()
        if search is None:
            return "No search yet."
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{:.3f}</td><td>{}</td></tr>",
            (
                (m.rank, m.article.title, m.method, m.score, m.decision or "undecided")
                for m in search.matches.select_related("article")
            ),
        )
        return format_html(
            "<p>{} ({} attempt(s)) {}</p><table><tr><th>#</th><th>article</th>"
            "<th>method</th><th>score</th><th>decision</th></tr>{}</table>",
            search.get_status_display(),
            search.attempts,
            search.error,
            rows,
        )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST" and not roles.is_reviewer(request.user):
            raise PermissionDenied("Only reviewers may revert a claim.")
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(ReviewQueueClaim)
class ReviewQueueAdmin(ClaimAdmin):
    """Claims waiting for a reviewer, oldest first."""

    list_filter = ["verdict", ("assignee", admin.RelatedOnlyFieldListFilter), "anchor_state"]
    ordering = ["created_at", "id"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=ClaimStatus.IN_REVIEW)


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "publisher",
        "published_at",
        "is_archive",
        "claim_counts",
        "revision",
        "import_source",
    ]
    list_filter = ["is_archive", "language"]
    search_fields = ["title", "url"]
    readonly_fields = ["revision", "reanchor_report", "import_source", "claim_counts", "body"]
    fields = [
        "title",
        "url",
        "publisher",
        "byline",
        "published_at",
        "language",
        "is_archive",
        "import_source",
        "revision",
        "reanchor_report",
        "claim_counts",
        "body",
    ]

    def get_queryset(self, request):
        counts = {
            f"count_{status}": Count("claims", filter=Q(claims__status=status))
            for status in ClaimStatus.values
        }
        return super().get_queryset(request).annotate(**counts)

    @admin.display(description="claims by status")
    def claim_counts(self, article):
        parts = [
            f"{getattr(article, f'count_{value}', 0)} {label.lower()}"
            for value, label in ClaimStatus.choices
            if getattr(article, f"count_{value}", 0)
        ]
        return ", ".join(parts) or "none"


@admin.register(Verdict)
class VerdictAdmin(admin.ModelAdmin):
    list_display = ["label", "slug", "rating_value", "colour", "position"]


@admin.register(CoverageSearch)
class CoverageSearchAdmin(admin.ModelAdmin):
    list_display = ["id", "claim", "status", "attempts", "queued_at", "finished_at"]
    list_filter = ["status"]
    list_select_related = ["claim"]
    readonly_fields = [f.name for f in CoverageSearch._meta.fields]


@admin.register(CoverageMatch)
class CoverageMatchAdmin(admin.ModelAdmin):
    list_display = ["search", "rank", "article", "score", "method", "decision"]
    list_select_related = ["search", "article"]
    readonly_fields = [f.name for f in CoverageMatch._meta.fields]
