"""Feedback pages and simulated submissions: no config noise, images with alt text, no markers."""

from __future__ import annotations

import logging
import re
import warnings
from pathlib import Path

import nbformat
import pytest
from nbconvert.exporters import HTMLExporter
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from nbgrader.converters import GenerateFeedback
from nbgrader.coursedir import CourseDirectory
from nbgrader.server_extensions.formgrader import handlers as formgrade_templates
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from jianlab.course.build import BuildOptions, build_course
from jianlab.course.simulate import submit
from jianlab.grading.alttext import DescribeImages
from jianlab.grading.autograde import AutogradeOptions, autograde_lab
from jianlab.grading.courseroot import CONFIG_NAME
from jianlab.grading.feedback import generate_feedback
from jianlab.grading.status import SubmissionStatus
from jianlab.labs.leaks import MARKERS
from jianlab.labs.models import CourseSpec
from jianlab.labs.paths import grading_dir

LAB = "lab00-fixture"
LABS_ROOT = Path(__file__).parent / "fixtures" / "labs"
MODES = {"s01": "complete", "s02": "partial", "s03": "blank"}
PLOT_TITLE = "审查逮捕决定的构成"
PLOT = (
    "\nimport matplotlib.pyplot as plt\n"
    "from jianlab.plotting import setup_cjk\n\n"
    "setup_cjk()\n"
    "fig, ax = plt.subplots(figsize=(3, 2))\n"
    'ax.bar(["批准逮捕", "不批准逮捕"], [approved, rejected])\n'
    f'ax.set_title("{PLOT_TITLE}")\n'
    'ax.set_ylabel("人数")\n'
    "plt.show()\n"
)
PNG = "iVBORw0KGgo="


def _feedback_preprocessors() -> list[type]:
    config = PyFileConfigLoader(CONFIG_NAME, path=str(grading_dir())).load_config()
    return list(config.GenerateFeedback.preprocessors)


@pytest.mark.parametrize("cls", _feedback_preprocessors(), ids=lambda c: c.__name__)
def test_feedback_preprocessors_take_the_html_exporter_config(
    cls: type, caplog: pytest.LogCaptureFixture
) -> None:
    """HTMLExporter configures NbConvertBase.display_data_priority for every preprocessor; one
    that does not declare it as config logs "Config option ... not recognized" on each run."""
    exporter = HTMLExporter(config=Config())
    with caplog.at_level(logging.WARNING), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exporter.register_preprocessor(cls, enabled=True)
    assert isinstance(exporter._preprocessors[-1], cls)
    noise = [r.getMessage() for r in caplog.records] + [str(w.message) for w in caught]
    assert not [m for m in noise if "not recognized" in m], noise
    instance = exporter._preprocessors[-1]
    expected = exporter.config.NbConvertBase.display_data_priority
    assert instance.display_data_priority == expected


def _image(mime: str = "image/png", alt: str | None = None) -> NotebookNode:
    metadata = {mime: {"alt": alt}} if alt is not None else {}
    return new_output("display_data", data={mime: PNG, "text/plain": "<Figure>"}, metadata=metadata)


def _alts(cell: NotebookNode) -> list[str | None]:
    found: list[str | None] = []
    for out in cell.outputs:
        for mime in ("image/png", "image/jpeg"):
            if mime in out.get("data", {}):
                found.append(out.get("metadata", {}).get(mime, {}).get("alt"))
    return found


HEADING = "## 第 4 题（自动评分，5 分）：漏斗图"


@pytest.mark.parametrize(
    ("source", "outputs", "cell_alt", "expected"),
    [
        (
            'ax.set_title("2022年不捕率漏斗图")\nax.set_xlabel("审查人数")\nax.set_ylabel("不捕率")',
            [_image()],
            None,
            ["图：2022年不捕率漏斗图（横轴：审查人数；纵轴：不捕率）"],
        ),
        ('plt.title(label="各年不诉率")', [_image("image/jpeg")], None, ["图：各年不诉率"]),
        (
            'axes[0].set_title("不捕率")\naxes[1].set_title("不诉率")',
            [_image()],
            None,
            ["图：不捕率；不诉率"],
        ),
        (
            'fig.suptitle("甲")\nshow()\nfig2.suptitle(t="乙")',
            [_image(), _image()],
            None,
            ["图：甲", "图：乙"],
        ),
        (
            'ax.set_title("甲")',
            [_image(), _image()],
            None,
            [
                "图：甲（第 4 题（自动评分，5 分）：漏斗图的输出图 1/2）",
                "图：甲（第 4 题（自动评分，5 分）：漏斗图的输出图 2/2）",
            ],
        ),
        (
            "ax.set_title(title_var)\nax.plot(x)",
            [_image()],
            None,
            ["图：第 4 题（自动评分，5 分）：漏斗图的输出图"],
        ),
        (
            'ax.set_title("未闭合',
            [_image()],
            None,
            ["图：第 4 题（自动评分，5 分）：漏斗图的输出图"],
        ),
        (
            "%matplotlib inline\nplot()",
            [_image()],
            None,
            ["图：第 4 题（自动评分，5 分）：漏斗图的输出图"],
        ),
        (
            'ax.set_title("公开")\n### BEGIN HIDDEN TESTS\n'
            'ax.set_title("隐藏")\n### END HIDDEN TESTS',
            [_image()],
            None,
            ["图：公开"],
        ),
        ('ax.set_title("新标题")', [_image(alt="作者写的说明")], None, ["作者写的说明"]),
        ('ax.set_title("新标题")', [_image()], "单元格说明", [None]),
        ("print(1)", [new_output("stream", name="stdout", text="1\n")], None, []),
    ],
)
def test_describe_images(
    source: str, outputs: list[NotebookNode], cell_alt: str | None, expected: list[str | None]
) -> None:
    cell = new_code_cell(source)
    cell.outputs = outputs
    if cell_alt is not None:
        cell.metadata["alt"] = cell_alt
    nb = new_notebook(cells=[new_markdown_cell(f"{HEADING}\n\n说明文字"), cell])
    nb, _ = DescribeImages().preprocess(nb, {})
    assert _alts(nb.cells[1]) == expected


