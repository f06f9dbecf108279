"""The HTML exporter of feedback pages, configured under its own name.

The course config once set `HTMLExporter.template_name = "feedback_zh"` for every HTML export.
The formgrader draws its manual-grading page with a plain `HTMLExporter` built from the same
config, so that setting replaced formgrader's own `formgrade` template and the page an
instructor opens to grade an essay failed (TemplateNotFound: bootstrap.min.css, found by the
browser test of the whole course cycle). Feedback now runs through this subclass
(`GenerateFeedback.exporter_class`), and the Chinese template is set on
`FeedbackHTMLExporter` only: traitlets lets a subclass's section override its parent's, and
formgrader's exporter never sees it.
"""

from __future__ import annotations

from nbconvert.exporters import HTMLExporter


class FeedbackHTMLExporter(HTMLExporter):
    """nbgrader's feedback export; only its config section differs from HTMLExporter."""
