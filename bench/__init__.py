"""Benchmarks of Freelancer Desk: run with ``python -m bench``."""
