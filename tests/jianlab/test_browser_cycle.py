"""A whole course cycle on a real JupyterHub, clicked through in headless Chromium.

One instructor and three students on localhost (dummy login, the course's own hub config from
`jianlab hub`). Students work where they would: log in, open Nbgrader → Assignment List, Fetch,
open the notebook from the list, type their answers, run every cell, save, Validate, Submit;
after feedback is returned, Fetch Feedback and open the page. The instructor moves the deadline
to the present after two submissions (`course build` with the new due date), so the third is
late; collects, autogrades and returns feedback with the CLI, and gives the essay grades in
formgrader's manual-grading page. The export must show 已评分, 待人工评分, 迟交 and the penalty.

Every page is screenshotted into build/test-artifacts/browser/ and its visible text scanned for
English (tests/support/english.py): only nbgrader's, JupyterHub's and JupyterLab's own strings,
listed in tests/support/english_ui.yaml and docs/course-operations.md §9, may remain.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest
from nbgrader.api import Gradebook
from playwright.sync_api import Browser, Page, expect

from jianlab.grading import courseroot
from jianlab.hub.config import find_proxy
from support.browser import (
    ARTIFACTS,
    chromium,
    click_menu,
    failures,
    launched,
    wait_run_all_done,
    write_user_settings,
)
from support.english import EnglishScan, Where
from support.hub import (
    INSTRUCTOR,
    LAB,
    PASSWORD,
    STUDENTS,
    build,
    course_yaml,
    jianlab,
    running_hub,
)

NO_PROXY = "configurable-http-proxy 未安装（make hub-proxy）"
pytestmark = [pytest.mark.browser, pytest.mark.skipif(find_proxy() is None, reason=NO_PROXY)]

COURSE = "jc-cycle"
NAMES = {"stu1": "晓明", "stu2": "丽", "stu3": "强"}
PENALTY_PERCENT = 10
Q1 = 'approved = decisions.count("批准逮捕")\nrejected = decisions.count("不批准逮捕")\n'
ANSWERS = {  # (第1题, 第2题, 第3题 essay); stu2 miscounts 第2题
    "stu1": (Q1 + "rate = rejected / (approved + rejected)", 'n_other = decisions.count("其他")'),
    "stu2": (Q1 + "rate = rejected / (approved + rejected)", "n_other = 3"),
    "stu3": (Q1 + "rate = rejected / (approved + rejected)", 'n_other = decisions.count("其他")'),
}
ESSAY = "分母只含批准逮捕与不批准逮捕两种实体决定；计入“其他”会低估不捕率。"
MANUAL = {"stu1": 4.0, "stu3": 5.0}  # essay points given in formgrader; stu2 stays ungraded
LOGIN_S = 120


@dataclass
class Cycle:
    root: Path
    spec: Path
    base: str
    browser: Browser
    scan: EnglishScan
    timings: dict[str, float] = field(default_factory=dict)

    def shot(self, page: Page, name: str, where: Where) -> None:
        page.screenshot(path=ARTIFACTS / f"cycle-{name}.png", full_page=True)
        self.scan.check(page, name, where)


@pytest.fixture(scope="module")
def cycle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cycle]:
    chromium()  # skip (or fail in CI) before the course build
    tmp = tmp_path_factory.mktemp("cycle")
    due = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).replace(microsecond=0)
    spec = _course_file(tmp, due)
    root = build(spec, tmp / "course")
    jianlab("course", "release", "--course", str(root), "--lab", LAB)
    for user in [*STUDENTS, INSTRUCTOR]:  # test-only Lab settings (see support.browser)
        write_user_settings(root / "hub" / "homes" / user / ".jupyter" / "lab" / "user-settings")
    names = (COURSE, LAB, f"{LAB}.ipynb", f"{LAB}.html", INSTRUCTOR, *STUDENTS)
    log = tmp / "hub.log"
    try:
        with running_hub(root, log) as base, launched(tmp / "chromium") as browser:
            yield Cycle(root, spec, base, browser, EnglishScan(names, {}))
    finally:
        if log.exists():
            (ARTIFACTS / "cycle-hub.log").write_bytes(log.read_bytes())


def _course_file(tmp: Path, due: dt.datetime) -> Path:
    return course_yaml(
        tmp,
        course_id=COURSE,
        title="检察数据分析（浏览器测试）",
        labs=[{"id": LAB, "due": due.isoformat(), "weight": 1}],
        roster=[{"id": s, "last_name": "王", "first_name": NAMES[s]} for s in STUDENTS],
        late_policy={"penalty_per_day_percent": PENALTY_PERCENT},
    )


def _login(cycle: Cycle, user: str, next_url: str = "") -> Page:
    context = cycle.browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{cycle.base}/hub/login" + (f"?next={next_url}" if next_url else ""))
    expect(page.locator("#login_submit")).to_be_visible()
    if user == STUDENTS[0]:
        cycle.shot(page, "01-login", "hub")
    page.fill("#username_input", user)
    page.fill("#password_input", PASSWORD)
    page.click("#login_submit")
    page.wait_for_load_state()
    if "spawn-pending" in page.url and user == STUDENTS[0]:
        cycle.shot(page, "02-server-starting", "hub")
    return page


def _assignments(page: Page) -> None:
    expect(page.locator(".lm-MenuBar-item", has_text="Nbgrader")).to_be_visible(timeout=60_000)
    click_menu(page, "Nbgrader", "Assignment List")
    expect(page.locator("#assignment-list, .nbgrader-mainarea-widget").first).to_be_visible()


def _wait_kernel(cycle: Cycle, page: Page, user: str) -> None:
    """The toolbar can read idle before the session is connected; ask the user's server."""
    deadline = time.monotonic() + LOGIN_S
    while time.monotonic() < deadline:
        sessions = page.request.get(f"{cycle.base}/user/{user}/api/sessions").json()
        if any(s["kernel"]["execution_state"] == "idle" for s in sessions):
            return
        page.wait_for_timeout(300)
    pytest.fail(f"{user} 的内核在 {LOGIN_S} 秒内没有就绪")


