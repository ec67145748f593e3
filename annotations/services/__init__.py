"""The operations of factcheck, a module per entity, re-exported here (the shape of
HackSoftware's Styleguide-Example). Every door (API, admin, editor pages, commands, tasks)
calls these and nothing else writes, so each rule lives in one place: the record's rules in
claims.py and articles.py, the jobs' in coverage.py."""

from .articles import (
    ARTICLE_EDITABLE_FIELDS,
    ArticleConflict,
    ReanchorReport,
    article_create,
    article_create_from_paste,
    article_delete,
    article_find_existing,
    article_revert,
    article_update,
)
from .claims import (
    CLAIM_EDITABLE_FIELDS,
    TRANSITIONS,
    ClaimConflict,
    ClaimDuplicate,
    SourceChanges,
    SourceData,
    Transition,
    allowed_transitions,
    approval_missing,
    claim_can_edit,
    claim_create,
    claim_delete,
    claim_import,
    claim_revert,
    claim_transition,
    claim_transitions_for,
    claim_update,
    prior_fact_check_create,
)
from .coverage import (
    coverage_match_decide,
    coverage_search_fail,
    coverage_search_queue,
    coverage_search_run,
    coverage_searches_sweep_stale,
)
from .users import user_for_attribution
from .verdicts import VerdictScale, verdict_lookup

__all__ = [
    "ARTICLE_EDITABLE_FIELDS",
    "CLAIM_EDITABLE_FIELDS",
    "TRANSITIONS",
    "ArticleConflict",
    "ClaimConflict",
    "ClaimDuplicate",
    "ReanchorReport",
    "SourceChanges",
    "SourceData",
    "Transition",
    "VerdictScale",
    "allowed_transitions",
    "approval_missing",
    "article_create",
    "article_create_from_paste",
    "article_delete",
    "article_find_existing",
    "article_revert",
    "article_update",
    "claim_can_edit",
    "claim_create",
    "claim_delete",
    "claim_import",
    "claim_revert",
    "claim_transition",
    "claim_transitions_for",
    "claim_update",
    "coverage_match_decide",
    "coverage_search_fail",
    "coverage_search_queue",
    "coverage_search_run",
    "coverage_searches_sweep_stale",
    "prior_fact_check_create",
    "user_for_attribution",
    "verdict_lookup",
]
