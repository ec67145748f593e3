"""A page of the claims list (GET /api/v1/claims/), read in SQL written once and written out
as ClaimSerializer writes a claim.

Why not the ORM and the serializer: a page of twenty claims on one article takes PostgreSQL
about 1 ms to read (count, claims, sources), and building and compiling those querysets took
Django 2-3 ms on every request, making the model instances and walking the serializer's fields
another 2-3 (issue 16: the list within 3x the raw SQL). Here the SQL is composed once per
database from the model's tables and Django's own `icontains` for that engine, and each
request only binds its values.

ClaimSerializer still defines a claim's JSON (the schema and every other response use it), the
rules are still the services' (asked once per status: `transitions_in` and the rest), and
dates are written the way the exports and DRF write them.
tests/api/test_claim_list.py holds every filter to the ORM's reading of it and every item to
ClaimSerializer's output, for claims in every state read by users of every role, on both
databases.
"""

from collections import namedtuple
from functools import cache

from django.contrib.auth import get_user_model
from django.db import connection

from annotations import services
from annotations.exports.records import iso_from_database
from annotations.models import Article, Claim, ClaimNote, Source, Verdict

# A page's columns: each row's name and the SQL it is read from, one list for the SELECT and
# the Row. Dates as the database's text, made ISO by iso_from_database (as the exports do):
# the same on both engines, where SQLite hands back text and PostgreSQL objects.
COLUMNS = (
    ("id", "c.id"),
    ("article_id", "c.article_id"),
    ("article_title", "a.title"),
    ("article_url", "a.url"),
    ("article_published_at", "CAST(a.published_at AS TEXT)"),
    ("exact", "c.exact"),
    ("prefix", "c.prefix"),
    ("suffix", "c.suffix"),
    ("start", "c.start"),
    ("end", 'c."end"'),
    ("proposed_exact", "c.proposed_exact"),
    ("proposed_start", "c.proposed_start"),
    ("proposed_end", "c.proposed_end"),
    ("claimant", "c.claimant"),
    ("claim_date", "CAST(c.claim_date AS TEXT)"),
    ("verdict_slug", "v.slug"),
    ("verdict_label", "v.label"),
    ("verdict_rating_value", "v.rating_value"),
    ("verdict_colour", "v.colour"),
    ("summary", "c.summary"),
    ("status", "c.status"),
    ("anchor_state", "c.anchor_state"),
    ("created_by", "cu.username"),
    ("reviewed_by", "ru.username"),
    ("reviewed_at", "CAST(c.reviewed_at AS TEXT)"),
    ("created_at", "CAST(c.created_at AS TEXT)"),
    ("updated_at", "CAST(c.updated_at AS TEXT)"),
    ("version", "c.version"),
    ("assignee", "au.username"),
    ("note_count", "(SELECT COUNT(*) FROM {note} n WHERE n.claim_id = c.id)"),
)
Row = namedtuple("Row", [name for name, _ in COLUMNS])

# The filters of ClaimFilter as SQL, each with the parameter its cleaned value gives. `q` is
# Django's `icontains` on this engine (filled in by _sql) in the quote, claimant or summary.
WHERE = {
    "article": ("c.article_id = %s", int),  # the form cleans it to a Decimal
    "status": ("c.status = %s", str),
    "verdict": ("c.verdict_id = %s", lambda verdict: verdict.pk),
    "assignee": ("c.assignee_id = %s", lambda user: user.pk),
}


@cache
def _sql(vendor: str) -> dict[str, str]:
    """The list's statements for the database engine `vendor`, with `{where}` to fill."""
    quote = connection.ops.quote_name

    def contains(column: str) -> str:
        lhs = connection.ops.lookup_cast("icontains") % f"c.{quote(column)}"
        return f"{lhs} {connection.operators['icontains']}"

    tables = {
        "claim": Claim._meta.db_table,
        "article": Article._meta.db_table,
        "verdict": Verdict._meta.db_table,
        "user": get_user_model()._meta.db_table,
        "note": ClaimNote._meta.db_table,
        "source": Source._meta.db_table,
    }
    t = {name: quote(table) for name, table in tables.items()}
    select = ",\n               ".join(sql.format(**t) for _, sql in COLUMNS)
    page = f"""
        SELECT {select}
        FROM {t["claim"]} c
        JOIN {t["article"]} a ON a.id = c.article_id
        LEFT JOIN {t["verdict"]} v ON v.id = c.verdict_id
        LEFT JOIN {t["user"]} cu ON cu.id = c.created_by_id
        LEFT JOIN {t["user"]} ru ON ru.id = c.reviewed_by_id
        LEFT JOIN {t["user"]} au ON au.id = c.assignee_id
        WHERE {{where}}
        ORDER BY c.created_at DESC, c.id DESC
        LIMIT {{limit:d}} OFFSET {{offset:d}}"""  # noqa: S608 (names from the models; values are parameters)
    return {
        "page": page,
        "count": f"SELECT COUNT(*) FROM {t['claim']} c WHERE {{where}}",  # noqa: S608
        "sources": f"""
            SELECT claim_id, id, url, title, publisher, relation, quote,
                   CAST(accessed_at AS TEXT)
            FROM {t["source"]} WHERE claim_id IN ({{ids}}) ORDER BY claim_id, id""",  # noqa: S608
        "q": f"({contains('exact')} OR {contains('claimant')} OR {contains('summary')})",
    }


