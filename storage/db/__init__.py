"""The database: opening it by URL, the schema and its migrations, backend differences, faults and
retries, live change notices, bulk writes, backup and copy."""
