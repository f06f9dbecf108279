"""An nbgrader course root driven through nbgrader's Python API (no shell scripts).

The course-wide config lives in the repo's `grading/nbgrader_config.py`; every course root gets a
copy plus its own root, id and exchange, so `jupyter lab` started there sees the same settings
as our commands (nbgrader only works when Lab's root is the course root).

The exchange directory is created with the root: nbgrader's exchange (and so formgrader's
assignment page) requires it to exist already and only `release_assignment` would create it.
"""

from __future__ import annotations

import logging
import os
import stat
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
EXCHANGE_NAME = "exchange"
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
        f"c.Exchange.root = {str((root / EXCHANGE_NAME).resolve())!r}\n"
        "c.Exchange.path_includes_course = True\n"
        "# 学生取作业时同时取得本人的数据（见 jianlab.course.exchange）\n"
        'c.ExchangeFactory.fetch_assignment = "jianlab.course.exchange.PersonalFetchAssignment"\n'
    )
    return base + footer


def exchange_mode(groupshared: bool) -> int:
    """The mode nbgrader's release step insists on (it rewrites any other, with a warning):
    every student account writes its submission there. The sticky bit, which nbgrader does not
    compare, keeps one account from deleting or renaming what another put there."""
    mode = stat.S_IRWXU | stat.S_IRWXG | stat.S_IRWXO | stat.S_ISVTX
    return mode | stat.S_ISGID if groupshared else mode


def init_exchange(root: Path, groupshared: bool = False) -> Path:
    exchange = root / EXCHANGE_NAME
    exchange.mkdir(exist_ok=True)
    exchange.chmod(exchange_mode(groupshared))  # mkdir's mode is cut by the umask
    return exchange


def init_root(root: Path, course_id: str) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / CONFIG_NAME).write_text(config_text(root, course_id), encoding="utf-8")
    init_exchange(root, bool(load_config(root).CourseDirectory.get("groupshared", False)))


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
