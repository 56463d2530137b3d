"""Exchange formats: CSV and JSON import/export, iCalendar, vCard, vdir folders, and output files."""
