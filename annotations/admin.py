"""The review desk. Every write the admin can make goes through a service (Django-Styleguide's
`save_model` → service, for every door the admin opens by itself): claim and article saves,
their inline sources, deletes (page and bulk), and history reverts. A refused save writes
nothing — the admin's own transaction is rolled back — and the page shows only the refusal."""

import dataclasses
import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from . import limits, roles, selectors, services
from .anchoring import SelectorError
from .models import (
    Article,
    Claim,
    ClaimNote,
    ClaimStatus,
    ClaimTransition,
    CoverageMatch,
    CoverageSearch,
    ReviewQueueClaim,
    Source,
    SuggestionModel,
    Verdict,
)
from .selectors import latest_search

# The navigation sidebar took 280 px of a 1280 px screen from the claims list, whose last
# columns then scrolled out of sight; the breadcrumbs and the home page lead everywhere it did.
admin.site.enable_nav_sidebar = False

REVIEWER_ACTIONS = {"approve", "publish", "send_back"}
REFUSALS = (
    PermissionDenied,
    ValidationError,
    SelectorError,
    services.ClaimConflict,
    services.ClaimDuplicate,
    services.ArticleConflict,
)
NOT_SAVED = "Not saved: {reason}"
REVERT_REFUSED = "Not reverted: {reason}"
REVERTED = "Reverted “{obj}” to the version of {date}."
NOTHING_TO_REVERT = (
    "Nothing to revert: what reverting brings back of the version of {date} is as it is now."
)


def claims_counted(count: int) -> str:
    return f"{count} claim" if count == 1 else f"{count} claims"


def refusal_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, SelectorError):
        return error.message
    return str(error)


class Refused(Exception):
    """A service refused what the admin asked; raised out of the admin's transaction so
    nothing it started (the change, its inlines, its log entry) is kept."""


# A URL typed without a scheme is read as https (Django 6's default, chosen now).
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class HistoryChanges(HistoricalRecordContextHelper):
    """A history row's changes as people read them: choice labels ("In review"), dates as
    the admin writes them, and a dash for nothing (simple-history wrote the stored value,
    and "Deleted user (pk=None)" for an empty user field); the counters every save moves
    (version, revision) left out."""

    COUNTERS = {"version", "revision"}

    def context_for_delta_changes(self, delta):
        changes = [c for c in delta.changes if c.field not in self.COUNTERS]
        return super().context_for_delta_changes(dataclasses.replace(delta, changes=changes))

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if value is None or (isinstance(value, DeletedObject) and value.pk is None):
            return "—"
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        if isinstance(value, dt.datetime):
            return date_format(timezone.localtime(value), "DATETIME_FORMAT")
        return super().prepare_delta_change_value(change, value)


