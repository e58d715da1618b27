"""doit entry point of the bristlenose repository: `doit` analyses ``sample_data/``.

Pick another study with ``doit input=PATH [output=PATH]``; see the README for every setting.
"""

from pathlib import Path

from bristlenose.pipeline.dodo import pipeline_namespace

globals().update(pipeline_namespace(default_input=Path(__file__).resolve().parent / "sample_data"))
