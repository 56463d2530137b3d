"""Two-way calendar sync (README.md#command-line): one reconciliation engine (``engine``), two transports
(``transports``: a vdir folder, a CalDAV collection), Rapport's side (``local``) and what a
calendar change does to Rapport (``pull``). No textual here."""
