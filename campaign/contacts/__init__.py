"""Media contacts: journalists, the lists they are on, CSV import and export."""
