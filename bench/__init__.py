"""Benchmarks at the city's real volume (issue 9).

- ``volume``: fills PostgreSQL with years of data at the seeds' scale (``manage.py generate_volume``).
- ``runner``: measures the product against raw PostgreSQL on the same machine (``manage.py bench``).
- ``ensure_db``: creates the benchmark database when it is missing (``make bench``).

Benchmarks print figures and write ``bench/results.md``; they are not tests and never fail the suite.
"""
