"""bristlenose: turn a folder of user-research interviews into an analysed report.

The package is layered so that data flows one way:
``ingest``/``parsers`` → ``analysis`` (pure stages, via an ``llm`` provider) → ``report``;
only ``build`` knows about doit and files.
"""

__version__ = "0.1.0"
