"""The benchmark (`linli bench`, `make bench`): every page, the ledger, the import and an HTTP load, each against its floor.

See docs/performance.md for the method and the latest figures.
"""