def test_describe_images_without_heading_names_the_cell() -> None:
    cell = new_code_cell("plot()")
    cell.outputs = [_image()]
    nb = new_notebook(cells=[new_markdown_cell("没有标题的说明"), new_code_cell("x = 1"), cell])
    nb, _ = DescribeImages().preprocess(nb, {})
    assert _alts(nb.cells[2]) == ["图：第 3 个单元格的输出图"]


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, SubmissionStatus]]:
    spec = CourseSpec.model_validate(
        {
            "id": "jl-feedback",
            "title": "反馈测试课程",
            "term": "2026 秋",
            "labs": [{"id": LAB, "due": "2026-12-01T23:59:00+08:00", "weight": 1}],
            "roster": [{"id": s, "last_name": "测", "first_name": s} for s in MODES],
        }
    )
    out = tmp_path_factory.mktemp("feedback") / "course"
    root = build_course(spec, out, BuildOptions(labs_root=LABS_ROOT, workers=1))
    for student, mode in MODES.items():
        submit(root, LAB, student, mode)
    path = root / "submitted" / "s01" / LAB / f"{LAB}.ipynb"
    nb = nbformat.read(path, as_version=4)
    answer = next(
        c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "q1_answer"
    )
    answer.source += PLOT
    nbformat.write(nb, path)
    statuses = autograde_lab(root, LAB, AutogradeOptions(workers=2))
    return root, {s.student: s for s in statuses}


def test_simulated_submissions_look_like_students_work(
    graded: tuple[Path, dict[str, SubmissionStatus]],
) -> None:
    root, statuses = graded
    notebooks = sorted((root / "submitted").glob(f"*/{LAB}/*.ipynb"))
    assert len(notebooks) == len(MODES)
    for path in notebooks:
        text = path.read_text(encoding="utf-8")
        assert not [m for m in MARKERS if m in text], path
    essay = next(
        c
        for c in nbformat.read(notebooks[0], as_version=4).cells
        if c.metadata.get("nbgrader", {}).get("grade_id") == "q3_essay"
    )
    assert essay.source.startswith("官方口径按审查逮捕的两种实体决定计人数")
    scores = {s: sum(st.scores.values()) for s, st in statuses.items()}
    assert scores == {"s01": 5, "s02": 4, "s03": 0}, statuses


def test_feedback_is_quiet_and_images_have_alt_text(
    graded: tuple[Path, dict[str, SubmissionStatus]], caplog: pytest.LogCaptureFixture
) -> None:
    root, _ = graded
    with caplog.at_level(logging.WARNING), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pages, problems = generate_feedback(root, LAB)
    assert not problems and len(pages) == len(MODES)
    noise = [r.getMessage() for r in caplog.records] + [str(w.message) for w in caught]
    assert not [m for m in noise if "not recognized" in m or "Alternative text" in m], noise
    page = (root / "feedback" / "s01" / LAB / f"{LAB}.html").read_text(encoding="utf-8")
    images = re.findall(r"<img\b[^>]*>", page)
    assert images and all(" alt=" in img for img in images), images
    assert f'alt="图：{PLOT_TITLE}（纵轴：人数）"' in page
    assert "[1]:" in page and "In&nbsp;[" not in page and "Out[" not in page  # prompts as in Lab
    autograded = (root / "autograded" / "s01" / LAB / f"{LAB}.ipynb").read_text(encoding="utf-8")
    assert f"图：{PLOT_TITLE}" in autograded


def test_feedback_template_leaves_formgraders_own() -> None:
    """formgrader renders its grading page with a plain HTMLExporter from the course config
    loaded over its own settings; the Chinese feedback template must reach feedback only."""
    course = PyFileConfigLoader(CONFIG_NAME, path=str(grading_dir())).load_config()
    formgrader = Config()  # what nbgrader's FormgradeExtension.build_extra_config sets
    formgrader.HTMLExporter.template_name = "formgrade"
    formgrader.HTMLExporter.extra_template_basedirs = [formgrade_templates.template_path]
    formgrader.merge(course)
    page = HTMLExporter(config=formgrader)
    assert Path(page.template.filename).parent.name == "formgrade"
    converter = GenerateFeedback(coursedir=CourseDirectory(config=course), config=course)
    feedback = converter.exporter_class(parent=converter, config=converter.config)
    assert Path(feedback.template.filename).parent.name == "feedback_zh"
