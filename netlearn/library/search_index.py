"""The library's embedded search index (Tantivy), the default engine of `search.py`.

Why an index beside the database: a frequent word matches most of a large library, and the
databases' full-text search ranks every match before it can keep the best 20 (docs/benchmarks.md,
library search). Tantivy scores matches in a top-k collector over compact posting lists, BM25
per field, so a page costs milliseconds at 200,000 resources.

The index is a copy, and a copy can be stale: it is written only by the task
`tasks.index_resources`, queued after the commit that changed a resource (`indexing.reindex`),
and rebuilt whole by `rebuild` (`netlearn reindex`). So it only proposes candidates: what a
person sees is decided by the database through the library policy (`search._search_index`), and
the visibility fields kept here serve only to make the candidates mostly ones they may see.

One directory per schema version under `LIBRARY_SEARCH_INDEX_DIR`; one writer at a time across
processes (an exclusive lock file beside it), readers never wait.
"""

from __future__ import annotations

import fcntl
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import tantivy
from django.conf import settings

# Bump when the schema or the analyzer changes: a new directory is built by `netlearn reindex`.
SCHEMA_VERSION = 2
ANALYZER = "netlearn_en"
# Field weights: what the title and tags say outweighs a word somewhere in a file.
FIELD_BOOSTS = {"title": 4.0, "tags": 2.5, "summary": 1.5, "body": 1.0}
# Disjunction-max over the fields: the best field counts, others add this share of theirs.
TIE_BREAKER = 0.2
WRITER_HEAP = 50_000_000
# Written beside the index once it has been built whole (`is_built`).
BUILT = "built-by-netlearn"


def analyzer() -> tantivy.TextAnalyzer:
    """Words, lower-cased and stemmed in English: the same for documents and queries."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.stemmer("english"))
        .build()
    )


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", indexed=True, fast=True)
    for name in FIELD_BOOSTS:
        builder.add_text_field(name, tokenizer_name=ANALYZER, index_option="position")
    # Visibility and filters (search.Narrowing): candidates only, the database decides.
    # Who reaches a resource, in one field so one term-set query asks it: its network, the
    # networks it is shared with, and PUBLIC when it is public.
    builder.add_integer_field("reach", indexed=True)
    builder.add_text_field("kind", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("stage", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("subject", tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("school", indexed=True)
    builder.add_integer_field("endorsed", indexed=True)
    builder.add_integer_field("retired", indexed=True)
    # Tantivy multiplies the score by log2(2 + weight): see `weight_for`.
    builder.add_float_field("weight", fast=True)
    return builder.build()


PUBLIC = -1  # the `reach` of a public resource (network ids are positive)
SCHEMA = _schema()
_ANALYZER = analyzer()


def weight_for(boost: float) -> float:
    """The fast-field value that makes Tantivy multiply a score by `boost` (log2(2 + w) = boost)."""
    return 2.0**boost - 2.0


def terms_of(text: str) -> list[str]:
    return _ANALYZER.analyze(text or "")


# Opening -----------------------------------------------------------------------------------------


def directory() -> Path:
    return Path(settings.LIBRARY_SEARCH_INDEX_DIR) / f"v{SCHEMA_VERSION}"


_opened: dict[tuple[int, str], tantivy.Index] = {}
_opening = threading.Lock()


def open_index() -> tantivy.Index:
    """This process's handle on the index (made empty on first use)."""
    path = directory()
    # Per process: a handle opened before a fork (gunicorn's preload) is not reused after it.
    key = (os.getpid(), str(path))
    index = _opened.get(key)
    if index is None:
        with _opening:
            index = _opened.get(key)
            if index is None:
                path.mkdir(parents=True, exist_ok=True)
                index = tantivy.Index(SCHEMA, path=str(path), reuse=True)
                index.register_tokenizer(ANALYZER, analyzer())
                _opened[key] = index
    return index


