"""Reports and what they are computed from: follow-ups, statistics, the pipeline and its stored sale
cycles, losing touch, the agenda and full-text search (docs/reports.md)."""
