"""deploy/z2jh/values.yaml against the strict model of the zero-to-jupyterhub keys it uses."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from jianlab.hub.z2jh import Values, check_values
from jianlab.labs.paths import repo_root

VALUES = repo_root() / "deploy" / "z2jh" / "values.yaml"


def raw() -> dict[str, Any]:
    return yaml.safe_load(VALUES.read_text(encoding="utf-8"))


def test_shipped_values_are_valid_and_consistent() -> None:
    values = Values.model_validate(raw())
    assert check_values(values) == []
    mounts = values.singleuser.storage.extra_volume_mounts if values.singleuser.storage else []
    assert "/srv/nbgrader/exchange" in {m.mount_path for m in mounts}
    assert values.hub.config["Authenticator"]["admin_users"] == ["teacher"]


def _typo_singleuser(v: dict[str, Any]) -> None:
    v["singleuser"]["storage"]["extraVolumeMount"] = v["singleuser"]["storage"].pop(
        "extraVolumeMounts"
    )


def _typo_top(v: dict[str, Any]) -> None:
    v["singleUser"] = v.pop("singleuser")


def _bad_cull(v: dict[str, Any]) -> None:
    v["cull"]["timeout"] = "一小时"


def _two_payloads(v: dict[str, Any]) -> None:
    v["singleuser"]["extraFiles"]["nbgrader-config"]["data"] = {"x": 1}


def _lowercase_section(v: dict[str, Any]) -> None:
    v["hub"]["config"]["authenticator"] = {"admin_users": ["x"]}


@pytest.mark.parametrize(
    "break_it", [_typo_singleuser, _typo_top, _bad_cull, _two_payloads, _lowercase_section]
)
def test_schema_rejects(break_it: Callable[[dict[str, Any]], None]) -> None:
    values = copy.deepcopy(raw())
    break_it(values)
    with pytest.raises(ValidationError):
        Values.model_validate(values)


def _moved_exchange(v: dict[str, Any]) -> None:
    v["singleuser"]["storage"]["extraVolumeMounts"][0]["mountPath"] = "/exchange"


def _missing_volume(v: dict[str, Any]) -> None:
    v["singleuser"]["storage"]["extraVolumes"] = []


def _unknown_service(v: dict[str, Any]) -> None:
    v["hub"]["services"] = {}


def _config_elsewhere(v: dict[str, Any]) -> None:
    v["singleuser"]["extraEnv"]["JUPYTER_CONFIG_PATH"] = "/etc/other"


@pytest.mark.parametrize(
    ("break_it", "problem"),
    [
        (_moved_exchange, "没有挂载"),
        (_missing_volume, "没有对应的 extraVolumes"),
        (_unknown_service, "未定义的服务"),
        (_config_elsewhere, "JUPYTER_CONFIG_PATH"),
    ],
)
def test_cross_checks(break_it: Callable[[dict[str, Any]], None], problem: str) -> None:
    values = copy.deepcopy(raw())
    break_it(values)
    problems = check_values(Values.model_validate(values))
    assert any(problem in p for p in problems), problems
