"""Which files hold each table of a dataset folder, in whichever layout and format it was written.

The datapackage lists every part file of a hive-partitioned table and the codebook says where each
table lives; both must describe the folder as it is, not as the codebook imagines it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

FORMATS = ("parquet", "csv", "xlsx")


@dataclass(frozen=True)
class TableFiles:
    name: str
    format: str
    paths: list[str]  # relative to the dataset folder, POSIX separators
    hive: bool

    def num_rows(self, directory: Path) -> int | None:
        """Rows from Parquet footers or by counting CSV lines; None for XLSX (costly to open)."""
        if self.format == "parquet":
            return sum(pq.ParquetFile(directory / p).metadata.num_rows for p in self.paths)
        if self.format == "csv":
            with (directory / self.paths[0]).open("rb") as fh:
                return sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 20), b"")) - 1
        return None


def table_files(directory: Path, name: str) -> TableFiles | None:
    folder = directory / name
    if folder.is_dir():
        parts = sorted(
            p.relative_to(directory).as_posix()
            for p in folder.rglob("*.parquet")
            if not any(s.startswith(".") for s in p.relative_to(folder).parts)
        )
        return TableFiles(name, "parquet", parts, hive=True) if parts else None
    for fmt in FORMATS:
        if (directory / f"{name}.{fmt}").is_file():
            return TableFiles(name, fmt, [f"{name}.{fmt}"], hive=False)
    return None


def present_tables(directory: Path, names: list[str]) -> dict[str, TableFiles]:
    """The tables among ``names`` that exist in ``directory``, in the order given."""
    found = {name: table_files(directory, name) for name in names}
    return {name: files for name, files in found.items() if files is not None}
