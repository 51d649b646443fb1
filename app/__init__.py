"""POS after-sales workstation: the core, importable without Qt."""

__version__ = "0.1.0"
