"""The course's Sphinx extensions, named in ``_config.yml``: per-page bibliographies and
the in-page self-checks."""
