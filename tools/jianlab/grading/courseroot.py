"""An nbgrader course root driven through nbgrader's Python API (no shell scripts).

The course-wide config lives in the repo's `grading/nbgrader_config.py`; every course root gets a
copy plus its own root, id and exchange, so `jupyter lab` started there sees the same settings
as our commands (nbgrader only works when Lab's root is the course root).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from nbgrader.api import Gradebook
from nbgrader.converters import GenerateAssignment
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from jianlab.labs.models import Student
from jianlab.labs.paths import grading_dir

CONFIG_NAME = "nbgrader_config.py"
LOG = logging.getLogger("jianlab.nbgrader")


def ensure_tools_on_path() -> None:
    """nbgrader shells out to `alembic` when it creates a gradebook; it sits beside our python."""
    bindir = str(Path(sys.executable).parent)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if bindir not in parts:
        os.environ["PATH"] = os.pathsep.join([bindir, *parts])


def config_text(root: Path, course_id: str) -> str:
    base = (grading_dir() / CONFIG_NAME).read_text(encoding="utf-8")
    footer = (
        "\n# —— 以下由 jianlab 为本课程生成 ——\n"
        f"c.CourseDirectory.root = {str(root.resolve())!r}\n"
        f"c.CourseDirectory.course_id = {course_id!r}\n"
        f"c.Exchange.root = {str((root / 'exchange').resolve())!r}\n"
        "c.Exchange.path_includes_course = True\n"
    )
    return base + footer


def init_root(root: Path, course_id: str) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / CONFIG_NAME).write_text(config_text(root, course_id), encoding="utf-8")


def load_config(root: Path) -> Config:
    path = root / CONFIG_NAME
    if not path.is_file():
        raise FileNotFoundError(f"{path}: 不是 nbgrader 课程根目录（缺少 {CONFIG_NAME}）")
    return PyFileConfigLoader(CONFIG_NAME, path=str(root)).load_config()


def coursedir(config: Config, lab_id: str = "", student_id: str = "*") -> CourseDirectory:
    cd = CourseDirectory(config=config)
    cd.assignment_id = lab_id
    cd.student_id = student_id
    return cd


def db_url(root: Path) -> str:
    ensure_tools_on_path()
    return f"sqlite:///{(root / 'gradebook.db').resolve()}"


def generate_assignment(root: Path, lab_id: str, due: datetime | None = None) -> None:
    config = load_config(root)
    with Gradebook(db_url(root)) as gb:
        gb.update_or_create_assignment(lab_id, duedate=due)
    converter = GenerateAssignment(coursedir=coursedir(config, lab_id), config=config, log=LOG)
    converter.force = True
    converter.start()


def add_students(root: Path, roster: Iterable[Student]) -> None:
    with Gradebook(db_url(root)) as gb:
        for s in roster:
            gb.update_or_create_student(
                s.id, first_name=s.first_name, last_name=s.last_name, email=s.email
            )
