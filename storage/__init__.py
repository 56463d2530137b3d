"""Rapport's data layer. Nothing in this package imports textual or rich; the TUI and the
command line both call into it, so a number can never differ between the two.

Its folders show the architecture (docs/storage.md):

- ``storage/`` itself: what everything shares and that needs no database: errors, limits,
  date parsing, time zones, stage kinds, the config file's keys (``settings``), and the two
  modules that tie a session together (``config``: the config file and the current employee;
  ``context``: what every command and screen needs to know).
- ``db/``: the database: opening it by URL, the models, the schema and its migrations, backend
  differences, faults and retries, live change notices, bulk writes, and the derived data the
  database keeps in step itself (sale cycles and their stored table, the search index).
- ``records/``: the records users edit (customers, contacts, conversations, bookings,
  employees, drafts, the maintained pick lists) and the queries the lists are paged from.
- ``reporting/``: reports and what they are computed over: follow-ups, statistics, the
  pipeline, losing touch, the agenda, full-text search.
- ``exchange/``: what goes in and out: CSV and JSON, iCalendar, vCard, vdir folders, output
  files, backups and copies to another database.
- ``sync/``: two-way sync with a CalDAV server or a vdir folder.
- ``sample/``: the demo data.

Imports go downwards (screens and commands → reporting/exchange/sync → records → db → the
shared modules), with two named exceptions: ``config`` reads the current employee from the
database, and a schema upgrade (``db/migrations``) first makes a backup (``exchange/backup``).
No module imports another that imports it back (tests/test_import_graph.py).
"""
