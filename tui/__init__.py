"""Rapport's front ends: the Textual app and the command line.

Importing this package must not import textual: the command-line reports stay fast.
"""
