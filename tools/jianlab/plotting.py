"""让 matplotlib 画中文：notebook 里 `from jianlab.plotting import setup_cjk` 后调用 `setup_cjk()`。

The font set-up itself lives in the leaf package ``cjkplot`` (the generator's report uses it too);
this module is the name students and labs import."""

from cjkplot import CJKFontError, mplfonts_font_path, setup_cjk

__all__ = ["CJKFontError", "mplfonts_font_path", "setup_cjk"]