class ServiceAdmin(SimpleHistoryAdmin):
    """Writes through services; a refusal answers with the refusal alone. Reverting an
    earlier version (simple-history's form) calls `revert`; only reviewers revert."""

    formfield_overrides = URL_FIELDS

    def get_historical_record_context_helper(self, request, historical_record):
        return HistoryChanges(self.model, historical_record)

    def get_deleted_objects(self, objs, request):
        # Who may delete is the service's rule (delete_model calls it). What a deletion
        # takes along (notes, searches, matches) is read-only in the admin, which must not
        # make Django refuse the deletion outright.
        deleted, counts, _perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except Refused as refusal:
            self.message_user(request, NOT_SAVED.format(reason=refusal), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except Refused as refusal:
            self.message_user(request, f"Not deleted: {refusal}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def revert_disabled(self, request, obj=None):
        return not roles.is_reviewer(request.user) or super().revert_disabled(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "POST":
            if not self.revert_disabled(request):
                # The form shows the whole old version: say what a revert brings back of it.
                self.message_user(request, self.revert_brings_back, messages.INFO)
            return super().history_form_view(request, object_id, version_id, extra_context)
        obj = get_object_or_404(self.model, pk=object_id)
        if not roles.is_reviewer(request.user):
            raise PermissionDenied(self.revert_refusal)
        record = get_object_or_404(obj.history.model, pk=version_id, id=obj.pk)
        versions = obj.history.count()
        try:
            obj = self.revert(request, obj, record.history_id)
        except REFUSALS as error:
            reason = refusal_text(error)
            self.message_user(request, REVERT_REFUSED.format(reason=reason), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        date = f"{record.history_date:%Y-%m-%d %H:%M} UTC"
        if obj.history.count() == versions:  # the service had nothing to change
            self.message_user(request, NOTHING_TO_REVERT.format(date=date), messages.WARNING)
        else:
            self.log_change(request, obj, REVERTED.format(obj=obj, date=date))
            self.message_user(request, REVERTED.format(obj=obj, date=date), messages.SUCCESS)
        opts = self.model._meta
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        )


def transition_claims(modeladmin, request, queryset, to: str, reason: str = "") -> None:
    """Apply one transition to each selected claim; report successes and, by claim, every
    refusal and why."""
    done, refused = 0, []
    for claim in queryset.order_by("id"):
        try:
            services.claim_transition(claim=claim, to=to, actor=request.user, reason=reason)
        except REFUSALS as error:
            refused.append(f"“{claim}” (#{claim.pk}): {refusal_text(error)}")
        else:
            done += 1
    if done:
        label = ClaimStatus(to).label.lower()
        modeladmin.message_user(
            request, f"{claims_counted(done)} moved to {label}.", messages.SUCCESS
        )
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
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=limits.MAX_REASON)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        required=False,
        empty_label="(nobody)",
    )


class ConfirmForm(forms.Form):
    pass


def _intermediate(request, queryset, form, title, action, button):
    return render(
        request,
        "admin/annotations/claim_action.html",
        {
            "title": title,
            "button": button,
            "form": form,
            "claims": queryset,
            "action": action,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "opts": Claim._meta,
            "cancel_url": request.get_full_path(),
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
    return _intermediate(
        request, queryset, form, "Send back to draft", "send_back", "Send back to draft"
    )


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
            except REFUSALS as error:
                refused.append(f"“{claim}” (#{claim.pk}): {refusal_text(error)}")
            else:
                done += 1
        modeladmin.message_user(
            request, f"{claims_counted(done)} assigned to {assignee or 'nobody'}."
        )
        for line in refused:
            modeladmin.message_user(request, f"Refused: {line}", messages.ERROR)
        return None
    return _intermediate(request, queryset, form, "Assign claims", "assign", "Assign")


@admin.action(description="Delete the selected claims")
def delete_claims(modeladmin, request, queryset):
    """Django's own "delete selected" deletes rows directly; this one asks the service for
    each claim, so a published claim is deleted only by a reviewer."""
    if "confirm" not in request.POST:
        return _intermediate(
            request, queryset, ConfirmForm(), "Delete claims", "delete_claims", "Delete"
        )
    done, refused = 0, []
    for claim in queryset.order_by("id"):
        try:
            services.claim_delete(claim=claim, actor=request.user)
        except REFUSALS as error:
            refused.append(f"“{claim}” (#{claim.pk}): {refusal_text(error)}")
        else:
            done += 1
    if done:
        modeladmin.message_user(request, f"{claims_counted(done)} deleted.", messages.SUCCESS)
    for line in refused:
        modeladmin.message_user(request, f"Refused: {line}", messages.ERROR)
    return None


class SourceInline(admin.TabularInline):
    model = Source
    # Narrow fields, so the row fits the change form's column at 1280 px.
    formfield_overrides = {
        models.URLField: {
            **URL_FIELDS[models.URLField],
            "widget": forms.URLInput(attrs={"size": 22}),
        },
        models.CharField: {"widget": forms.TextInput(attrs={"size": 12})},
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 20})},
    }
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

    def has_change_permission(self, request, obj=None):
        return False


