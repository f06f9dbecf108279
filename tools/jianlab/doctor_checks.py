"""`jianlab doctor` 的各项检查：每项是一个 `Check`，登记在 `CHECKS` 里。

Each check answers one question a new user would otherwise discover by a confusing failure in a
notebook (boxes instead of Chinese, an English Lab, a missing nbgrader menu). The Lab checks read
the same settings directory that `make lab` passes to JupyterLab (`LAB_SETTINGS_DIR`), so the
doctor judges exactly the configuration students will get.
"""

from __future__ import annotations

import functools
import importlib
import importlib.metadata
import importlib.util
import io
import sys
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from cjkplot import setup_cjk
from jianlab.specs import BUILD_ROOT, REPO_ROOT

# `make lab` starts JupyterLab with `--LabApp.app_settings_dir` pointing here (overrides.json).
LAB_SETTINGS_DIR = Path(__file__).resolve().parent / "lab_settings"
MIN_PYTHON = (3, 11)
SYNC_HINT = "运行 make .venv（按 uv.lock 同步环境：.uv/bin/uv sync --frozen）"

# (import name, distribution name): what the labs, the generator and the grading stack import.
REQUIRED_PACKAGES: tuple[tuple[str, str], ...] = (
    ("numpy", "numpy"),
    ("pandas", "pandas"),
    ("pyarrow", "pyarrow"),
    ("faker", "Faker"),
    ("statsmodels", "statsmodels"),
    ("matplotlib", "matplotlib"),
    ("mplfonts", "mplfonts"),
    ("typer", "typer"),
    ("rich", "rich"),
    ("duckdb", "duckdb"),
    ("dask", "dask"),
    ("distributed", "distributed"),
    ("nbgrader", "nbgrader"),
    ("jupyterlab", "jupyterlab"),
    ("jupytext", "jupytext"),
    ("nbclient", "nbclient"),
)
LOCALE = "zh_CN"
LANGUAGE_PACK_DIST = "jupyterlab-language-pack-zh-cn"
L10N_PLUGIN = "@jupyterlab/translation-extension:plugin"
NBGRADER_LABEXTENSION = "@jupyter/nbgrader"
NBGRADER_SERVER_EXTENSIONS = tuple(
    f"nbgrader.server_extensions.{name}"
    for name in ("formgrader", "validate_assignment", "assignment_list", "course_list")
)
CJK_SAMPLE = "不捕率与不诉率（2018–2025 年，单位：%）−5"


@dataclass(frozen=True)
class CheckResult:
    """One row of the doctor table; `hint` says how to fix it when `ok` is false."""

    name: str
    ok: bool
    detail: str
    hint: str


Probe = Callable[[], tuple[bool, str]]


@dataclass(frozen=True)
class Check:
    """A labelled probe with its fix hint; a probe that raises counts as a failure."""

    name: str
    hint: str
    probe: Probe

    def run(self) -> CheckResult:
        try:
            ok, detail = self.probe()
        except Exception as exc:
            ok, detail = False, f"检查时出错：{type(exc).__name__}: {exc}"
        return CheckResult(self.name, ok, detail, self.hint)


def _probe_python() -> tuple[bool, str]:
    version = ".".join(map(str, sys.version_info[:3]))
    ok = sys.version_info[:2] >= MIN_PYTHON
    need = ".".join(map(str, MIN_PYTHON))
    return ok, f"Python {version}（需要 ≥ {need}）：{sys.executable}"


@functools.cache
def declared_specifiers() -> dict[str, SpecifierSet]:
    """Version ranges come from jianlab's own metadata, so pyproject.toml stays the one source."""
    try:
        lines = importlib.metadata.requires("jianlab") or []
    except importlib.metadata.PackageNotFoundError:
        return {}
    specifiers: dict[str, SpecifierSet] = {}
    for line in lines:
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
            specifiers[canonicalize_name(requirement.name)] = requirement.specifier
    return specifiers


