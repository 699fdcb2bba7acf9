"""CSV import of contacts: read, map columns, preview, then write everything or nothing."""
