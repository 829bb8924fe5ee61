"""planwatch: a plan outline becomes a checked record of its targets, evaluated year by year.

The data flows one way: ingest → store → observe → evaluate → report / serve.
"""

__version__ = "0.1.0"
