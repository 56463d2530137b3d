"""Realistic, deterministic demo data (``rapport demo``)."""
