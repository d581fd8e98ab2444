"""Column mappings shipped with the package (TOML files, see :mod:`tracker.interop.mapping`)."""
