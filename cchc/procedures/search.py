"""Search of the procedure catalogue, as the public sites use it: accent-insensitive ("cap giay phep
xay dung" finds "Cấp giấy phép xây dựng"), ranked by relevance, with the database's own full-text
search where it has one.

- SQLite: an FTS5 table `procedures_fts` over the folded name (`search_name`) and the folded name,
  code, field and agency (`search_text`), kept in step with the rows by triggers; ranked by bm25
  with the name weighing ten times the rest.
- PostgreSQL: a `search_vector` column (tsvector of the same folded texts, 'simple' configuration,
  name weighted A, the rest B) kept by a trigger, with a GIN index; ranked by ts_rank.
- Any other database: every word must appear in `search_text` (LIKE), the name's matches first.

The folded texts themselves are computed in Python (`cchc.documents.folding.fold`, the same fold the
query gets) when a procedure is saved; `reindex()` recomputes them for rows written in bulk.
Both engines require every word (the last one as a prefix: "giay ph" finds "giấy phép"); a query
whose words never all meet falls back to any word, best matches first. A procedure whose name holds
the typed words side by side comes first. A national code ("1.013401") is looked up as a code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q, QuerySet

from cchc.documents.folding import fold

MAX_QUERY_CHARS = 200
MAX_WORDS = 12
NAME_WEIGHT = 10.0  # bm25 weight of the name against the rest (field, agency, code)
SORT_KEY_CHARS = 120  # names longer than this tie on their first 120 letters (then by id)

_WORD = re.compile(r"[a-z0-9]+")
_CODE = re.compile(r"^\s*(\d\.\d{6})(?:[.\s][\w.]*)?\s*$")

FTS_TABLE = "procedures_fts"
_SQLITE_TRIGGERS = {
    "procedures_fts_ai": f"""
        CREATE TRIGGER IF NOT EXISTS procedures_fts_ai AFTER INSERT ON procedures_procedure BEGIN
          INSERT INTO {FTS_TABLE}(rowid, search_name, search_text) VALUES (new.id, new.search_name, new.search_text);
        END""",
    "procedures_fts_ad": f"""
        CREATE TRIGGER IF NOT EXISTS procedures_fts_ad AFTER DELETE ON procedures_procedure BEGIN
          INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_name, search_text)
            VALUES ('delete', old.id, old.search_name, old.search_text);
        END""",
    "procedures_fts_au": f"""
        CREATE TRIGGER IF NOT EXISTS procedures_fts_au AFTER UPDATE OF search_name, search_text
        ON procedures_procedure BEGIN
          INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_name, search_text)
            VALUES ('delete', old.id, old.search_name, old.search_text);
          INSERT INTO {FTS_TABLE}(rowid, search_name, search_text) VALUES (new.id, new.search_name, new.search_text);
        END""",
}

_PG_SETUP = [
    "ALTER TABLE procedures_procedure ADD COLUMN IF NOT EXISTS search_vector tsvector",
    """CREATE OR REPLACE FUNCTION procedures_search_vector() RETURNS trigger AS $$
       BEGIN
         NEW.search_vector := setweight(to_tsvector('simple', coalesce(NEW.search_name, '')), 'A')
                           || setweight(to_tsvector('simple', coalesce(NEW.search_text, '')), 'B');
         RETURN NEW;
       END $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS procedures_search_vector ON procedures_procedure",
    """CREATE TRIGGER procedures_search_vector BEFORE INSERT OR UPDATE OF search_name, search_text
       ON procedures_procedure FOR EACH ROW EXECUTE FUNCTION procedures_search_vector()""",
    "UPDATE procedures_procedure SET search_name = search_name",
    "CREATE INDEX IF NOT EXISTS procedures_search_vector_gin ON procedures_procedure USING gin (search_vector)",
]
_PG_TEARDOWN = [
    "DROP TRIGGER IF EXISTS procedures_search_vector ON procedures_procedure",
    "DROP FUNCTION IF EXISTS procedures_search_vector()",
    "DROP INDEX IF EXISTS procedures_search_vector_gin",
    "ALTER TABLE procedures_procedure DROP COLUMN IF EXISTS search_vector",
]


