"""Press PDFs: rendering statements through `press/`, caching the bytes, large renders as jobs."""
