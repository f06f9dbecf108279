"""Browser test: a built course in real JupyterLab, driven by Playwright in Debian's Chromium.

Why a browser: the server answering `/formgrader/api/...` proves nothing about what an
instructor sees (the server-side tests never click the UI). This test clicks through the Chinese
Lab UI like a user: it runs a student's completed lab top to bottom, checks that no cell failed
and the figures rendered, then opens formgrader from the Nbgrader menu and checks the lab and the
roster. Screenshots land in build/test-artifacts/browser/ for a human to look at.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, FrameLocator, Page, expect

from jianlab.course.build import BuildOptions, build_course
from jianlab.course.simulate import submit
from jianlab.labs.models import CourseSpec, load_course_spec
from jianlab.labs.paths import courses_dir, repo_root
from support.browser import (
    ARTIFACTS,
    STDERR_MIME,
    chromium,
    click_menu,
    failures,
    launched,
    wait_run_all_done,
    write_user_settings,
)

pytestmark = pytest.mark.browser

LAB_SETTINGS = repo_root() / "tools" / "jianlab" / "lab_settings"
STUDENT = "s01"
SERVER_START_S = 90


@dataclass(frozen=True)
class LabServer:
    base: str
    token: str
    root: Path
    spec: CourseSpec

    def url(self, path: str, reset: bool = False) -> str:
        """`reset` opens a fresh workspace, so tabs left by an earlier test are not restored."""
        return f"{self.base}/{path}?token={self.token}" + ("&reset" if reset else "")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_ready(proc: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"JupyterLab 启动失败（退出码 {proc.returncode}），日志：{log}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"JupyterLab 在 {SERVER_START_S} 秒内没有就绪，日志：{log}")


def _lab_command(root: Path, port: int, token: str, state: Path) -> list[str]:
    cmd = [
        str(Path(sys.executable).parent / "jupyter"),
        "lab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.app_settings_dir={LAB_SETTINGS}",
        f"--LabApp.user_settings_dir={state / 'user-settings'}",
        f"--LabApp.workspaces_dir={state / 'workspaces'}",
    ]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    return cmd


def _isolated_env(state: Path) -> dict[str, str]:
    """Keep the tester's own ~/.jupyter settings and kernels out of what the test sees."""
    env = dict(os.environ)
    for var, sub in (
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_DATA_DIR", "data"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("IPYTHONDIR", "ipython"),
    ):
        env[var] = str(state / sub)
    env.pop("JIANLAB_REFERENCE_DIR", None)
    return env


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    chromium()  # skip (or fail in CI) before spending time on the course build
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    work = tmp_path_factory.mktemp("browser")
    spec = load_course_spec(courses_dir() / "demo" / "course.yaml")
    root = build_course(spec, work / "course", BuildOptions(force=True))
    submit(root, spec.labs[0].id, STUDENT, "complete")
    state = work / "state"
    write_user_settings(state / "user-settings")
    port, token = _free_port(), os.urandom(16).hex()
    log = work / "jupyterlab.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            _lab_command(root, port, token, state),
            cwd=root,  # nbgrader reads nbgrader_config.py from the server's working directory
            env=_isolated_env(state),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(proc, f"{base}/api/status?token={token}", log)
        yield LabServer(base, token, root, spec)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.copy(log, ARTIFACTS / "jupyterlab.log")


