"""Why an input folder cannot be turned into sessions at all (as opposed to one bad file)."""


class IngestError(Exception):
    """The study cannot be listed; the message says what to fix."""


class RegistryError(IngestError):
    """The persisted session ids cannot be trusted; renumbering silently would mix up sessions."""
