"""Rapport's data layer: models, database setup, queries, reports, import/export.

Nothing in this package imports textual or rich; the TUI and the command line both
call into it, so a number can never differ between the two.
"""