class NoteInline(admin.TabularInline):
    """The conversation on a claim; notes are added in the editor or with the claim form's
    "Add a note" field, and never changed."""

    model = ClaimNote
    extra = 0
    can_delete = False
    fields = ["created_at", "author", "text"]
    readonly_fields = ["created_at", "author", "text"]
    verbose_name_plural = "notes"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ClaimAdminForm(forms.ModelForm):
    # The version the form was built from: a save based on a stale one is refused.
    version = forms.IntegerField(widget=forms.HiddenInput)
    new_note = forms.CharField(
        label="Add a note",
        required=False,
        max_length=limits.MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Added to the claim's thread with your name, read by its editor.",
    )

    class Meta:
        model = Claim
        fields = ["claimant", "claim_date", "verdict", "summary", "assignee", "version"]


def source_changes(formset) -> services.SourceChanges:
    """The inline sources' edits as the service takes them: only the fields a person
    changed, new rows, and rows marked for deletion."""
    create, update, remove = [], {}, set()
    for form in formset.forms:
        if not form.has_changed() and not formset._should_delete_form(form):
            continue
        if formset._should_delete_form(form):
            if form.instance.pk:
                remove.add(form.instance.pk)
        elif form.instance.pk:
            update[form.instance.pk] = {name: form.cleaned_data[name] for name in form.changed_data}
        else:
            values = {name: form.cleaned_data[name] for name in SourceInline.fields}
            create.append(services.SourceData(**values))
    return services.SourceChanges(tuple(create), update, frozenset(remove))


class ArticleTitleFilter(admin.RelatedOnlyFieldListFilter):
    """By article, reading the titles alone: Django's filter loads each article's full row,
    a 100 KB body each, to print its title."""

    def field_choices(self, field, request, model_admin):
        ids = model_admin.get_queryset(request).values("article_id")
        return list(
            Article.objects.filter(pk__in=ids).order_by("title", "id").values_list("pk", "title")
        )


