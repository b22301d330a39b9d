"""Make nbgrader's per-submission work cheaper without changing what it does.

Two costs dominate nbgrader's autograde once the notebook itself runs fast:

- every cell's metadata is validated with ``jsonschema.validate``, which first checks
  the *schema* against the JSON Schema meta-schema, on every cell of every notebook. The
  schema is nbgrader's own constant: it is checked once here and a compiled validator
  reused; each cell is still validated and a bad cell raises the same error;
- every ``Gradebook(...)`` (six or so per submission) creates a new SQLAlchemy engine,
  so no SQL statement is ever served from SQLAlchemy's compiled-statement cache. Here a
  process reuses one engine per database URL (connections are still opened and closed
  per gradebook; a forked worker makes its own engine).
"""

from __future__ import annotations

import os

import jsonschema

_VALIDATORS: dict[int, object] = {}


class _CachedJsonSchema:
    """Stands in for the ``jsonschema`` module inside nbgrader's metadata validator."""

    ValidationError = jsonschema.ValidationError

    @staticmethod
    def validate(instance: object, schema: dict) -> None:
        validator = _VALIDATORS.get(id(schema))
        if validator is None:
            cls = jsonschema.validators.validator_for(schema)
            cls.check_schema(schema)
            validator = _VALIDATORS[id(schema)] = cls(schema)
        error = jsonschema.exceptions.best_match(validator.iter_errors(instance))
        if error is not None:
            raise error


_ENGINES: dict[tuple[int, str], object] = {}


def _shared_engine(url, *args, **kwargs):
    """``create_engine``, once per process and URL."""
    from sqlalchemy import create_engine

    key = (os.getpid(), str(url))
    engine = _ENGINES.get(key)
    if engine is None:
        engine = _ENGINES[key] = create_engine(url, *args, **kwargs)
    return engine


def apply() -> None:
    """Use the cached validator and the shared engines in nbgrader (idempotent)."""
    from nbgrader import api
    from nbgrader.nbgraderformat import common

    common.jsonschema = _CachedJsonSchema
    api.create_engine = _shared_engine
