"""Optional PII redaction: personal data in transcripts replaced by typed placeholders
(``[NAME]``, ``[EMAIL]`` …) before any text reaches an LLM provider or the report.

Pure functions over transcript models (``redact.py``); Presidio's analyzer and anonymizer
do the finding and replacing (``detect.py``), with bristlenose's own recognisers for names
(``names.py``) and for shapes Presidio has no recogniser for (``patterns.py``). Nothing here
is imported until redaction is on: loading spaCy takes seconds.
"""
