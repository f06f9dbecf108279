"""The values the rule engine checks (``legal``'s vocabulary) and the values the generator writes
(its codebook) are the same lists, so neither can drift from the other."""

from __future__ import annotations

import pytest

from legal import vocabulary
from synthgen.codebook.model import load_codebook

CASES = [
    (dataset, table, column)
    for dataset in ("criminal", "enforcement")
    for table, columns in vocabulary().columns.items()
    if table in load_codebook(dataset).tables
    for column in columns
]


@pytest.mark.parametrize(("dataset", "table", "column"), CASES)
def test_codebook_values_equal_legal_vocabulary(dataset: str, table: str, column: str) -> None:
    written = [str(v) for v in load_codebook(dataset).tables[table].columns[column].values]
    checked = vocabulary().columns[table][column]
    assert sorted(written) == sorted(checked)
    assert len(set(checked)) == len(checked)


def test_every_vocabulary_table_is_in_a_codebook() -> None:
    tables = {t for d in ("criminal", "enforcement") for t in load_codebook(d).tables}
    assert set(vocabulary().columns) <= tables
