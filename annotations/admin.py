from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Article,
    Claim,
    ClaimTransition,
    CoverageMatch,
    CoverageSearch,
    Source,
    Verdict,
)


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = ["title", "publisher", "published_at", "is_archive", "revision"]
    list_filter = ["is_archive", "language"]
    search_fields = ["title", "url"]


class SourceInline(admin.TabularInline):
    model = Source
    extra = 0


@admin.register(Claim)
class ClaimAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "article", "claimant", "verdict", "status", "anchor_state"]
    list_filter = ["status", "verdict", "anchor_state"]
    list_select_related = ["article", "verdict"]
    search_fields = ["exact", "claimant", "summary", "article__title"]
    raw_id_fields = ["article", "assignee", "created_by", "reviewed_by"]
    inlines = [SourceInline]


@admin.register(Verdict)
class VerdictAdmin(admin.ModelAdmin):
    list_display = ["label", "slug", "rating_value", "colour", "position"]


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["url", "title", "relation", "claim"]
    raw_id_fields = ["claim"]


@admin.register(ClaimTransition)
class ClaimTransitionAdmin(admin.ModelAdmin):
    list_display = ["claim", "from_status", "to_status", "actor", "created_at"]
    raw_id_fields = ["claim", "actor"]


@admin.register(CoverageSearch)
class CoverageSearchAdmin(admin.ModelAdmin):
    list_display = ["id", "claim", "status", "attempts", "queued_at", "finished_at"]
    list_filter = ["status"]
    raw_id_fields = ["claim", "requested_by"]


@admin.register(CoverageMatch)
class CoverageMatchAdmin(admin.ModelAdmin):
    list_display = ["search", "rank", "article", "score", "method", "decision"]
    raw_id_fields = ["search", "article", "prior_claim", "decided_by"]
