"""课程统一的 nbgrader 配置（jianlab course build 会把它复制到每个课程根目录）。

Why each setting exists (the measurements behind them are summarised in docs/grading.md):
- Chinese stubs: students read Chinese; `validate` still flags an unanswered cell.
- IgnorePattern: any stderr output in a test cell zeroes it, so a statsmodels/pandas warning
  raised inside a test would cost every student the points.
- CapOutputSize: LimitOutput counts lines only; a single 50 MB line would survive.
- SafeExecute: a kernel killed by a student (os._exit, memory limit) fails only the cells it
  broke instead of the whole submission.
- PrepareTrustedRun / TrustedVerdicts: hidden tests never run in the student's kernel; the
  kernel exports each question's declared values as data and the hidden tests run over them in
  a fresh grader interpreter (docs/grading.md). TrustedVerdicts sits before SaveAutoGrades so
  nbgrader itself stores the trusted score.
- Feedback: ClearHiddenTests removes hidden test source; ScrubHiddenTracebacks removes the
  traceback lines and expected values that a failing hidden test would still show. Feedback
  runs nbgrader's ClearHiddenTests as FeedbackClearHiddenTests, which accepts the HTML
  exporter's display_data_priority setting (nbgrader's own class logs it as unrecognized).
- Chinese for students: `nbgrader validate` (command and Lab button) via validator_zh, and the
  feedback page from grading/templates/feedback_zh (a translated copy of nbgrader's template),
  set on FeedbackHTMLExporter only: on HTMLExporter it also replaced formgrader's own template
  and broke the manual-grading page.
- DescribeImages: plots get alt text (figure title, axis labels or the question heading), so
  the feedback and formgrader pages are accessible and nbconvert does not warn about images
  without alternative text.
"""

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    GetGrades,
    IgnorePattern,
    LimitOutput,
    SaveAutoGrades,
)

from jianlab.grading import validator_zh
from jianlab.grading.alttext import DescribeImages
from jianlab.grading.execute import SafeExecute
from jianlab.grading.feedback_exporter import FeedbackHTMLExporter
from jianlab.grading.preprocessors import (
    CapOutputSize,
    FeedbackClearHiddenTests,
    ScrubHiddenTracebacks,
)
from jianlab.grading.trusted import PrepareTrustedRun, TrustedVerdicts
from jianlab.labs.paths import grading_dir

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
    PrepareTrustedRun,
    SafeExecute,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    CapOutputSize,
    DescribeImages,
    TrustedVerdicts,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]
validator_zh.install(c)
c.GenerateFeedback.exporter_class = FeedbackHTMLExporter
c.FeedbackHTMLExporter.template_name = "feedback_zh"
c.FeedbackHTMLExporter.extra_template_basedirs = [str(grading_dir() / "templates")]

c.GenerateFeedback.preprocessors = [
    GetGrades,
    ScrubHiddenTracebacks,
    FeedbackClearHiddenTests,
    DescribeImages,
    CSSHTMLHeaderPreprocessor,
]

c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "_truth"]
