"""The doit side of bristlenose: the only layer that knows doit and files.

``dodo.py`` files call :func:`bristlenose.pipeline.dodo.pipeline_namespace`; everything else
here serves the tasks it creates.
"""