class ClaimRows:
    """The claims that `filters` (ClaimFilter's cleaned values) select, newest first, as a
    paginator takes them: counted, and sliced into the rows of a page."""

    ordered = True  # the paginator's check: the order is the SELECT's

    def __init__(self, filters: dict):
        clauses, self.params = [], []
        for name, value in filters.items():
            if value in (None, ""):
                continue
            if name == "q":
                clauses.append(_sql(connection.vendor)["q"])
                self.params += [f"%{connection.ops.prep_for_like_query(value)}%"] * 3
            else:
                clause, parameter = WHERE[name]
                clauses.append(clause)
                self.params.append(parameter(value))
        self.where = " AND ".join(clauses) or "1 = 1"

    def count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(_sql(connection.vendor)["count"].format(where=self.where), self.params)
            return cursor.fetchone()[0]

    def __len__(self) -> int:  # a query, as a queryset's count() is
        return self.count()

    def page_sql(self, page: slice) -> str:
        # The page's bounds written into the SQL, as the ORM writes them: as parameters, a
        # prepared statement's generic plan could not know the page is small and sorted
        # every claim with the verdict (4 ms where the index gives it in 0.3).
        return _sql(connection.vendor)["page"].format(
            where=self.where, limit=page.stop - page.start, offset=page.start
        )

    def __getitem__(self, page: slice) -> list[Row]:
        if page.stop <= page.start:  # an empty list's only page
            return []
        with connection.cursor() as cursor:
            cursor.execute(self.page_sql(page), self.params)
            return [Row._make(row) for row in cursor.fetchall()]


def claim_items(rows: list[Row], *, user) -> list[dict]:
    """The claims of `rows` (a page of ClaimRows) as ClaimSerializer writes them for `user`:
    one more query, for their sources."""
    sources: dict[int, list[dict]] = {row.id: [] for row in rows}
    if sources:
        sql = _sql(connection.vendor)["sources"].format(ids=", ".join(["%s"] * len(sources)))
        with connection.cursor() as cursor:
            cursor.execute(sql, list(sources))
            for claim_id, *values in cursor.fetchall():
                sources[claim_id].append(_source(*values))
    # What a user may do with a claim depends on its status alone: asked once per status.
    rules: dict[str, tuple] = {}
    items = []
    for row in rows:
        status_rules = rules.get(row.status)
        if status_rules is None:
            status_rules = rules[row.status] = _rules(row.status, user)
        items.append(_item(row, sources[row.id], *status_rules))
    return items


def _rules(status: str, user) -> tuple[list[dict], bool, bool]:
    moves = [move.offer() for move in services.transitions_in(status, user)]
    return moves, services.editable_in(status, user), services.change_sends_back_in(status)


def _source(id_, url, title, publisher, relation, quote, accessed_at) -> dict:
    return {
        "id": id_,
        "url": url,
        "title": title,
        "publisher": publisher,
        "relation": relation,
        "quote": quote,
        "accessed_at": iso_from_database(accessed_at),
    }


def _item(row: Row, sources, moves, can_edit, changes_send_back) -> dict:
    return {
        "id": row.id,
        "article": {
            "id": row.article_id,
            "title": row.article_title,
            "url": row.article_url,
            "published_at": iso_from_database(row.article_published_at),
        },
        "selector": {
            "exact": row.exact,
            "prefix": row.prefix,
            "suffix": row.suffix,
            "start": row.start,
            "end": row.end,
        },
        "proposed_selector": None
        if row.proposed_start is None
        else {"exact": row.proposed_exact, "start": row.proposed_start, "end": row.proposed_end},
        "claimant": row.claimant,
        "claim_date": row.claim_date,  # a date's text is ISO already
        "verdict": None
        if row.verdict_slug is None
        else {
            "slug": row.verdict_slug,
            "label": row.verdict_label,
            "rating_value": row.verdict_rating_value,
            "colour": row.verdict_colour,
        },
        "summary": row.summary,
        "status": row.status,
        "anchor_state": row.anchor_state,
        "sources": sources,
        "created_by": row.created_by,
        "reviewed_by": row.reviewed_by,
        "reviewed_at": iso_from_database(row.reviewed_at),
        "created_at": iso_from_database(row.created_at),
        "updated_at": iso_from_database(row.updated_at),
        "version": row.version,
        "assignee": row.assignee,
        "allowed_transitions": [dict(move) for move in moves],
        "can_edit": can_edit,
        "changes_send_back": changes_send_back,
        "note_count": row.note_count,
    }