# ---------------------------------------------------------------- the index

def install(schema_editor=None, *, using: str | None = None) -> None:
    """Create the database's full-text index and what keeps it in step (idempotent). Run by the
    migration, and again after every `migrate`: SQLite rebuilds a table to alter it, which drops
    its triggers, and this puts them back (and rebuilds the index) when they are missing."""
    from django.db import connections

    conn = schema_editor.connection if schema_editor is not None else (connections[using] if using else connection)
    with conn.cursor() as cursor:
        columns = {c.name for c in conn.introspection.get_table_description(cursor, "procedures_procedure")}
        if "search_name" not in columns:
            return  # the catalogue is migrated back before its search fields
        if conn.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE 'procedures_fts%%'")
            present = {row[0] for row in cursor.fetchall()}
            if FTS_TABLE in present and present >= set(_SQLITE_TRIGGERS):
                return
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(search_name, search_text, "
                "content='procedures_procedure', content_rowid='id', tokenize='unicode61', prefix='2 3')")
            for sql in _SQLITE_TRIGGERS.values():
                cursor.execute(sql)
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
        elif conn.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname = 'procedures_search_vector' "
                           "AND tgrelid = 'procedures_procedure'::regclass")
            if cursor.fetchone()[0]:
                return  # a trigger survives ALTER TABLE: nothing to redo (and no row to rewrite)
            for sql in _PG_SETUP:
                cursor.execute(sql)


def uninstall(schema_editor=None) -> None:
    conn = schema_editor.connection if schema_editor is not None else connection
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            for name in _SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        elif conn.vendor == "postgresql":
            for sql in _PG_TEARDOWN:
                cursor.execute(sql)


def sort_key(name: str) -> str:
    """A key whose plain (byte) order is the Vietnamese alphabetical order of the names (a ă â b c d
    đ e ê …, tones breaking ties), written in 0-9a-f only so that every collation orders it alike."""
    from cchc.core.text import sort_key as vi_key

    letters, tones, _text = vi_key((name or "").strip()[:SORT_KEY_CHARS])
    # "000" ends the letters: a name that is the start of another comes first
    return "".join(f"{min(v, 0xFFF):03x}" for v in letters) + "000" + "".join(f"{t:x}" for t in tones)


def search_text_of(procedure) -> str:
    """The folded name, code, field and agency: the catalogue's own `procedure_search_text` when the
    staff services offer it, else the same folding here."""
    try:
        from .services import procedure_search_text
    except ImportError:
        return " ".join(fold(t) for t in (procedure.name, procedure.code, procedure.field, procedure.agency) if t)
    return procedure_search_text(procedure)


def derived_fields(procedure) -> dict[str, str]:
    """What search and the default order read, computed from the procedure's own fields."""
    return {"search_name": fold(procedure.name or ""), "search_text": search_text_of(procedure),
            "sort_key": sort_key(procedure.name or "")}


DERIVED = ("search_name", "search_text", "sort_key")


