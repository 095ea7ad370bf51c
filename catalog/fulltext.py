"""Full-text search over each source's latest text: SQLite FTS5, or a Postgres tsvector.

The `texts` table (`DDL`, run by `create` for a new catalog; migration 0001 made it in older
ones) holds one row per source, replaced whenever the source gets a newer version. A query is
a list of words, all of which must match (stemmed: FTS5's porter tokenizer, Postgres's
english configuration); quotes and operators in the user's text are taken literally, never
as query syntax.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, text

SNIPPET_WORDS = 16
_WORD = re.compile(r"\w+", re.UNICODE)

# Outside the SQLAlchemy metadata, since neither form is a plain table. Migration 0001 keeps
# its own copy: a migration is history and must not change when this does.
DDL = {
    "postgresql": (
        "CREATE TABLE texts (source_id integer PRIMARY KEY REFERENCES sources(id) "
        "ON DELETE CASCADE, title text, body text NOT NULL, tsv tsvector GENERATED ALWAYS "
        "AS (to_tsvector('english', coalesce(title, '') || ' ' || body)) STORED)",
        "CREATE INDEX ix_texts_tsv ON texts USING gin (tsv)",
    ),
    "sqlite": ("CREATE VIRTUAL TABLE texts USING fts5(title, body, tokenize='porter unicode61')",),
}


def create(conn: Connection) -> None:
    """Create the `texts` table (after the `sources` table it refers to)."""
    for statement in DDL[conn.dialect.name]:
        conn.execute(text(statement))


def set_text(conn: Connection, source_id: int, title: str | None, body: str) -> None:
    """Make `body` (with `title`) the searchable text of the source."""
    params = {"id": source_id, "title": title or "", "body": body}
    if conn.dialect.name == "postgresql":
        conn.execute(
            text(
                "INSERT INTO texts (source_id, title, body) VALUES (:id, :title, :body) "
                "ON CONFLICT (source_id) DO UPDATE SET title = :title, body = :body"
            ),
            params,
        )
        return
    conn.execute(text("DELETE FROM texts WHERE rowid = :id"), params)
    conn.execute(text("INSERT INTO texts (rowid, title, body) VALUES (:id, :title, :body)"), params)


def clear(conn: Connection) -> None:
    conn.execute(text("DELETE FROM texts"))


def search(conn: Connection, query: str, limit: int) -> list[tuple[int, str]]:
    """(source id, snippet) of the sources whose text matches every word of `query`, best
    first; the matched words are marked with [ ] in the snippet."""
    words = _WORD.findall(query)
    if not words:
        return []
    if conn.dialect.name == "postgresql":
        rows = conn.execute(
            text(
                "SELECT source_id, ts_headline('english', body, q, :opts) FROM texts, "
                "plainto_tsquery('english', :q) AS q WHERE tsv @@ q "
                "ORDER BY ts_rank(tsv, q) DESC, source_id LIMIT :limit"
            ),
            {
                "q": " ".join(words),
                "limit": limit,
                "opts": f"StartSel=[, StopSel=], MaxWords={SNIPPET_WORDS}, MinWords=5",
            },
        )
    else:
        match = " ".join('"' + w.replace('"', '""') + '"' for w in words)
        rows = conn.execute(
            text(
                "SELECT rowid, snippet(texts, 1, '[', ']', '…', :n) FROM texts "
                "WHERE texts MATCH :q ORDER BY rank, rowid LIMIT :limit"
            ),
            {"q": match, "limit": limit, "n": SNIPPET_WORDS},
        )
    return [(int(r[0]), str(r[1])) for r in rows]


def rows(conn: Connection) -> list[tuple[int, str | None, str]]:
    """(source id, title, body) of every indexed text."""
    column = "source_id" if conn.dialect.name == "postgresql" else "rowid"
    return [
        (int(r[0]), r[1], r[2])
        for r in conn.execute(text(f"SELECT {column}, title, body FROM texts"))
    ]
