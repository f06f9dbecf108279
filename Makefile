# jianlab：一条命令建环境并跑演示（make demo），一条命令跑检查与测试（make test）。
# 只需要 python3：uv 装在 .uv/ 里，项目环境 .venv 严格按提交的 uv.lock 同步。

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
MAKEFLAGS += --no-builtin-rules

PYTHON ?= python3
UV_VERSION := 0.13.8
UV := .uv/bin/uv
VENV := .venv
BIN := $(VENV)/bin
JIANLAB := $(BIN)/jianlab
# Stamp inside .venv: deleting .venv also forgets the sync; a newer uv.lock triggers a re-sync.
SYNCED := $(VENV)/.jianlab-synced
# The `bench` dependency group (comparison libraries) is installed only for `make bench`. An exact
# default sync removes it again; depending on $(SYNCED) makes the next `make bench` re-add it.
BENCH_SYNCED := $(VENV)/.jianlab-synced-bench

BUILD_ROOT := datasets/synthetic/build
# `make test` runs unit tests (no dataset build) first, then integration tests; both on 2 cores.
UNIT_TESTS := not integration and not slow and not bench and not browser
INTEGRATION_TESTS := integration and not slow and not bench and not browser
# Which tests are integration tests: tests/support/tiers.py.
PYTEST_PARALLEL := -n 2
DEMO_DATASET := criminal-teaching
DEMO_OUT := $(BUILD_ROOT)/$(DEMO_DATASET)
# Steps of `make demo`, run in this order. To extend: DEMO_STEPS += demo-xxx, plus a demo-xxx rule.
DEMO_STEPS := sandbox demo-doctor demo-data-build demo-data-verify demo-data-report demo-course
DEMO_COURSE := build/demo-course

# `make lab` reads the shipped Lab settings (overrides.json: zh_CN); `jianlab doctor` checks the same dir.
LAB_SETTINGS := $(CURDIR)/tools/jianlab/lab_settings
LAB_PORT ?= 8888
LAB_ARGS ?=
# Jupyter refuses to run as root without this flag (CI containers run as root).
LAB_ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: help venv .venv demo $(DEMO_STEPS) test test-slow test-browser bench lab lab-instructor hub hub-proxy clean lock sandbox

help: ## 列出可用命令
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_.-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(UV):
	rm -rf .uv
	$(PYTHON) -m venv .uv
	.uv/bin/pip install -q uv==$(UV_VERSION)

# Bytecode is compiled at install: graded kernels see .venv read-only (docs/grading-sandbox.md).
$(SYNCED): uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	touch $@

$(BENCH_SYNCED): $(SYNCED)
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON) --group bench
	touch $@

venv .venv: $(SYNCED) ## 按 uv.lock 创建或同步 .venv

demo: $(SYNCED) ## 建环境、检查环境、生成教学数据集、校验并打印校准报告
	@for step in $(DEMO_STEPS); do $(MAKE) --no-print-directory $$step; done

demo-doctor: $(SYNCED)
	$(JIANLAB) doctor

demo-data-build: $(SYNCED)
	$(JIANLAB) data build $(DEMO_DATASET) --out $(DEMO_OUT) --force

demo-data-verify: $(SYNCED)
	$(JIANLAB) data verify $(DEMO_OUT)

demo-data-report: $(SYNCED)
	$(JIANLAB) data report $(DEMO_OUT)

# courses/demo: three simulated students (complete, partial, blank) graded, feedback, export
demo-course: $(SYNCED)
	$(BIN)/python -m jianlab.course.demo $(DEMO_COURSE)

# Each pytest process (4 xdist workers, CLI and kernel subprocesses) would otherwise recompile and
# re-rewrite every test module: an environment with PYTHONDONTWRITEBYTECODE=1 costs ~4 s of CPU per
# collection. An empty value lets Python write the (gitignored) __pycache__ folders.
test test-slow: export PYTHONDONTWRITEBYTECODE :=
# mypy (one core, ~16 s) runs beside the unit tier, whose two workers leave part of the second core
# idle; its report is printed after the unit tests, and a type error still fails `make test`.
# The integration tier uses --dist loadscope: a module's tests stay on one worker, so its
# module-scoped fixtures (a class graded, a release made, a build of its own) are made once.
test: $(SYNCED) ## ruff（lint + 格式）、mypy、导入分层、pytest（先单元测试，再集成测试；不含 slow/bench/browser）
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	@mkdir -p build; echo "$(BIN)/mypy（与单元测试同时运行，报告见单元测试之后）"; \
	$(BIN)/mypy > build/mypy.log 2>&1 & typing=$$!; \
	unit=0; $(BIN)/pytest $(PYTEST_PARALLEL) -m "$(UNIT_TESTS)" || unit=$$?; \
	typed=0; wait $$typing || typed=$$?; cat build/mypy.log; \
	[ $$unit -eq 0 ] && [ $$typed -eq 0 ]
	$(BIN)/pytest $(PYTEST_PARALLEL) --dist loadscope -m "$(INTEGRATION_TESTS)"

