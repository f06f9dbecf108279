"""`jianlab doctor --hub`: what `jianlab hub` needs beyond the lab environment.

Kept out of the default checks: a course run from an LMS never needs a hub, and `make demo`
must not fail for want of node.js.
"""

from __future__ import annotations

import importlib.metadata
import subprocess

from jianlab.doctor_checks import Check
from jianlab.hub.config import find_proxy


def _probe_proxy() -> tuple[bool, str]:
    proxy = find_proxy()
    if proxy is None:
        return False, "找不到 configurable-http-proxy"
    run = subprocess.run([str(proxy), "--version"], capture_output=True, text=True, timeout=60)
    version = run.stdout.strip()
    return run.returncode == 0 and bool(version), f"{version or '无法运行'}（{proxy}）"


def _probe_jupyterhub() -> tuple[bool, str]:
    try:
        return True, f"jupyterhub {importlib.metadata.version('jupyterhub')}"
    except importlib.metadata.PackageNotFoundError:
        return False, "未安装 jupyterhub"


HUB_CHECKS: list[Check] = [
    Check(
        "JupyterHub", "运行 make .venv（jupyterhub 在 pyproject.toml 的依赖中）", _probe_jupyterhub
    ),
    Check(
        "configurable-http-proxy",
        "运行 make hub-proxy（用 npm 安装到 .hub/；需要 node.js：apt-get install nodejs npm）",
        _probe_proxy,
    ),
]