@contextmanager
def _writer():
    """The only writer: an exclusive lock across processes (web, task workers, reindex), then
    Tantivy's own writer, committed on success and rolled back on error."""
    index = open_index()
    lock_path = directory().with_suffix(".lock")
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            writer = index.writer(WRITER_HEAP, 1)
            try:
                yield writer
            except BaseException:
                writer.rollback()
                raise
            writer.commit()
            writer.wait_merging_threads()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    index.reload()


# Writing -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """What the index keeps of one resource (built by `indexing.entries_for`)."""

    id: int
    title: str
    summary: str
    tags: str
    body: str
    network: int
    shared: tuple[int, ...]
    sharing: str
    kind: str
    stages: tuple[str, ...]
    subjects: tuple[str, ...]
    school: int
    endorsed: bool
    retired: bool
    boost: float

    def document(self) -> tantivy.Document:
        return tantivy.Document(
            id=self.id,
            title=self.title,
            summary=self.summary,
            tags=self.tags,
            body=self.body,
            reach=[self.network, *self.shared] + ([PUBLIC] if self.sharing == "public" else []),
            kind=self.kind,
            stage=list(self.stages),
            subject=list(self.subjects),
            school=self.school,
            endorsed=int(self.endorsed),
            retired=int(self.retired),
            weight=weight_for(self.boost),
        )


def write(entries: list[Entry], *, removed: list[int] = ()) -> None:
    """Replaces the entries of these resources and drops those of `removed`, in one commit."""
    if not entries and not removed:
        return
    with _writer() as writer:
        for resource_id in [entry.id for entry in entries] + list(removed):
            writer.delete_documents_by_term("id", resource_id)
        for entry in entries:
            writer.add_document(entry.document())


def is_built() -> bool:
    """Whether `rebuild` has filled this index once: until then (a new installation, an upgrade
    to a new schema) search answers from the database, not from an empty index."""
    return (directory() / BUILT).exists()


def rebuild(batches) -> int:
    """Empties the index and writes every entry of `batches` (lists of Entry), in one commit:
    readers see the old index until the new one is complete."""
    written = 0
    with _writer() as writer:
        writer.delete_all_documents()
        for batch in batches:
            for entry in batch:
                writer.add_document(entry.document())
            written += len(batch)
    (directory() / BUILT).write_text(f"{written}\n")
    return written


# Reading -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """One requirement of a query: a word, a word's beginning (`prefix`) or a quoted phrase."""

    text: str
    prefix: bool = False
    phrase: bool = False


def _field_query(field: str, part: Part) -> tantivy.Query | None:
    terms = terms_of(part.text)
    if not terms:
        return None
    if part.prefix:
        # The typed beginning and its stem (stems cut endings: "planti" → "planti", "plantin"):
        # either may begin the indexed stem. Letters and digits only (search.parts_of).
        beginnings = sorted({part.text.lower(), terms[0]})
        return tantivy.Query.regex_query(SCHEMA, field, f"({'|'.join(beginnings)}).*")
    if len(terms) > 1:
        return tantivy.Query.phrase_query(SCHEMA, field, terms)
    return tantivy.Query.term_query(SCHEMA, field, terms[0])


def text_query(parts: list[Part]) -> tantivy.Query | None:
    """Every part required, each in any field, the best field weighted (title and tags high)."""
    musts = []
    for part in parts:
        fields = []
        for field, boost in FIELD_BOOSTS.items():
            query = _field_query(field, part)
            if query is not None:
                fields.append(tantivy.Query.boost_query(query, boost))
        if fields:
            musts.append(
                (tantivy.Occur.Must, tantivy.Query.disjunction_max_query(fields, TIE_BREAKER))
            )
    return tantivy.Query.boolean_query(musts) if musts else None


def _filter(query: tantivy.Query) -> tuple:
    # Filters must not change the score: a constant of 0 is added for each.
    return (tantivy.Occur.Must, tantivy.Query.const_score_query(query, 0.0))


