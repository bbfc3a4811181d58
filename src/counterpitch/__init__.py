"""Counterpitch: screen professional-network approaches for hostile-state recruitment, offline."""

__version__ = "0.1.0"
