"""Importable test helpers (datasets built once per run, hand-made worlds for the rule engine).

Test modules import from here plainly (``from support.builds import ...``); nothing is imported
from ``conftest``."""