@pytest.fixture(scope="module")
def browser(lab_server: LabServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    with launched(tmp_path_factory.mktemp("chromium")) as opened:
        yield opened


@pytest.fixture(scope="module")
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    opened = context.new_page()
    yield opened
    context.close()


def _wait_kernel_idle(server: LabServer, notebook: str) -> None:
    """The toolbar reads "idle" before the session is connected, and Run All clicked then
    silently runs nothing; the server's own session list is the reliable signal."""
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        with urllib.request.urlopen(server.url("api/sessions"), timeout=5) as resp:
            sessions = json.load(resp)
        if any(
            s["path"] == notebook and s["kernel"]["execution_state"] == "idle" for s in sessions
        ):
            return
        time.sleep(0.5)
    pytest.fail(f"{notebook} 的内核在 {SERVER_START_S} 秒内没有就绪")


def _open_and_run_all(page: Page, server: LabServer, notebook: str) -> float:
    page.goto(server.url(f"lab/tree/{notebook}", reset=True))
    expect(page.locator(".jp-NotebookPanel")).to_be_visible(timeout=60_000)
    _wait_kernel_idle(server, notebook)
    expect(page.locator(".jp-StatusBar-Widget", has_text="空闲").first).to_be_visible()
    started = time.monotonic()
    click_menu(page, "运行", "运行所有单元格")
    wait_run_all_done(page)
    return time.monotonic() - started


def test_run_lab_notebook_in_chinese_lab(lab_server: LabServer, page: Page) -> None:
    lab = lab_server.spec.labs[0].id
    elapsed = _open_and_run_all(page, lab_server, f"submitted/{STUDENT}/{lab}/{lab}.ipynb")
    print(f"\n在浏览器中运行全部单元格用时 {elapsed:.1f} 秒")
    menus = page.locator(".lm-MenuBar-item").all_inner_texts()
    assert any(m.startswith("文件") for m in menus), f"界面不是中文，菜单栏：{menus}"
    assert any(m.startswith("内核") for m in menus), f"界面不是中文，菜单栏：{menus}"

    code_cells = page.locator(".jp-CodeCell").count()
    assert code_cells >= 10, f"笔记本只渲染了 {code_cells} 个代码单元"
    errors = failures(page)
    assert not errors, "笔记本运行出错：\n" + "\n---\n".join(errors)
    assert page.locator(".jp-Cell.jp-mod-error, .jp-OutputArea-output.jp-mod-error").count() == 0
    images = page.locator(".jp-RenderedImage img")
    assert images.count() >= 1, "笔记本应当画出图形（漏斗图）"
    widths = images.evaluate_all("imgs => imgs.map(i => i.naturalWidth)")
    assert all(w > 100 for w in widths), f"有图形没有正常显示：宽度 {widths}"

    page.locator(".jp-Cell").first.scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "01-notebook-top.png")
    images.first.scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "02-notebook-figure.png")
    page.locator(".jp-CodeCell").last.scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "03-notebook-end.png")


def test_error_scan_catches_a_failing_notebook(lab_server: LabServer, page: Page) -> None:
    """The blank handout raises NotImplementedError in its first answer cell: the scan that
    passes the completed lab must report it, and Run All must stop there."""
    lab = lab_server.spec.labs[0].id
    _open_and_run_all(page, lab_server, f"handout/s03/{lab}/{lab}.ipynb")
    errors = failures(page)
    assert len(errors) == 1, errors
    assert "NotImplementedError" in errors[0]
    prompts = page.locator(".jp-CodeCell .jp-InputPrompt").all_inner_texts()
    assert any(re.search(r"\[\d+\]", p) for p in prompts)
    assert not all(re.search(r"\[\d+\]", p) for p in prompts), "出错后不应继续运行"
    page.locator(
        f'.jp-OutputArea-output[data-mime-type="{STDERR_MIME}"]'
    ).first.scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "04-blank-handout-error.png")


def _formgrader(page: Page) -> FrameLocator:
    frame = page.frame_locator("iframe[src*='formgrader']")
    expect(frame.locator("body")).to_be_visible(timeout=30_000)
    return frame


def test_formgrader_shows_lab_and_roster(lab_server: LabServer, page: Page) -> None:
    page.goto(lab_server.url("lab", reset=True))
    expect(page.locator(".lm-MenuBar-item", has_text="Nbgrader")).to_be_visible(timeout=60_000)
    click_menu(page, "Nbgrader", "Formgrader")
    frame = _formgrader(page)
    lab = lab_server.spec.labs[0].id
    expect(frame.get_by_text(lab).first).to_be_visible(timeout=30_000)
    page.screenshot(path=ARTIFACTS / "05-formgrader-labs.png")

    frame.get_by_role("link", name="Manage Students").click()
    for student in lab_server.spec.roster:
        row = frame.locator("tr", has_text=student.id)
        expect(row).to_be_visible(timeout=30_000)
        expect(row).to_contain_text(student.last_name)
        expect(row).to_contain_text(student.first_name)
    page.screenshot(path=ARTIFACTS / "06-formgrader-students.png")
