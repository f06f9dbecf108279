"""Headless Chromium for the browser tests: Debian's binary, CJK glyphs, Lab helpers.

Shared by `tests/jianlab/test_browser.py` (one JupyterLab) and
`tests/jianlab/test_browser_cycle.py` (a whole course through JupyterHub).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from jianlab.labs.paths import repo_root
from jianlab.plotting import mplfonts_font_path

ARTIFACTS = repo_root() / "build" / "test-artifacts" / "browser"
# Flags measured to work here (headless Debian Chromium, run as root in a container); without the
# background-networking ones Chromium keeps dialling Google hosts the sandbox refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Test-only user settings: every cell of a windowed notebook must be in the DOM, or a scan of the
# page would miss cells; the news prompt (a request to jupyter.org) would cover the screenshots.
USER_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": '{"windowingMode": "none"}',
    "@jupyterlab/apputils-extension/notification": '{"fetchNews": "false"}',
}
# The machine has no CJK system font, so Chromium would draw the Chinese UI as empty boxes. The
# `mplfonts` wheel (already used for plots) ships Noto Sans CJK SC; only Chromium is pointed at it.
FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""
STDERR_MIME = "application/vnd.jupyter.stderr"
RUN_ALL_S = 120
# An empty code cell is never executed (its prompt stays blank), so only cells with code count.
RUN_ALL_JS = """(stderrMime) => {
            const prompts = [...document.querySelectorAll('.jp-CodeCell')]
                .filter(c => (c.querySelector('.cm-content')?.textContent ?? '').trim() !== '')
                .map(c => c.querySelector('.jp-InputPrompt'));
            const queued = prompts.some(p => p.textContent.includes('*'));
            const ran = p => /\\[\\d+\\]/.test(p.textContent);
            const allRan = prompts.length > 0 && prompts.every(ran);
            const failed = [...document.querySelectorAll(
                `.jp-OutputArea-output[data-mime-type="${stderrMime}"]`)]
                .some(o => o.textContent.includes('Traceback'));
            const idle = document.querySelector(
                '.jp-Notebook-ExecutionIndicator[data-status="idle"]');
            return idle !== null && !queued && (allRan || failed);
        }"""


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    message = "找不到 Chromium（/usr/bin/chromium）；请先运行 apt-get install -y chromium"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI 中浏览器测试不能跳过：{message}")
    pytest.skip(message)


def write_user_settings(settings_dir: Path) -> None:
    for name, text in USER_SETTINGS.items():
        path = settings_dir / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def cjk_fontconfig(state: Path) -> Path:
    font = mplfonts_font_path()
    assert font is not None, "找不到 mplfonts 自带的 Noto Sans CJK 字体（mplfonts 是项目依赖）"
    fonts = state / "fonts"
    fonts.mkdir(parents=True, exist_ok=True)
    (fonts / font.name).unlink(missing_ok=True)
    (fonts / font.name).symlink_to(font)
    conf = state / "fonts.conf"
    conf.write_text(FONTCONFIG.format(fonts=fonts, cache=state / "fontcache"), encoding="utf-8")
    return conf


@contextmanager
def launched(state: Path) -> Iterator[Browser]:
    """Headless Chromium that draws Chinese; `state` holds its font config."""
    print(f"\n浏览器测试截图目录：{ARTIFACTS}")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    env: dict[str, str | float | bool] = dict(os.environ)
    env["FONTCONFIG_FILE"] = str(cjk_fontconfig(state))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium(), headless=True, args=CHROMIUM_ARGS, env=env
        )
        try:
            yield browser
        finally:
            browser.close()


def click_menu(page: Page, menu: str, item: str) -> None:
    page.locator(".lm-MenuBar-item", has_text=re.compile(rf"^{re.escape(menu)}")).click()
    page.locator(".lm-Menu-item:visible", has_text=item).first.click()


def wait_run_all_done(page: Page, shot: str = "failure-run-all.png") -> None:
    """Done = kernel idle, nothing queued, and either every code cell ran or one raised.

    Run All stops at the first error, so "every cell has a number" alone would hang on a
    failing notebook instead of reporting it.
    """
    try:
        page.wait_for_function(RUN_ALL_JS, arg=STDERR_MIME, timeout=RUN_ALL_S * 1000, polling=500)
    except PlaywrightTimeoutError:
        page.screenshot(path=ARTIFACTS / shot)
        prompts = page.locator(".jp-CodeCell .jp-InputPrompt").all_inner_texts()
        status = page.locator(".jp-Notebook-ExecutionIndicator").get_attribute("data-status")
        pytest.fail(f"运行全部单元格在 {RUN_ALL_S} 秒内没有结束：内核 {status}，提示符 {prompts}")


def failures(page: Page) -> list[str]:
    """Tracebacks and error outputs, as the text a student would see."""
    texts = page.locator(f'.jp-OutputArea-output[data-mime-type="{STDERR_MIME}"]').all_inner_texts()
    return [t for t in texts if re.search(r"Traceback|Error\b|Exception\b", t)]