def reindex(procedures) -> int:
    """Recompute the folded texts and the sort key of these procedures (a queryset or a list), for rows
    written in bulk (bulk_create, update()) that no save went through; the full-text index follows by
    itself. Returns how many rows changed."""
    from .models import Procedure

    if isinstance(procedures, QuerySet):
        procedures = procedures.only("pk", "name", "code", "field", "agency", *DERIVED)
    changed = []
    for procedure in procedures:
        values = derived_fields(procedure)
        if any(getattr(procedure, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(procedure, key, value)
            changed.append(procedure)
    if changed:
        with transaction.atomic():
            Procedure.objects.bulk_update(changed, list(DERIVED), batch_size=500)
    return len(changed)


def rebuild() -> None:
    """Rebuild the whole full-text index from the rows (after a restore or a bulk load)."""
    from .models import Procedure

    reindex(Procedure.objects.all())
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
        elif connection.vendor == "postgresql":
            cursor.execute("UPDATE procedures_procedure SET search_name = search_name")


# ---------------------------------------------------------------- queries

@dataclass(frozen=True)
class Query:
    text: str  # as typed, trimmed and bounded
    words: tuple[str, ...]  # folded words, at most MAX_WORDS
    code: str  # a national code typed alone, else ""

    @property
    def phrase(self) -> str:
        return " ".join(self.words)

    def __bool__(self) -> bool:
        return bool(self.words or self.code)


def parse(text: str | None) -> Query:
    """Whatever was typed, made safe: folded, only letters and digits kept as words (so quotes, *,
    NEAR, AND … are plain words or nothing), bounded in length and in words."""
    text = " ".join((text or "").split())[:MAX_QUERY_CHARS]
    match = _CODE.match(text)
    if match:
        return Query(text=text, words=(), code=match.group(1))
    words = tuple(_WORD.findall(fold(text)))[:MAX_WORDS]
    return Query(text=text, words=words, code="")


def search(queryset: QuerySet, query: Query, *, any_word: bool = False) -> QuerySet:
    """The procedures of `queryset` that match, best first (the queryset keeps its filters and can
    be counted and sliced). `any_word` asks for any of the words instead of all of them."""
    if query.code:
        if connection.vendor == "sqlite":
            # codes are ASCII and SQLite compares them byte by byte: a range the code index answers
            # ("1.013401", "1.013401.000.00.00.H56", "1.013401 H56"), where LIKE would read every row
            by_code = Q(code__gte=query.code, code__lt=query.code + "/")
        else:
            by_code = Q(code__startswith=query.code)
        return queryset.filter(by_code).order_by("sort_key", "pk")
    if not query.words:
        return queryset.order_by("sort_key", "pk")
    vendor = connection.vendor
    if vendor == "sqlite":
        return _search_sqlite(queryset, query, any_word)
    if vendor == "postgresql":
        return _search_postgresql(queryset, query, any_word)
    return _search_like(queryset, query, any_word)


def search_with_fallback(queryset: QuerySet, query: Query) -> tuple[QuerySet, bool]:
    """All the words; when no procedure holds them all, any of them (second value True)."""
    found = search(queryset, query)
    if len(query.words) > 1 and not found.exists():
        return search(queryset, query, any_word=True), True
    return found, False


def _phrase_first(table: str = "procedures_procedure") -> str:
    # 0 when the folded name holds the typed words side by side, else 1
    return f"CASE WHEN instr({table}.search_name, %s) > 0 THEN 0 ELSE 1 END"


def _search_sqlite(queryset, query, any_word):
    terms = [f'"{w}"' for w in query.words]
    terms[-1] += "*"
    match = (" OR " if any_word else " ").join(terms)
    return queryset.extra(
        tables=[FTS_TABLE],
        where=[f"{FTS_TABLE}.rowid = procedures_procedure.id", f"{FTS_TABLE} MATCH %s"],
        params=[match],
        select={"phrase_rank": _phrase_first(), "text_rank": f"bm25({FTS_TABLE}, {NAME_WEIGHT}, 1.0)"},
        select_params=[query.phrase],
        order_by=["phrase_rank", "text_rank", "sort_key", "id"],
    )


def _search_postgresql(queryset, query, any_word):
    terms = list(query.words)
    terms[-1] += ":*"
    tsquery = (" | " if any_word else " & ").join(terms)
    return queryset.extra(
        where=["procedures_procedure.search_vector @@ to_tsquery('simple', %s)"],
        params=[tsquery],
        select={"phrase_rank": "CASE WHEN strpos(procedures_procedure.search_name, %s) > 0 THEN 0 ELSE 1 END",
                "text_rank": "ts_rank(procedures_procedure.search_vector, to_tsquery('simple', %s))"},
        select_params=[query.phrase, tsquery],
        order_by=["phrase_rank", "-text_rank", "sort_key", "id"],
    )


def _search_like(queryset, query, any_word):
    condition = Q()
    for word in query.words:
        condition = (condition | Q(search_text__contains=word)) if any_word else (condition & Q(search_text__contains=word))
    return queryset.filter(condition).extra(
        select={"phrase_rank": "CASE WHEN procedures_procedure.search_name LIKE %s THEN 0 ELSE 1 END"},
        select_params=[f"%{query.phrase}%"],
        order_by=["phrase_rank", "sort_key", "id"],
    )