def filter_clauses(narrowing) -> list[tuple] | None:
    """The index's side of `search.Narrowing`; None when nothing can match."""
    clauses = []
    if narrowing.network_ids is not None:  # None: every network (a site admin)
        reach = sorted(narrowing.network_ids) + ([PUBLIC] if narrowing.public else [])
        if not reach:
            return None
        clauses.append(_filter(tantivy.Query.term_set_query(SCHEMA, "reach", reach)))
    if narrowing.network is not None:
        # The network's library: its own resources and those shared with it.
        clauses.append(_filter(tantivy.Query.term_query(SCHEMA, "reach", narrowing.network)))
    for field, value in (
        ("kind", narrowing.kind),
        ("stage", narrowing.stage),
        ("subject", narrowing.subject),
        ("school", narrowing.school),
    ):
        if value:
            clauses.append(_filter(tantivy.Query.term_query(SCHEMA, field, value)))
    if narrowing.endorsed:
        clauses.append(_filter(tantivy.Query.term_query(SCHEMA, "endorsed", 1)))
    if not narrowing.include_retired:
        clauses.append(_filter(tantivy.Query.term_query(SCHEMA, "retired", 0)))
    return clauses


@dataclass
class Candidates:
    ids: list[int]  # best first
    count: int  # every match in the index under the narrowing


def candidates(parts: list[Part], narrowing, *, limit: int) -> Candidates:
    """The best `limit` resources the index holds for `parts` under `narrowing`: relevance
    times the endorsement and featuring boost, ties broken by the newer resource."""
    query = text_query(parts)
    filters = filter_clauses(narrowing)
    if query is None or filters is None:
        return Candidates([], 0)
    index = open_index()
    # Another process (the task worker) may have committed: Tantivy notices within a second by
    # itself; asking costs a tenth of a millisecond, and a person who just saved sees it at once.
    index.reload()
    searcher = index.searcher()
    found = searcher.search(
        tantivy.Query.boolean_query([(tantivy.Occur.Must, query), *filters]),
        limit,
        count=True,
        weight_by_field="weight",
    )
    ids = searcher.fast_field_values("id", [address for _, address in found.hits])
    scores = [score for score, _ in found.hits]
    order = sorted(range(len(ids)), key=lambda i: (-scores[i], -ids[i]))
    return Candidates([ids[i] for i in order], found.count)


def highlights(parts: list[Part], texts: dict[int, dict[str, str]], *, start: str, stop: str):
    """(id, snippet) for each resource of `texts` ({id: {field: text}}), the matched words
    wrapped in `start`/`stop`: the summary's and the body's best fragments, else the title's."""
    query = text_query(parts)
    if query is None:
        return []
    searcher = open_index().searcher()
    generators = {}

    def generator(field):
        if field not in generators:
            made = tantivy.SnippetGenerator.create(searcher, query, SCHEMA, field)
            made.set_max_num_chars(160)
            generators[field] = made
        return generators[field]

    out = []
    for resource_id, fields in texts.items():
        pieces = []
        for field in ("summary", "body", "title", "tags"):
            if field in ("title", "tags") and pieces:
                break
            text = fields.get(field) or ""
            if not text:
                continue
            snippet = generator(field).snippet_from_doc(tantivy.Document(**{field: text}))
            if snippet.highlighted():
                pieces.append(_marked(snippet, start, stop))
        if not pieces and fields.get("summary"):
            pieces.append(fields["summary"][:160])
        out.append((resource_id, " … ".join(pieces)))
    return out


def _marked(snippet, start: str, stop: str) -> str:
    # Tantivy gives byte offsets into the UTF-8 fragment.
    fragment = snippet.fragment().encode()
    pieces, at = [], 0
    for span in sorted(snippet.highlighted(), key=lambda span: span.start):
        if span.start < at:
            continue
        pieces += [fragment[at : span.start].decode(errors="ignore"), start]
        pieces += [fragment[span.start : span.end].decode(errors="ignore"), stop]
        at = span.end
    pieces.append(fragment[at:].decode(errors="ignore"))
    return "".join(pieces).strip()
