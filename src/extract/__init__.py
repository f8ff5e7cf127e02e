"""rncp-extract: French certification référentiels (RNCP, REAC, RE/RC, BUT) from PDF to JSON."""

__version__ = "0.2.0"
