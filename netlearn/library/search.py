"""Full-text search of the library, one interface over three engines.

`LIBRARY_SEARCH_BACKEND = "index"` (the default): the embedded Tantivy index of
`search_index.py`, ranked with BM25 per field, top-k, with phrases ("...") and word beginnings
(`photo*`). It proposes candidates; the database, through the viewer's scope, decides which of
them are shown (`_search_index`), so a stale index never shows what a person may not see.

`LIBRARY_SEARCH_BACKEND = "database"`: the database's own full-text search, below. It ranks every
match, so it is slow for frequent words in a large library (docs/benchmarks.md), but needs
nothing beside the database. Its entries are always kept, whichever engine answers.

PostgreSQL: `ResourceSearch.document`, a stored tsvector weighted title A, tags and
summary B, file text C, with a GIN index (migration 0002); queried with SearchQuery, ranked with
SearchRank, highlighted with ts_headline. SQLite (the embedded default): an FTS5 virtual table
`library_resource_fts` (migration 0002), ranked with bm25 and highlighted with snippet().

Both database engines get the same query: the words of the text, each required (AND), stemmed
in English (PostgreSQL's `english` configuration, FTS5's porter tokenizer); quotes and `*` are
dropped. Every engine multiplies relevance by a boost for endorsed and featured resources. The
database's entries are written by the service layer (`index_resource`, `remove_resource`) in the
caller's transaction; nothing here checks who may see what: callers pass a queryset already
scoped to the viewer (selectors).
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, Count, F, FloatField, QuerySet, TextField, Value, When, Window
from django.db.models.functions import Concat, Left
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import search_index
from .models import Resource, ResourceSearch
from .search_index import Part

FTS_TABLE = "library_resource_fts"
CONFIG = "english"
MAX_WORDS = 12
# Ranking: relevance times these (an endorsed resource outranks an equally relevant one).
ENDORSED_BOOST = 1.5
FEATURED_BOOST = 1.2
# Highlight markers that cannot occur in indexed text; swapped for <mark> after escaping.
START, STOP = "\x02", "\x03"
WORD = re.compile(r"\w+", re.UNICODE)


def words_of(text: str) -> list[str]:
    """The words a query asks for: letters and digits only, so no engine syntax gets through."""
    return [word.lower() for word in WORD.findall(text or "") if word.strip("_")][:MAX_WORDS]


# A quoted phrase, or a run of non-blank characters (a word, maybe ending in "*").
PART = re.compile(r'"([^"]*)"|(\S+)')


def parts_of(text: str) -> list[Part]:
    """What the index is asked for: quoted phrases, words, and word beginnings (`photo*`);
    letters and digits only, so no engine syntax gets through."""
    parts = []
    for match in PART.finditer(text or ""):
        phrase, word = match.groups()
        if phrase is not None:
            words = words_of(phrase)
            if words:
                parts.append(Part(" ".join(words), phrase=len(words) > 1))
            continue
        words = words_of(word)
        for position, each in enumerate(words):
            last = position == len(words) - 1
            prefix = last and word.endswith("*") and len(each) >= 2
            parts.append(Part(each, prefix=prefix))
    return parts[:MAX_WORDS]


def uses_index() -> bool:
    """Whether the embedded index is the engine in use (it is then kept in step)."""
    return settings.LIBRARY_SEARCH_BACKEND == "index"


def answers_from_index() -> bool:
    """The index answers once built (`netlearn reindex`); before, the database does."""
    return uses_index() and search_index.is_built()


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _clean(text: str) -> str:
    return (text or "").replace(START, " ").replace(STOP, " ").replace("\x00", " ")


def highlight_html(snippet: str | None) -> SafeString:
    """Escapes the snippet, then turns the engine's markers into <mark> elements."""
    text = escape(snippet or "")
    return mark_safe(text.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308


# Writing the index -----------------------------------------------------------------------------


def entry_values(resource: Resource, *, body: str) -> dict:
    """The fields of the resource's `ResourceSearch` row."""
    return {
        "title": _clean(resource.title),
        "summary": _clean(resource.summary),
        "tags": _clean(" ".join(resource.tag_list + [resource.learning_focus])),
        "body": _clean(body),
    }


def _document():
    return (
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("tags", weight="B", config=CONFIG)
        + SearchVector("summary", weight="B", config=CONFIG)
        + SearchVector("body", weight="C", config=CONFIG)
    )


def index_resource(resource: Resource, *, body: str) -> None:
    """Writes the resource's entry. Call inside the transaction that changed the resource."""
    values = entry_values(resource, body=body)
    ResourceSearch.objects.update_or_create(resource=resource, defaults=values)
    if is_postgresql():
        ResourceSearch.objects.filter(pk=resource.pk).update(document=_document())
    else:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [resource.pk])
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, title, summary, tags, body) "
                "VALUES (%s, %s, %s, %s, %s)",
                [resource.pk, values["title"], values["summary"], values["tags"], values["body"]],
            )


