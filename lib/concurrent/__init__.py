"""concurrent — a package for concurrent execution (only concurrent.futures).

Invariant: empty, as CPython's Lib/concurrent/__init__.py.
"""
