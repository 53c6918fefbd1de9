"""Benchmarks: the shipped recipe beside the tutorial's two recipes and an n-gram baseline.

Run `python -m benchmarks.run --data PATH`; it writes BENCHMARKS.md at the repository root.
"""