test-slow: $(SYNCED) ## 只跑标记为 slow 的测试
	$(BIN)/pytest $(PYTEST_PARALLEL) -m slow

# Needs Debian's chromium (/usr/bin/chromium) and the hub proxy (make hub-proxy); .ci/run installs
# both. Screenshots: build/test-artifacts/browser/
test-browser: $(SYNCED) ## 无头 Chromium：JupyterLab 中运行实验笔记本；JupyterHub 上走完一门课的完整流程；保存截图
	$(BIN)/pytest -m browser -s -p no:cacheprovider tests/jianlab/test_browser.py \
		tests/jianlab/test_browser_cycle.py

bench: $(BENCH_SYNCED) ## 性能基准（tests/bench/，结束时打印测得的数字）
	$(BIN)/pytest -m bench -p no:cacheprovider --timeout=3600 tests/bench/

# `make lab` is the student's view: a workspace built from the demo course's release (with the
# student's own data), never the repository's lab sources (they hold solutions and hidden tests).
STUDENT ?= s01
STUDENT_WS := build/student-workspace/$(STUDENT)
LAB_START = $(BIN)/jupyter lab --no-browser --port=$(LAB_PORT) \
		--LabApp.app_settings_dir=$(LAB_SETTINGS) $(LAB_ROOT_FLAG) $(LAB_ARGS)

$(DEMO_COURSE)/.jianlab/course.json: | $(SYNCED)
	$(JIANLAB) course build demo --out $(DEMO_COURSE)

lab: $(DEMO_COURSE)/.jianlab/course.json ## 学生工作区（演示课程发布版 + 本人数据，无答案）中启动中文 JupyterLab
	$(JIANLAB) course workspace --course $(DEMO_COURSE) --student $(STUDENT) --out $(STUDENT_WS)
	@echo "JupyterLab 启动后，在浏览器中打开下面日志里带 token 的 http://localhost:$(LAB_PORT)/lab?token=… 地址；按 Ctrl-C 停止。"
	$(LAB_START) --ServerApp.root_dir=$(CURDIR)/$(STUDENT_WS)

lab-instructor: $(DEMO_COURSE)/.jianlab/course.json ## 教师：在演示课程根目录启动 JupyterLab（formgrader 可用）
	$(LAB_START) --ServerApp.root_dir=$(CURDIR)/$(DEMO_COURSE)

# configurable-http-proxy (JupyterHub's proxy) comes from npm, pinned, into .hub/ (gitignored).
PROXY_VERSION := 4.6.3
HUB_PROXY := .hub/node_modules/.bin/configurable-http-proxy
COURSE ?= $(DEMO_COURSE)
INSTRUCTOR ?= teacher
HUB_ARGS ?=

$(HUB_PROXY):
	npm install --prefix .hub --no-audit --no-fund configurable-http-proxy@$(PROXY_VERSION)

hub-proxy: $(HUB_PROXY) ## 用 npm 安装 JupyterHub 的代理 configurable-http-proxy（到 .hub/）

hub: $(SYNCED) $(HUB_PROXY) ## 为课程启动 JupyterHub：make hub COURSE=课程目录 INSTRUCTOR=教师账户 [HUB_ARGS=--auth dummy]
	$(JIANLAB) doctor --hub
	$(JIANLAB) hub --course $(COURSE) --instructor $(INSTRUCTOR) $(HUB_ARGS)

clean: ## 删除生成的数据、构建目录和缓存（保留 .venv）
	rm -rf $(BUILD_ROOT) $(DEMO_COURSE) .pytest_cache .mypy_cache .ruff_cache
	find . \( -path ./.venv -o -path ./.uv -o -path ./.git \) -prune -o \
		-type d \( -name __pycache__ -o -name _build -o -name '*.egg-info' \) -print0 \
		| xargs -0 rm -rf

# Student kernels are graded inside bubblewrap (docs/grading-sandbox.md); Debian's package.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
sandbox: $(SYNCED) ## 安装评分沙箱 bubblewrap（Debian/Ubuntu，需要 apt-get）并用 jianlab doctor 的同一检查试运行
	command -v bwrap >/dev/null || { $(SUDO) apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q bubblewrap; }
	$(BIN)/python -c "from jianlab.grading.isolation import probe; ok, d = probe(); print(d); raise SystemExit(not ok)"

lock: | $(UV) ## 按 pyproject.toml 重新生成 uv.lock
	$(UV) lock --python $(PYTHON)
