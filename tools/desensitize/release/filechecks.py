"""The release checks on the written tables, out of core (docs/desensitize.md, 全国规模的发布).

Why DuckDB: "原值不出现" looks for every original identifier of the dataset (a national year has
about 10^8) in every text cell of every released table (about 10^9). In Arrow, each
``is_in`` call would hash the whole value set again; DuckDB hashes it once per query, reads the
Parquet files a row group at a time and spills to disk when its memory limit is reached. The
surrogate digests (``surrogates.sha256``) are computed and sorted there too, instead of as 10^8
Python strings.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from desensitize.operators.base import OperatorContext
from desensitize.release.checks import CheckInputs, _processed
from desensitize.release.record import Release
from desensitize.tables.columns import FREE_TEXT

MEMORY_LIMIT = "3GB"  # DuckDB's share; it spills to the release's work folder beyond it


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def connect(work: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute(f"SET temp_directory = {_literal(work / 'duckdb')}")
    con.execute("SET preserve_insertion_order = false")
    return con


class FileCells:
    """The released tables as Parquet files (``checks.TableCells``)."""

    def __init__(self, files: dict[str, Path], work: Path, identifiers: list[pa.Array]) -> None:
        self.files = files
        self.work = work
        self.identifiers = identifiers

    def _text_columns(self) -> list[tuple[str, str]]:
        """(table, column) of every text column, in table and column order."""
        out = []
        for table, path in self.files.items():
            for f in pq.read_schema(path):
                if pa.types.is_string(f.type) or pa.types.is_large_string(f.type):
                    out.append((table, f.name))
        return out

    def free_text(self, release: Release) -> Iterator[tuple[str, str, pa.ChunkedArray]]:
        for table, col in self._text_columns():
            plan = {p.column: p for p in release.tables[table]}.get(col)
            if plan is not None and plan.entity == FREE_TEXT:
                yield table, col, pq.read_table(self.files[table], columns=[col]).column(0)

    def _cells_sql(self, release: Release | None) -> str:
        parts = [
            f"SELECT {k} AS k, {_quote(col)}::VARCHAR AS v, "
            f"{str(release is not None and _processed(release, table, col)).lower()} AS p "
            f"FROM read_parquet({_literal(self.files[table])})"
            for k, (table, col) in enumerate(self._text_columns())
        ]
        return " UNION ALL ".join(parts)

    def leaks(self, release: Release, inputs: CheckInputs) -> list[str]:
        """Identifiers in any text cell, names in processed cells: one hash join of every cell
        against the distinct originals."""
        columns = self._text_columns()
        names = pa.array(sorted(inputs.originals["PERSON"]), type=pa.string())
        ids = [a.cast(pa.string()) for a in self.identifiers if len(a)]
        if not columns or (not ids and not len(names)):
            return []
        con = connect(self.work)
        con.register("ids_in", pa.table({"v": pa.chunked_array(ids, type=pa.string())}))
        con.register("names_in", pa.table({"v": names}))
        con.execute(
            "CREATE TEMP TABLE orig AS SELECT v, bool_or(is_id) AS is_id FROM ("
            "SELECT v, true AS is_id FROM ids_in UNION ALL SELECT v, false FROM names_in"
            ") GROUP BY v"
        )
        con.unregister("ids_in")
        con.unregister("names_in")
        rows = con.execute(
            f"SELECT c.k, count(*) FROM ({self._cells_sql(release)}) c "
            "JOIN orig o ON c.v = o.v WHERE o.is_id OR c.p GROUP BY c.k"
        ).fetchall()
        con.close()
        found = dict(rows)
        return [f"{t}.{c}（{found[k]} 处）" for k, (t, c) in enumerate(columns) if found.get(k)]

    def key_hits(self, secret: str) -> list[str]:
        columns = self._text_columns()
        if not columns:
            return []
        con = connect(self.work)
        rows = con.execute(
            f"SELECT k FROM ({self._cells_sql(None)}) c GROUP BY k HAVING bool_or(contains(v, $1))",
            [secret],
        ).fetchall()
        con.close()
        hit = {k for (k,) in rows}
        return [f"{t}.{c}" for k, (t, c) in enumerate(columns) if k in hit]

    def frame(self, table: str, columns: list[str]) -> pd.DataFrame | None:
        path = self.files.get(table)
        if path is None:
            return None
        schema = pq.read_schema(path)
        if not set(columns) <= set(schema.names):  # ``measure`` names the columns there are
            return schema.empty_table().to_pandas()
        return pq.read_table(path, columns=columns).to_pandas()


def produced_arrays(ctx: OperatorContext) -> list[pa.Array]:
    """Every pseudonym this run issued, as Arrow arrays (``OperatorContext.produced`` as a
    Python set would hold 10^8 strings for a national release)."""
    out = []
    for book in ctx.books.values():
        if book.small:
            out.append(pa.array(list(book.small.values()), type=pa.string()))
        out.extend(v.cast(pa.string()) for v in book.values)
    return out


def write_surrogate_hashes(path: Path, produced: list[pa.Array], work: Path) -> int:
    """``surrogates.sha256``: the sorted SHA-256 hex digests of the distinct surrogates, one per
    line (as ``report.write_reports`` writes them); returns how many."""
    arrays = [a for a in produced if len(a)]
    if not arrays:
        path.write_text("", encoding="ascii")
        return 0
    con = connect(work)
    con.register("produced", pa.table({"v": pa.chunked_array(arrays, type=pa.string())}))
    con.execute(
        "CREATE TEMP TABLE h AS SELECT sha256(v) AS h FROM "
        "(SELECT DISTINCT v FROM produced WHERE v IS NOT NULL)"
    )
    con.unregister("produced")
    n = con.execute("SELECT count(*) FROM h").fetchone()
    con.execute(
        f"COPY (SELECT h FROM h ORDER BY h) TO {_literal(path)} "
        "(FORMAT csv, HEADER false, QUOTE '', ESCAPE '')"
    )
    con.close()
    return int(n[0]) if n else 0