def _answer(page: Page, answers: tuple[str, str]) -> None:
    """Replace each code stub, then the essay, as a student types them."""
    for code in answers:
        stub = page.locator(".jp-CodeCell", has_text="请在此处编写代码").first
        stub.locator(".cm-content").click()
        page.keyboard.press("Control+A")
        page.keyboard.insert_text(code)
    essay = page.locator(".jp-MarkdownCell", has_text="请在此处作答").first
    essay.dblclick()
    essay.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(ESSAY)


def _work(cycle: Cycle, student: str) -> Page:
    """Fetch, answer, run all, save, (validate), submit — all in the browser."""
    first = student == STUDENTS[0]
    page = _login(cycle, student)
    page.wait_for_url(f"**/user/{student}/lab**", timeout=LOGIN_S * 1000)
    _assignments(page)
    page.locator("#released_assignments_list button", has_text="Fetch").click()
    fetched = page.locator("#fetched_assignments_list")
    expect(fetched.get_by_role("button", name="Submit")).to_be_visible(timeout=30_000)
    fetched.locator("a", has_text=LAB).first.click()  # opens the lab's notebook list
    if first:
        cycle.shot(page, "03-fetched", "lab")
    fetched.locator("a", has_text=LAB).last.click()  # the notebook inside the lab
    expect(page.locator(".jp-NotebookPanel")).to_be_visible(timeout=60_000)
    home = cycle.root / "hub" / "homes" / student / COURSE / LAB
    assert (home / f"{LAB}.ipynb").is_file(), "取作业后学生目录里应有笔记本"
    _wait_kernel(cycle, page, student)
    _answer(page, ANSWERS[student])
    click_menu(page, "运行", "运行所有单元格")
    wait_run_all_done(page, f"cycle-failure-run-{student}.png")
    assert not failures(page), failures(page)
    page.keyboard.press("Control+S")
    expect(page.locator(".jp-StatusBar-Widget", has_text="保存成功")).to_be_visible()
    if first:
        cycle.shot(page, "04-notebook-run", "lab")
    saved = json.loads((home / f"{LAB}.ipynb").read_text(encoding="utf-8"))
    assert any(ESSAY in "".join(c["source"]) for c in saved["cells"]), "作答没有保存到磁盘"
    page.locator(".lm-TabBar-tab", has_text="Assignments").click()
    if first:
        _validate(cycle, page)
    page.locator("#fetched_assignments_list button", has_text="Submit").click()
    submitted = page.locator("#submitted_assignments_list")
    expect(submitted.get_by_role("button", name="Fetch Feedback")).to_be_visible(timeout=30_000)
    if first:
        cycle.shot(page, "06-submitted", "lab")
    return page


