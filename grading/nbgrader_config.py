"""课程统一的 nbgrader 配置（jianlab course build 会把它复制到每个课程根目录）。

Why each setting exists (measured in ../../shared/reference/grading.md):
- Chinese stubs: students read Chinese; `validate` still flags an unanswered cell.
- IgnorePattern: any stderr output in a test cell zeroes it, so a statsmodels/pandas warning
  raised inside a test would cost every student the points.
- CapOutputSize: LimitOutput counts lines only; a single 50 MB line would survive.
- SafeExecute: a kernel killed by a student (os._exit, memory limit) fails only the cells it
  broke instead of the whole submission.
- Feedback: ClearHiddenTests removes hidden test source; ScrubHiddenTracebacks removes the
  traceback lines and expected values that a failing hidden test would still show.
"""

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearHiddenTests,
    GetGrades,
    IgnorePattern,
    LimitOutput,
    SaveAutoGrades,
)

from jianlab.grading.execute import SafeExecute
from jianlab.grading.preprocessors import CapOutputSize, ScrubHiddenTracebacks

c = get_config()  # type: ignore[name-defined]  # noqa: F821

c.ClearSolutions.code_stub = {"python": "# 请在此处编写代码\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "请在此处作答"

c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"Warning"

c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True
c.Execute.startup_timeout = 120
c.LimitOutput.max_lines = 200


c.Autograde.autograde_preprocessors = [
    SafeExecute,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    CapOutputSize,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]
c.GenerateFeedback.preprocessors = [
    GetGrades,
    ScrubHiddenTracebacks,
    ClearHiddenTests,
    CSSHTMLHeaderPreprocessor,
]

c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "_truth"]
