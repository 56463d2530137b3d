"""Two-way calendar sync (SPEC §7b): one reconciliation engine (``engine``), two transports
(``transports``: a vdir folder, a CalDAV collection), Rapport's side (``local``) and what a
calendar change does to Rapport (``pull``). No textual here."""
