"""configkit: every YAML file the project ships or accepts is read through here into a strict
pydantic model (``extra="forbid"`` all the way down), so a misspelled key stops with a Chinese
message naming the file, the key path and the closest valid key instead of being ignored.

A leaf package: it knows pydantic and YAML, nothing of the project.
"""

from configkit.errors import ConfigError, describe_errors
from configkit.load import StrictModel, parse_yaml, read_yaml, validate
from configkit.schemas import export_schemas, schema_json

__all__ = [
    "ConfigError",
    "StrictModel",
    "describe_errors",
    "export_schemas",
    "parse_yaml",
    "read_yaml",
    "schema_json",
    "validate",
]
