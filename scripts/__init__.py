"""Repository scripts; importable so the tests read the sample scripts with the same parser."""
