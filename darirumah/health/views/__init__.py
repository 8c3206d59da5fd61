"""Health pages, one module per part (see api/__init__.py for the parts)."""