@admin.register(Claim)
class ClaimAdmin(ServiceAdmin):
    form = ClaimAdminForm
    revert_refusal = services.claims.ONLY_REVIEWERS_REVERT
    revert_brings_back = (
        "Reverting brings back this version's quote, claimant, date, verdict, summary and "
        "assignee as a new change. Its sources and review status stay as they are now."
    )
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
        ("article", ArticleTitleFilter),
        "anchor_state",
        "created_at",
    ]
    list_select_related = ["article", "verdict", "assignee"]
    search_fields = ["exact", "claimant", "summary", "article__title"]
    # A row shows its article's title: never read the article's text (often 100 KB) for it.
    ARTICLE_TEXT = ["article__body", "article__body_html", "article__reanchor_report"]
    # Date filtering comes from the created_at list filter, which costs no query; the date
    # hierarchy and the unfiltered total cost three (bench/admin_changelist.py).
    show_full_result_count = False
    inlines = [SourceInline, NoteInline, TransitionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).defer(*self.ARTICLE_TEXT)

    readonly_fields = [
        "article",
        "exact",
        "prefix",
        "suffix",
        "start",
        "end",
        "anchor_state",
        "proposed_exact",
        "status",
        "created_by",
        "reviewed_by",
        "reviewed_at",
        "related_coverage",
        "editor_link",
    ]
    fieldsets = [
        (
            None,
            {"fields": ["editor_link", "article", "exact", "status", "anchor_state"]},
        ),
        (
            "Fact-check",
            {
                "fields": [
                    "claimant",
                    "claim_date",
                    "verdict",
                    "summary",
                    "assignee",
                    "new_note",
                    "version",
                ]
            },
        ),
        ("Review", {"fields": ["created_by", "reviewed_by", "reviewed_at"]}),
        (
            "Selector",
            {
                "classes": ["collapse"],
                "fields": ["prefix", "suffix", "start", "end", "proposed_exact"],
            },
        ),
        ("Related coverage", {"fields": ["related_coverage"]}),
    ]
    actions = [submit, approve, publish, send_back, assign, delete_claims]
    history_list_display = ["status_label", "verdict", "summary"]

    @admin.display(description="status")
    def status_label(self, record):
        """A history row's status as the rest of the admin names it ("In review")."""
        return record.get_status_display()

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # replaced by delete_claims, through the service
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

    def has_delete_permission(self, request, obj=None):
        if (
            obj is not None
            and obj.status == ClaimStatus.PUBLISHED
            and not roles.is_reviewer(request.user)
        ):
            return False
        return super().has_delete_permission(request, obj)

    def has_add_permission(self, request):
        return False  # claims are marked in the editor, where their words are selected

    def save_model(self, request, obj, form, change):
        """Nothing here: the claim and its inline sources are one change, made through the
        service in save_related, where both are known."""

    def save_related(self, request, form, formsets, change):
        sources = next(
            (source_changes(formset) for formset in formsets if formset.model is Source), None
        )
        fields = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in services.CLAIM_EDITABLE_FIELDS
        }
        try:
            claim = services.claim_update(
                claim=form.instance,
                version=form.cleaned_data["version"],
                actor=request.user,
                sources=sources,
                **fields,
            )
            if form.cleaned_data.get("new_note", "").strip():
                services.note_create(
                    claim=claim, actor=request.user, text=form.cleaned_data["new_note"]
                )
        except REFUSALS as error:
            raise Refused(refusal_text(error)) from None
        for formset in formsets:  # what the admin's change message reads of each inline
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def delete_model(self, request, obj):
        try:
            services.claim_delete(claim=obj, actor=request.user)
        except REFUSALS as error:
            raise Refused(refusal_text(error)) from None

    def delete_queryset(self, request, queryset):
        for claim in queryset:
            self.delete_model(request, claim)

    def revert(self, request, obj, history_id):
        return services.claim_revert(claim=obj, history_id=history_id, actor=request.user)

    @admin.display(description="claim", ordering="exact")
    def quote_in_context(self, claim):
        # A few whole words either side ("…Varga told the"), not a cut ("…rga again said").
        before, after = claim.prefix[-24:], claim.suffix[:24]
        if len(claim.prefix) > len(before):
            before = before.partition(" ")[2] or before
        if len(claim.suffix) > len(after):
            after = after.rpartition(" ")[0] or after
        return format_html(
            "…{}<strong>{}</strong>{}…", before, Truncator(claim.exact).chars(80), after
        )

    @admin.display(description="article", ordering="article__title")
    def article_link(self, claim):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("article-editor", args=[claim.article_id]),
            Truncator(claim.article.title).words(10),
        )

    @admin.display(description="verdict", ordering="verdict__position")
    def verdict_label(self, claim):
        if claim.verdict is None:
            return "—"
        # Coloured by a class from verdicts.css: the Content-Security-Policy allows no
        # inline style.
        return format_html(
            '<span class="verdict-label verdict-{}">{}</span>',
            claim.verdict.slug,
            claim.verdict.label,
        )

    @admin.display(description="in the editor")
    def editor_link(self, claim):
        return format_html(
            '<a href="{}">Open this claim in the editor</a>', claim.get_absolute_url()
        )

    @admin.display(description="matches of the latest search")
    def related_coverage(self, claim):
        search = latest_search(claim)
        if search is None:
            return "No search yet."
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (m.rank, m.article.title, m.method, f"{m.score:.3f}", m.decision or "undecided")
                for m in search.matches.select_related("article")
            ),
        )
        return format_html(
            '<p>{} ({}) {}</p><div class="scrolls"><table><tr><th>#</th><th>article</th>'
            "<th>method</th><th>score</th><th>decision</th></tr>{}</table></div>",
            search.get_status_display(),
            f"{search.attempts} attempt" + ("" if search.attempts == 1 else "s"),
            search.error,
            rows,
        )