def _validate(cycle: Cycle, page: Page) -> None:
    page.locator("#fetched_assignments_list button", has_text="Validate").click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_be_visible(timeout=60_000)
    expect(dialog).to_contain_text("Success! Your notebook passes all the tests.")
    cycle.shot(page, "05-validate", "lab")
    dialog.locator("button").last.click()
    expect(dialog).to_be_hidden()


def _move_deadline_to_now(cycle: Cycle) -> None:
    """The instructor's update path: the same `course build` with the new due date."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(seconds=1)
    _course_file(cycle.spec.parent, now)
    build(cycle.spec, cycle.root)
    time.sleep(1.5)  # the next submission is after the deadline by the clock, not by rounding


def _formgrader_url() -> str:
    """formgrader's list of submissions of the lab's notebook (Manual Grading → lab → notebook)."""
    return f"/services/formgrader-{COURSE}/formgrader/gradebook/{LAB}/{LAB}"


def _manual_score(root: Path, student: str) -> float | None:
    with Gradebook(courseroot.db_url(root)) as gb:
        score = gb.find_grade("q3_essay", LAB, LAB, student).manual_score
    return None if score is None else float(score)


def _grade_in_formgrader(cycle: Cycle) -> None:
    """Manual Grading → the lab's notebook → a student's submission → points for the essay."""
    page = _login(cycle, INSTRUCTOR, _formgrader_url())
    page.wait_for_url(f"**{_formgrader_url()}", timeout=LOGIN_S * 1000)
    table = page.locator("table")
    expect(table).to_contain_text("Submission #3", timeout=30_000)
    cycle.shot(page, "07-formgrader-submissions", "formgrader")
    page.get_by_role("button", name="Show All Names").click()
    for student, points in MANUAL.items():
        page.locator("tr", has_text=f"王, {NAMES[student]}").get_by_role("link").first.click()
        score = page.locator("#q3_essay")
        expect(score).to_be_visible(timeout=30_000)
        page.wait_for_load_state("networkidle")  # the page binds its save handlers after loading
        expect(page.locator("body")).to_contain_text(ESSAY)
        score.fill(str(points))
        page.locator("#q3_essay-comment").fill("口径说明清楚。")
        page.keyboard.press("Tab")  # formgrader saves a field when it loses focus
        deadline = time.monotonic() + 20
        while _manual_score(cycle.root, student) != points and time.monotonic() < deadline:
            page.wait_for_timeout(300)
        assert _manual_score(cycle.root, student) == points, f"{student} 的人工评分没有保存"
        if student == STUDENTS[0]:
            cycle.shot(page, "08-formgrader-grade", "formgrader")
        page.goto(cycle.base + _formgrader_url())
        page.get_by_role("button", name="Show All Names").click()
    page.context.close()


def _fetch_feedback(cycle: Cycle, page: Page, student: str) -> None:
    page.locator(".lm-TabBar-tab", has_text="Assignments").click()
    page.locator("#refresh_assignments_list").click()
    submitted = page.locator("#submitted_assignments_list")
    submitted.get_by_role("button", name="Fetch Feedback").click()
    view = submitted.get_by_text("(view feedback)")
    expect(view).to_be_visible(timeout=30_000)
    cycle.shot(page, "09-feedback-fetched", "lab")
    view.click()
    listing = page.locator(".jp-DirListing-item", has_text=f"{LAB}.html")
    listing.dblclick()
    frame = page.frame_locator(".jp-HTMLViewer iframe, iframe").first
    expect(frame.locator("body")).to_contain_text(ESSAY, timeout=30_000)
    expect(frame.locator("body")).to_contain_text("口径说明清楚。")
    cycle.shot(page, "10-feedback-page", "lab")
    home = cycle.root / "hub" / "homes" / student / COURSE / LAB
    fetched = [
        p for p in (home / "feedback").rglob("*.html") if ".ipynb_checkpoints" not in p.parts
    ]
    assert len(fetched) == 1, fetched


def _export(cycle: Cycle) -> pd.DataFrame:
    jianlab("grade", "export", "--course", str(cycle.root))
    table = pd.read_csv(
        cycle.root / "exports" / "grades.csv", encoding="utf-8-sig", dtype={"学号": str}
    )
    print("\n" + table.to_string())
    return table.set_index("学号")


def _column(table: pd.DataFrame, suffix: str) -> pd.Series:
    (name,) = [c for c in table.columns if str(c).endswith(suffix)]
    return table[name]


def _check_export(table: pd.DataFrame) -> None:
    status, penalty = _column(table, "状态"), _column(table, "迟交扣分")
    final = _column(table, "得分")
    assert "已评分" in status["stu1"] and "迟交" not in status["stu1"], status["stu1"]
    assert "待人工评分" in status["stu2"] and pd.isna(final["stu2"]), (status["stu2"], final)
    assert "迟交" in status["stu3"] and "已评分" in status["stu3"], status["stu3"]
    assert penalty["stu1"] == 0 and final["stu1"] == 4 + 1 + MANUAL["stu1"]
    raw = 4 + 1 + MANUAL["stu3"]  # one started day late: the policy takes 10 % of it
    assert penalty["stu3"] == pytest.approx(raw * PENALTY_PERCENT / 100)
    assert final["stu3"] == pytest.approx(raw * (1 - PENALTY_PERCENT / 100))


def test_course_cycle_in_browser(cycle: Cycle, caplog: pytest.LogCaptureFixture) -> None:
    started = time.monotonic()
    pages = {s: _work(cycle, s) for s in STUDENTS[:2]}
    _move_deadline_to_now(cycle)
    pages[STUDENTS[2]] = _work(cycle, STUDENTS[2])
    cycle.timings["三名学生取作业、作答、运行、提交"] = time.monotonic() - started
    for student in STUDENTS[1:]:
        pages.pop(student).context.close()
    course = ("--course", str(cycle.root), "--lab", LAB)
    collected = jianlab("course", "collect", *course)
    assert "3 份提交" in collected and "迟交（1）：stu3" in collected, collected
    warned = [r.getMessage() for r in caplog.records if r.name == "jianlab.exchange"]
    assert warned and all("文件属于账户" in w for w in warned), warned  # the shared login
    mark = time.monotonic()
    jianlab("grade", "autograde", *course)
    cycle.timings["自动评分（沙箱）"] = time.monotonic() - mark
    mark = time.monotonic()
    _grade_in_formgrader(cycle)
    cycle.timings["formgrader 人工评分两份"] = time.monotonic() - mark
    returned = jianlab("course", "return", *course)
    assert "3 名学生" in returned, returned
    _fetch_feedback(cycle, pages[STUDENTS[0]], STUDENTS[0])
    _check_export(_export(cycle))
    cycle.timings["合计"] = time.monotonic() - started
    print("\n" + "，".join(f"{k} {v:.1f} 秒" for k, v in cycle.timings.items()))
    english = "\n".join(f"{shot}：{'、'.join(words)}" for shot, words in cycle.scan.found.items())
    assert not cycle.scan.found, "页面上有不在 english_ui.yaml 中的英文：\n" + english
