"""Analysis stages: pure functions from models to models.

They know nothing of doit or files; each asks its provider one structured question and
checks the answer against its input (verbatim quotes, real segment and quote ids).
"""