@admin.register(ReviewQueueClaim)
class ReviewQueueAdmin(ClaimAdmin):
    """Claims waiting for a reviewer, oldest first."""

    list_filter = ["verdict", ("assignee", admin.RelatedOnlyFieldListFilter), "anchor_state"]
    ordering = ["created_at", "id"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=ClaimStatus.IN_REVIEW)


@admin.register(Article)
class ArticleAdmin(ServiceAdmin):
    revert_refusal = services.articles.ONLY_REVIEWERS_REVERT
    revert_brings_back = (
        "Reverting brings back this version's text and details as a new edit; its claims are "
        "placed again on the text as after any edit."
    )
    list_display = [
        "title",
        "publisher",
        "published_at",
        "is_archive",
        "claim_counts",
        "revision",
    ]  # the import source (a file on the server) is on the article's page, not in the list
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
        return selectors.articles_with_status_counts(super().get_queryset(request))

    def has_add_permission(self, request):
        return False  # articles are pasted in the editor or imported, where text is cleaned

    def has_delete_permission(self, request, obj=None):
        return roles.is_reviewer(request.user) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        fields = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in services.ARTICLE_EDITABLE_FIELDS
        }
        try:
            services.article_update(article=obj, actor=request.user, **fields)
        except REFUSALS as error:
            raise Refused(refusal_text(error)) from None

    def delete_model(self, request, obj):
        try:
            services.article_delete(article=obj, actor=request.user)
        except REFUSALS as error:
            raise Refused(refusal_text(error)) from None

    def delete_queryset(self, request, queryset):
        for article in queryset:
            self.delete_model(request, article)

    def revert(self, request, obj, history_id):
        return services.article_revert(article=obj, history_id=history_id, actor=request.user)

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


class ReadOnlyAdmin(admin.ModelAdmin):
    """Job records: written by the workers, read here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CoverageSearch)
class CoverageSearchAdmin(ReadOnlyAdmin):
    list_display = ["id", "claim", "status", "attempts", "queued_at", "finished_at"]
    list_filter = ["status"]
    list_select_related = ["claim"]


@admin.register(CoverageMatch)
class CoverageMatchAdmin(ReadOnlyAdmin):
    list_display = ["search", "rank", "article", "rounded_score", "method", "decision"]
    list_select_related = ["search", "article"]

    @admin.display(description="score", ordering="score")
    def rounded_score(self, match):
        return f"{match.score:.3f}"


@admin.register(SuggestionModel)
class SuggestionModelAdmin(ReadOnlyAdmin):
    """The suggested-claims models the desk's marks trained, newest first, for staff to see
    how well each measured (cross-validated, folds by article) and which one serves."""

    list_display = [
        "id",
        "created_at",
        "serves",
        "training_size",
        "positives",
        "articles",
        "learned_f1",
        "learned_average_precision",
        "heuristic_f1",
        "training_seconds",
    ]
    exclude = ["weights", "params"]
    readonly_fields = ["coefficients"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    @admin.display(description="cross-validated F1", ordering="cv_f1")
    def learned_f1(self, obj):
        return "—" if obj.cv_f1 is None else f"{obj.cv_f1:.3f}"

    @admin.display(description="cross-validated AP")
    def learned_average_precision(self, obj):
        return "—" if obj.cv_average_precision is None else f"{obj.cv_average_precision:.3f}"

    @admin.display(description="heuristic's F1")
    def heuristic_f1(self, obj):
        return "—" if obj.heuristic_cv_f1 is None else f"{obj.heuristic_cv_f1:.3f}"

    @admin.display(description="coefficients")
    def coefficients(self, obj):
        params = obj.params or {}
        return (
            f"{len(bytes(obj.weights)) // 4} float32 weights (hashed words: "
            f"{params.get('word_features', 0)}, embedding: {params.get('dimensions', 0)}, "
            f"cue heuristic: 1), intercept {params.get('intercept', 0):.3f}; "
            f"settings {params.get('settings', {})}"
        )