def _probe_package(module: str, dist: str) -> tuple[bool, str]:
    try:
        importlib.import_module(module)
    except ImportError as exc:
        return False, f"无法导入 {module}：{exc}"
    version = importlib.metadata.version(dist)
    specifier = declared_specifiers().get(canonicalize_name(dist), SpecifierSet())
    wanted = f"（要求 {specifier}）" if str(specifier) else ""
    if not specifier.contains(version, prereleases=True):
        return False, f"已安装 {dist} {version}，不符合要求 {specifier}"
    return True, f"已安装 {dist} {version}{wanted}"


def package_check(module: str, dist: str | None = None) -> Check:
    """Build the check for one importable package (the registry holds one per package)."""
    dist_name = dist or module
    return Check(
        name=f"依赖包 {dist_name}",
        hint=f"{SYNC_HINT}，安装 {dist_name}",
        probe=functools.partial(_probe_package, module, dist_name),
    )


def _probe_cjk_font() -> tuple[bool, str]:
    """Render real Chinese text: a registered font can still lack glyphs, only drawing tells."""
    from matplotlib.figure import Figure

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            family = setup_cjk()
            figure = Figure(figsize=(3, 2))
            axes = figure.subplots()
            axes.plot([2018, 2025], [-5, 40])
            axes.set_title(CJK_SAMPLE)
            axes.set_xlabel("年份")
            figure.savefig(io.BytesIO(), format="png")
        except (UserWarning, RuntimeError) as exc:
            return False, f"中文绘图失败：{exc}"
    return True, f"{family}：中文标题渲染无缺字警告"


def _probe_language_pack() -> tuple[bool, str]:
    from jupyterlab_server.translation_utils import get_language_pack

    data, message = get_language_pack(LOCALE)
    if not data:
        return False, f"未找到 {LOCALE} 语言包{('：' + message) if message else ''}"
    version = importlib.metadata.version(LANGUAGE_PACK_DIST)
    return True, f"{LANGUAGE_PACK_DIST} {version}，提供 {LOCALE}"


def _probe_lab_locale() -> tuple[bool, str]:
    """Resolve the locale the way the Lab settings API does: user settings over overrides."""
    from jupyter_core.paths import jupyter_path
    from jupyterlab.commands import get_app_dir, get_user_settings_dir
    from jupyterlab_server.settings_utils import get_settings

    settings, _ = get_settings(
        str(LAB_SETTINGS_DIR),
        str(Path(get_app_dir()) / "schemas"),
        get_user_settings_dir(),
        schema_name=L10N_PLUGIN,
        labextensions_path=jupyter_path("labextensions"),
    )
    user_locale = settings["settings"].get("locale")
    default_locale = settings["schema"]["properties"]["locale"]["default"]
    locale = user_locale or default_locale
    source = "用户设置" if user_locale else "overrides.json"
    return locale == LOCALE, f"{locale}（来源：{source}）"


def _probe_nbgrader_labextension() -> tuple[bool, str]:
    from jupyter_core.paths import jupyter_path
    from jupyterlab_server.config import get_federated_extensions, get_page_config

    paths = jupyter_path("labextensions")
    extension = get_federated_extensions(paths).get(NBGRADER_LABEXTENSION)
    if extension is None:
        return False, f"未安装 JupyterLab 扩展 {NBGRADER_LABEXTENSION}"
    page_config = get_page_config(paths, app_settings_dir=str(LAB_SETTINGS_DIR))
    disabled = [
        name
        for name in page_config["disabledExtensions"]
        if name == NBGRADER_LABEXTENSION or name.startswith(f"{NBGRADER_LABEXTENSION}:")
    ]
    if disabled:
        return False, f"{NBGRADER_LABEXTENSION} 被禁用：{', '.join(disabled)}"
    return True, f"{NBGRADER_LABEXTENSION} {extension['version']} 已启用"


def _probe_nbgrader_server_extensions() -> tuple[bool, str]:
    """Read the merged jpserver_extensions exactly as jupyter_server does at start-up."""
    from jupyter_core.paths import jupyter_config_path
    from jupyter_server.extension.config import ExtensionConfigManager

    enabled = ExtensionConfigManager(
        read_config_path=jupyter_config_path()
    ).get_jpserver_extensions()
    problems = [name for name in NBGRADER_SERVER_EXTENSIONS if not enabled.get(name)]
    problems += [
        f"{name}（无法导入）"
        for name in NBGRADER_SERVER_EXTENSIONS
        if name not in problems and importlib.util.find_spec(name) is None
    ]
    if problems:
        return False, "未启用：" + "、".join(problems)
    short = "、".join(name.rsplit(".", 1)[-1] for name in NBGRADER_SERVER_EXTENSIONS)
    return True, f"已启用：{short}"


