"""setup_cjk：中文绘图无缺字警告、幂等、字体缺失时给出中文错误。"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from pathlib import Path

import matplotlib
import pytest
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

import cjkplot as plotting

TEXTS = [
    "认罪认罚与不起诉率",
    "不捕率（%），2018—2025 年：“审查逮捕”",
    "检察院 A 省 −3.5 ± 0.2",
]


@pytest.fixture(autouse=True)
def _isolated_rc() -> Iterator[None]:
    """setup_cjk changes global rcParams; give every test the defaults back."""
    with matplotlib.rc_context():
        yield


@pytest.fixture
def fresh_registration() -> Iterator[None]:
    plotting._register_cjk_font.cache_clear()
    yield
    plotting._register_cjk_font.cache_clear()


def _render(text: str) -> None:
    figure = Figure(figsize=(4, 3))
    FigureCanvasAgg(figure)
    axes = figure.subplots()
    axes.plot([-2, 3], [-1.5, 2.0])
    axes.set_title(text)
    axes.set_xlabel(text)
    figure.savefig(io.BytesIO(), format="png")


@pytest.mark.parametrize("text", TEXTS)
def test_chinese_renders_without_glyph_warning(text: str) -> None:
    family = plotting.setup_cjk()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _render(text)
    assert family == "Noto Sans CJK SC"
    assert matplotlib.rcParams["font.family"][0] == family
    assert matplotlib.rcParams["axes.unicode_minus"] is False


def test_without_setup_the_glyph_warning_appears() -> None:
    """The check above can fail: the default font really lacks these glyphs."""
    with (
        matplotlib.rc_context({"font.family": ["DejaVu Sans"]}),
        pytest.warns(UserWarning, match="missing from font"),
    ):
        _render(TEXTS[0])


def test_font_comes_from_mplfonts_not_simhei() -> None:
    path = plotting.mplfonts_font_path()
    assert path is not None
    assert path.name == "NotoSansCJKsc-Regular.otf"
    assert path.parent.parent.name == "mplfonts"


def test_idempotent_registers_font_once() -> None:
    path = plotting.mplfonts_font_path()

    def registered() -> int:
        return sum(Path(entry.fname) == path for entry in font_manager.fontManager.ttflist)

    first = plotting.setup_cjk()
    after_first = registered()
    matplotlib.rcParams["font.family"] = ["DejaVu Sans"]
    second = plotting.setup_cjk()
    assert first == second
    assert registered() == after_first >= 1
    assert matplotlib.rcParams["font.family"][0] == first


@pytest.mark.parametrize(
    ("system_families", "expected"),
    [
        (("No Such CJK Family", "DejaVu Sans"), "DejaVu Sans"),
        (("DejaVu Sans", "No Such CJK Family"), "DejaVu Sans"),
    ],
)
@pytest.mark.usefixtures("fresh_registration")
def test_falls_back_to_system_family_without_mplfonts(
    monkeypatch: pytest.MonkeyPatch, system_families: tuple[str, ...], expected: str
) -> None:
    monkeypatch.setattr(plotting, "mplfonts_font_path", lambda: None)
    monkeypatch.setattr(plotting, "SYSTEM_CJK_FAMILIES", system_families)
    assert plotting.setup_cjk() == expected


@pytest.mark.usefixtures("fresh_registration")
def test_no_cjk_font_raises_chinese_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plotting, "mplfonts_font_path", lambda: None)
    monkeypatch.setattr(plotting, "SYSTEM_CJK_FAMILIES", ("No Such CJK Family",))
    with pytest.raises(plotting.CJKFontError, match=r"未找到可用的中文字体.*mplfonts"):
        plotting.setup_cjk()
