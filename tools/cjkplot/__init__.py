"""cjkplot: matplotlib draws Chinese text. A leaf package (no project imports), so the generator's
report, the grading dashboard and notebooks share one font set-up; call `setup_cjk()` once.

The machine images have no CJK font, so default matplotlib prints "Glyph … missing" and draws
boxes. The `mplfonts` wheel already ships the OFL-licensed Noto Sans CJK SC; registering that file
in memory is enough (about 10 ms). We deliberately avoid `mplfonts init` (it copies ~107 MB of
fonts into site-packages) and SimHei (proprietary, must not be redistributed).
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

import matplotlib
from matplotlib import font_manager

MPLFONTS_FONT_FILE = "NotoSansCJKsc-Regular.otf"
SYSTEM_CJK_FAMILIES = ("Noto Sans CJK SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei")
# Noto CJK has Latin and digits, but keep matplotlib's bundled font as a fallback for rare symbols.
FALLBACK_FAMILY = "DejaVu Sans"


class CJKFontError(RuntimeError):
    """No usable CJK font: plots with Chinese text would show empty boxes."""


def mplfonts_font_path() -> Path | None:
    """Locate the font inside the installed `mplfonts` package without importing it.

    Importing `mplfonts` pulls in its CLI dependencies; we only need the file.
    """
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        path = Path(location) / "fonts" / MPLFONTS_FONT_FILE
        if path.is_file():
            return path
    return None


def _system_cjk_family() -> str | None:
    for family in SYSTEM_CJK_FAMILIES:
        try:
            font_manager.findfont(
                font_manager.FontProperties(family=family), fallback_to_default=False
            )
        except ValueError:
            continue
        return family
    return None


@functools.cache
def _register_cjk_font() -> str:
    """Register the font once per process: `addfont` appends a new entry on every call."""
    path = mplfonts_font_path()
    if path is not None:
        font_manager.fontManager.addfont(str(path))
        return font_manager.FontProperties(fname=path).get_name()
    family = _system_cjk_family()
    if family is not None:
        return family
    raise CJKFontError(
        "未找到可用的中文字体，图中的中文会显示为方框。"
        "请运行 make .venv 安装 mplfonts（自带 Noto Sans CJK SC），"
        "或安装系统字体：apt-get install fonts-noto-cjk（或 fonts-wqy-microhei）。"
    )


def setup_cjk() -> str:
    """Make matplotlib draw Chinese text and return the font family name in use.

    rcParams are set on every call (cheap) because notebooks often reset styles between cells;
    the font file itself is registered only once.
    """
    family = _register_cjk_font()
    matplotlib.rcParams["font.family"] = [family, FALLBACK_FAMILY]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return family