def rebuild_engine_index() -> None:
    """Rebuilds the engine's index from every `ResourceSearch` row, in two statements: what a
    copy of the tables (dumpdata/loaddata) does not carry, the FTS5 table, or carries unusable,
    the tsvectors of rows written on SQLite."""
    if is_postgresql():
        ResourceSearch.objects.update(document=_document())
    else:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, title, summary, tags, body) "
                f"SELECT resource_id, title, summary, tags, body FROM "
                f"{ResourceSearch._meta.db_table}"
            )


def remove_resource(resource_id: int) -> None:
    ResourceSearch.objects.filter(pk=resource_id).delete()
    if not is_postgresql():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [resource_id])


# Reading it ------------------------------------------------------------------------------------


@dataclass
class SearchPage:
    """One page of results: resources in rank order, each with `.highlight` (safe HTML)."""

    resources: list[Resource]
    count: int


def _boost():
    return Case(
        When(
            endorsed_at__isnull=False,
            featured_at__isnull=False,
            then=Value(ENDORSED_BOOST * FEATURED_BOOST),
        ),
        When(endorsed_at__isnull=False, then=Value(ENDORSED_BOOST)),
        When(featured_at__isnull=False, then=Value(FEATURED_BOOST)),
        default=Value(1.0),
        output_field=FloatField(),
    )


@dataclass(frozen=True)
class Narrowing:
    """What the index may use to propose candidates a viewer can mostly see: the networks
    whose resources (own or shared with them) they reach (None: every network), whether public
    resources count, and the page's filters. Only a hint: the database scope decides."""

    network_ids: frozenset[int] | None = None
    public: bool = False
    network: int | None = None
    kind: str = ""
    stage: str = ""
    subject: str = ""
    school: int | None = None
    endorsed: bool = False
    include_retired: bool = False


# Candidates fetched beyond the page, for those the database then refuses (a stale index).
SLACK = 10
WIDEN = 4
# The deepest a search pages (as web search engines stop at about 1,000): past it, ask more
# precisely. Keeps each look-up and the database's check of its candidates bounded.
MAX_CANDIDATES = 2000


def search(
    resources: QuerySet[Resource],
    text: str,
    *,
    offset: int = 0,
    limit: int = 20,
    loader: QuerySet[Resource] | None = None,
    narrowing: Narrowing | None = None,
) -> SearchPage:
    """Resources of `resources` (already scoped and filtered, best without annotations) that
    match every word of `text`; the page's rows are loaded through `loader` (e.g. with figures
    for the page), in rank order. `narrowing` lets the index skip what `resources` excludes
    (the index engine only; without it every resource is a candidate)."""
    words = words_of(text)
    if not words:
        return SearchPage([], 0)
    loader = resources if loader is None else loader
    if answers_from_index():
        parts = parts_of(text)
        ids, count, highlights = _search_index(resources, parts, narrowing, offset, limit)
    elif is_postgresql():
        ids, count, highlights = _search_postgresql(resources, words, offset, limit)
    else:
        ids, count, highlights = _search_sqlite(resources, words, offset, limit)
    return SearchPage(_in_order(loader, ids, highlights), count)


def _search_index(resources, parts, narrowing, offset, limit):
    narrowing = narrowing or Narrowing(include_retired=True)
    wanted = min(offset + limit, MAX_CANDIDATES)
    window = min(wanted + SLACK, MAX_CANDIDATES)
    while True:
        found = search_index.candidates(parts, narrowing, limit=window)
        # The database decides: a candidate the viewer's scope (or the filters) no longer
        # admits, or a resource since deleted, is dropped, however the index still holds it.
        allowed = set(resources.filter(pk__in=found.ids).values_list("pk", flat=True))
        kept = [pk for pk in found.ids if pk in allowed]
        exhausted = len(found.ids) < window
        if len(kept) >= wanted or exhausted or window >= MAX_CANDIDATES:
            break
        window = min(window * WIDEN, MAX_CANDIDATES)
    # Exact once every match was looked at; otherwise the index's count less what it refused.
    count = len(kept) if exhausted else max(found.count - (len(found.ids) - len(kept)), len(kept))
    ids = kept[offset:wanted] if offset < wanted else []
    texts = {
        row["pk"]: row
        for row in ResourceSearch.objects.filter(pk__in=ids).values(
            "pk", "title", "summary", "tags", "body"
        )
    }
    for row in texts.values():
        row["body"] = row["body"][:20000]
    return ids, count, search_index.highlights(parts, texts, start=START, stop=STOP)