def _display(path: Path) -> str:
    return str(path.relative_to(REPO_ROOT)) if path.is_relative_to(REPO_ROOT) else str(path)


def _nearest_existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _probe_writable(path_of: Callable[[], Path]) -> tuple[bool, str]:
    """Create a real file: `os.access` says yes to root even on read-only mounts."""
    path = path_of()
    where = _nearest_existing(path)
    try:
        with tempfile.NamedTemporaryFile(dir=where, prefix=".jianlab-doctor-"):
            pass
    except OSError as exc:
        return False, f"无法在 {_display(where)} 写入文件：{exc.strerror or exc}"
    suffix = "" if where == path else "（目录尚未创建）"
    return True, f"{_display(path)} 可写{suffix}"


def _probe_sandbox() -> tuple[bool, str]:
    """Start the very sandbox `grade autograde` uses (docs/grading-sandbox.md) on a tiny program."""
    from jianlab.grading import isolation

    return isolation.probe()


CHECKS: list[Check] = [
    Check(
        "Python 版本",
        "安装 Python 3.11 或更新版本，再运行 make .venv 重建环境",
        _probe_python,
    ),
    *(package_check(module, dist) for module, dist in REQUIRED_PACKAGES),
    Check(
        "matplotlib 中文字体",
        f"{SYNC_HINT}，安装 mplfonts（自带 Noto Sans CJK SC）；"
        "或安装系统字体：apt-get install fonts-noto-cjk（或 fonts-wqy-microhei）",
        _probe_cjk_font,
    ),
    Check(
        "JupyterLab 中文语言包",
        f"{SYNC_HINT}，安装 {LANGUAGE_PACK_DIST}",
        _probe_language_pack,
    ),
    Check(
        "JupyterLab 默认语言 zh_CN",
        f"确认 {LAB_SETTINGS_DIR.relative_to(REPO_ROOT)}/overrides.json 中 {L10N_PLUGIN} 的 "
        f"locale 为 {LOCALE}；若用户设置 ~/.jupyter/lab/user-settings/@jupyterlab/"
        "translation-extension/plugin.jupyterlab-settings 里另设了 locale，请删掉该项",
        _probe_lab_locale,
    ),
    Check(
        "nbgrader JupyterLab 扩展",
        f".venv/bin/jupyter labextension enable {NBGRADER_LABEXTENSION}；若未安装，{SYNC_HINT}",
        _probe_nbgrader_labextension,
    ),
    Check(
        "nbgrader 服务器扩展",
        ".venv/bin/jupyter server extension enable --sys-prefix "
        "nbgrader.server_extensions.<扩展名>（对每个未启用的扩展执行）",
        _probe_nbgrader_server_extensions,
    ),
    Check(
        "合成数据输出目录可写",
        "检查目录权限（如 chmod u+w datasets/synthetic），或用 --out 指定其他可写目录",
        functools.partial(_probe_writable, lambda: BUILD_ROOT),
    ),
    Check(
        "临时目录可写",
        "设置环境变量 TMPDIR 指向一个可写目录",
        functools.partial(_probe_writable, lambda: Path(tempfile.gettempdir())),
    ),
    Check(
        "评分沙箱（bubblewrap 隔离）",
        "安装 bubblewrap：sudo apt-get install -y bubblewrap（或在仓库根目录运行 make sandbox）；"
        "已安装仍失败时，开启非特权用户命名空间：sudo sysctl -w kernel.unprivileged_userns_clone=1"
        "（Debian/Ubuntu）或 sudo sysctl -w user.max_user_namespaces=15000；"
        "否则 jianlab grade autograde 会拒绝评分（除非加 --unsafe-no-sandbox）",
        _probe_sandbox,
    ),
]
