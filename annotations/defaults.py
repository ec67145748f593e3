"""The rows every installation needs: the default verdict scale and the role groups.

Called by the data migrations (with historical models) and again after every migrate and
flush (post_migrate), so a database is never without them. Idempotent."""

# Ordered best → worst; misleading and unverifiable sit outside the ordinal range.
DEFAULT_SCALE = [
    ("true", "True", 5, "#1a7f37"),
    ("mostly-true", "Mostly true", 4, "#5a9e2f"),
    ("half-true", "Half true", 3, "#c9a227"),
    ("mostly-false", "Mostly false", 2, "#d9782d"),
    ("false", "False", 1, "#c62828"),
    ("misleading", "Misleading", None, "#8e44ad"),
    ("unverifiable", "Unverifiable", None, "#6b7280"),
]

EDITOR_PERMISSIONS = [
    "view_article", "add_article", "change_article",
    "view_claim", "add_claim", "change_claim", "delete_claim",
    "view_source", "add_source", "change_source", "delete_source",
    "view_verdict", "view_claimtransition", "view_claimnote", "add_claimnote",
    "view_coveragesearch", "view_coveragematch", "change_coveragematch",
]  # fmt: skip
REVIEWER_PERMISSIONS = [
    *EDITOR_PERMISSIONS,
    "delete_article", "view_historicalclaim", "view_historicalarticle", "view_historicalsource",
    "view_reviewqueueclaim", "change_reviewqueueclaim",
]  # fmt: skip
ROLE_PERMISSIONS = {"editor": EDITOR_PERMISSIONS, "reviewer": REVIEWER_PERMISSIONS}


def ensure_default_verdicts(Verdict) -> None:
    if Verdict.objects.exists():
        return  # a newsroom may have edited its scale; never overwrite it
    Verdict.objects.bulk_create(
        Verdict(slug=slug, label=label, rating_value=value, colour=colour, position=position)
        for position, (slug, label, value, colour) in enumerate(DEFAULT_SCALE)
    )


def ensure_role_groups(Group, Permission) -> None:
    # Adding is idempotent, and a later migration's new permissions reach existing groups.
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="annotations", codename__in=codenames
            )
        )
