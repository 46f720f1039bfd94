"""Reporting's reads turned into reports: volume, productivity, the board's tertial report, charts."""
