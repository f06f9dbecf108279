"""The zero-to-jupyterhub values jianlab ships (deploy/z2jh/values.yaml), as a strict model.

Helm accepts a misspelt key silently (the chart just ignores it), so a typo in the values file
would leave, say, the exchange volume unmounted and students unable to fetch anything. This
model covers every key the shipped file uses, with the types of the chart's configuration
reference, and `check_values` adds the cross-checks a schema cannot express (the exchange mount
is where the students' nbgrader config looks; roles name defined services).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Service(Strict):
    url: str | None = None
    command: list[str] | None = None
    api_token: str | None = Field(default=None, alias="apiToken")
    oauth_no_confirm: bool = False
    admin: bool = False
    display: bool = True


class Role(Strict):
    description: str | None = None
    scopes: list[str]
    users: list[str] = Field(default_factory=list)
    groups: list[str] = Field(default_factory=list)
    services: list[str] = Field(default_factory=list)


class Hub(Strict):
    config: dict[str, dict[str, Any]]
    services: dict[str, Service] = Field(default_factory=dict)
    load_roles: dict[str, Role] = Field(default_factory=dict, alias="loadRoles")
    extra_config: dict[str, str] = Field(default_factory=dict, alias="extraConfig")

    @model_validator(mode="after")
    def _traitlets_sections(self) -> Hub:
        bad = [name for name in self.config if not re.fullmatch(r"[A-Z][A-Za-z0-9]+", name)]
        if bad:
            raise ValueError(f"hub.config 的键应为 traitlets 类名：{bad}")
        return self


class Image(Strict):
    name: str
    tag: str


class Resource(Strict):
    limit: float | str | None = None
    guarantee: float | str | None = None


class VolumeMount(Strict):
    name: str
    mount_path: str = Field(alias="mountPath")
    read_only: bool = Field(default=False, alias="readOnly")
    sub_path: str | None = Field(default=None, alias="subPath")


class Storage(Strict):
    type: Literal["dynamic", "static", "none"] = "dynamic"
    capacity: str | None = None
    extra_volumes: list[dict[str, Any]] = Field(default_factory=list, alias="extraVolumes")
    extra_volume_mounts: list[VolumeMount] = Field(default_factory=list, alias="extraVolumeMounts")


class ExtraFile(Strict):
    mount_path: str = Field(alias="mountPath")
    mode: int | None = None
    data: dict[str, Any] | None = None
    string_data: str | None = Field(default=None, alias="stringData")
    binary_data: str | None = Field(default=None, alias="binaryData")

    @model_validator(mode="after")
    def _one_payload(self) -> ExtraFile:
        given = [x for x in (self.data, self.string_data, self.binary_data) if x is not None]
        if len(given) != 1:
            raise ValueError("extraFiles 每项须恰有 data、stringData、binaryData 之一")
        return self


class SingleUser(Strict):
    image: Image
    default_url: str | None = Field(default=None, alias="defaultUrl")
    cmd: str | list[str] | None = None
    cpu: Resource | None = None
    memory: Resource | None = None
    storage: Storage | None = None
    extra_env: dict[str, str] = Field(default_factory=dict, alias="extraEnv")
    extra_files: dict[str, ExtraFile] = Field(default_factory=dict, alias="extraFiles")


class Enabled(Strict):
    enabled: bool


class PrePuller(Strict):
    continuous: Enabled | None = None
    hook: Enabled | None = None


class Cull(Strict):
    enabled: bool
    timeout: int | None = Field(default=None, gt=0)
    every: int | None = Field(default=None, gt=0)


class Scheduling(Strict):
    user_scheduler: Enabled | None = Field(default=None, alias="userScheduler")


class LetsEncrypt(Strict):
    contact_email: str = Field(alias="contactEmail")


class Https(Strict):
    enabled: bool
    hosts: list[str] = Field(default_factory=list)
    letsencrypt: LetsEncrypt | None = None


class Proxy(Strict):
    https: Https | None = None


class Values(Strict):
    hub: Hub
    singleuser: SingleUser
    pre_puller: PrePuller | None = Field(default=None, alias="prePuller")
    cull: Cull | None = None
    scheduling: Scheduling | None = None
    proxy: Proxy | None = None


EXCHANGE_ROOT = re.compile(r"c\.Exchange\.root\s*=\s*[\"']([^\"']+)[\"']")


def check_values(values: Values) -> list[str]:
    """Problems the model cannot see; empty when the deployment hangs together."""
    problems: list[str] = []
    user = values.singleuser
    volumes = {v.get("name") for v in (user.storage.extra_volumes if user.storage else [])}
    mounts = user.storage.extra_volume_mounts if user.storage else []
    problems += [f"挂载 {m.name} 没有对应的 extraVolumes" for m in mounts if m.name not in volumes]
    roots = [
        match.group(1)
        for f in user.extra_files.values()
        if f.string_data and (match := EXCHANGE_ROOT.search(f.string_data))
    ]
    mounted = {m.mount_path for m in mounts}
    problems += [f"交换区 {r} 没有挂载到学生的服务器" for r in roots if r not in mounted]
    if not roots:
        problems.append("学生的 nbgrader 配置没有设置 c.Exchange.root")
    config_path = user.extra_env.get("JUPYTER_CONFIG_PATH", "")
    problems += [
        f"{f.mount_path} 不在 JUPYTER_CONFIG_PATH（{config_path}）之下"
        for f in user.extra_files.values()
        if not config_path or not f.mount_path.startswith(config_path.rstrip("/") + "/")
    ]
    for name, role in values.hub.load_roles.items():
        for scope in role.scopes:
            service = scope.partition("!service=")[2]
            if service and service not in values.hub.services:
                problems.append(f"角色 {name} 引用了未定义的服务 {service}")
    return problems


def load_values(path: Path) -> Values:
    return Values.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