def _search_postgresql(resources, words, offset, limit):
    query = SearchQuery(" ".join(words), search_type="plain", config=CONFIG)
    matching = resources.filter(search_entry__document=query)
    # The total rides along as a window, so one query gives the page and the count.
    ranked = matching.annotate(
        rank=SearchRank(F("search_entry__document"), query) * _boost(),
        total=Window(Count("pk")),
    ).order_by("-rank", "-pk")[offset : offset + limit]
    rows = list(ranked.values_list("pk", "total"))
    count = rows[0][1] if rows else matching.count()
    ids = [row[0] for row in rows]
    return ids, count, _postgresql_headlines(ids, query)


def _postgresql_headlines(ids: list[int], query: SearchQuery) -> list[tuple[int, str]]:
    # Headlines read the text again: only for the page's rows, and only the body's first part.
    headline = SearchHeadline(
        Concat(
            "title",
            Value(". "),
            "summary",
            Value(". "),
            "tags",
            Value(". "),
            Left("body", 20000),
            output_field=TextField(),
        ),
        query,
        config=CONFIG,
        start_sel=START,
        stop_sel=STOP,
        max_words=24,
        min_words=8,
        max_fragments=2,
        fragment_delimiter=" … ",
    )
    return list(
        ResourceSearch.objects.filter(pk__in=ids)
        .annotate(snippet=headline)
        .values_list("pk", "snippet")
    )


def _match_expression(words: list[str]) -> str:
    # Each word quoted: FTS5 reads it as a plain term, never as syntax (AND, NEAR, column:).
    return " ".join(f'"{word}"' for word in words)


def _search_sqlite(resources, words, offset, limit):
    try:
        scope_sql, scope_params = resources.values("pk").query.sql_with_params()
    except EmptyResultSet:  # the viewer's scope is empty (a pupil): nothing to search
        return [], 0, []
    match = _match_expression(words)
    # The MATCH runs first, once, materialised: left to itself SQLite may drive the query from
    # the scope's rowids and probe the full-text index once per resource (slow on a big
    # library). The count rides along as a window, so one query gives the page and the total.
    boost = (
        f"(CASE WHEN r.endorsed_at IS NOT NULL THEN {ENDORSED_BOOST} ELSE 1.0 END) * "
        f"(CASE WHEN r.featured_at IS NOT NULL THEN {FEATURED_BOOST} ELSE 1.0 END)"
    )
    hits = (
        f"WITH hits AS MATERIALIZED (SELECT rowid AS id, "
        f"bm25({FTS_TABLE}, 10.0, 4.0, 6.0, 1.0) AS score "
        f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s) "
    )
    with connection.cursor() as cursor:
        cursor.execute(
            # bm25 is negative, better matches more so: multiplying by the boost ranks them up.
            f"{hits}SELECT hits.id, COUNT(*) OVER () FROM hits "
            f"JOIN library_resource r ON r.id = hits.id WHERE hits.id IN ({scope_sql}) "
            f"ORDER BY hits.score * {boost}, hits.id DESC LIMIT %s OFFSET %s",
            [match, *scope_params, limit, offset],
        )
        rows = cursor.fetchall()
        if rows:
            count = rows[0][1]
        else:
            cursor.execute(
                f"{hits}SELECT COUNT(*) FROM hits WHERE hits.id IN ({scope_sql})",
                [match, *scope_params],
            )
            count = cursor.fetchone()[0]
        ids = [row[0] for row in rows]
        snippets = []
        if ids:
            marks = ", ".join(["%s"] * len(ids))
            cursor.execute(
                f"SELECT rowid, snippet({FTS_TABLE}, -1, %s, %s, ' … ', 24) FROM {FTS_TABLE} "
                f"WHERE {FTS_TABLE} MATCH %s AND rowid IN ({marks})",
                [START, STOP, match, *ids],
            )
            snippets = cursor.fetchall()
    return ids, count, snippets


def _in_order(resources: QuerySet[Resource], ids: list[int], highlights) -> list[Resource]:
    snippets = dict(highlights)
    by_id = {resource.pk: resource for resource in resources.filter(pk__in=ids)}
    ordered = []
    for resource_id in ids:
        resource = by_id.get(resource_id)
        if resource is not None:
            resource.highlight = highlight_html(snippets.get(resource_id))
            ordered.append(resource)
    return ordered
