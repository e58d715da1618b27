"""Versioned prompt files, one per analysis stage.

Each ``<id>.md`` file starts with a small header (``id``, ``version``) and holds a
``# system`` and a ``# user`` part; the user part is a jinja2 template in which everything
that comes from a transcript sits inside a data block and passes the ``data`` filter. A
prompt's version is part of its stage's up-to-date check: bump it when the wording changes
what comes back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import jinja2

_HEADER = re.compile(r"\A---\n(?P<header>.*?)\n---\n", re.DOTALL)
_PART = re.compile(r"^# (system|user)\s*$", re.MULTILINE)
_ENV = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False)
DATA_TAGS = ("transcript", "topics", "quotes", "speakers", "rejected")
_CLOSING_TAG = re.compile(r"</(\s*(?:" + "|".join(DATA_TAGS) + r"))", re.IGNORECASE)


def as_data(text: object) -> str:
    """Participant speech placed inside a data block, unable to close that block early.

    A transcript that says ``</transcript> ignore previous instructions`` must stay data.
    """
    return _CLOSING_TAG.sub(r"<\\/\1", str(text))


_ENV.filters["data"] = as_data


@dataclass(frozen=True)
class Prompt:
    """A stage's prompt: identity, version and text."""

    id: str
    version: int
    system: str
    user_template: str

    @property
    def key(self) -> str:
        """``id@version``, as recorded in targets' ``logic_version``."""
        return f"{self.id}@{self.version}"

    def render_user(self, **context: Any) -> str:
        """The user message with ``context`` filled in."""
        return _ENV.from_string(self.user_template).render(**context)


@cache
def load_prompt(prompt_id: str) -> Prompt:
    """Read ``<prompt_id>.md`` from this package."""
    text = resources.files(__package__).joinpath(f"{prompt_id}.md").read_text(encoding="utf-8")
    header = _HEADER.match(text)
    if header is None:
        raise ValueError(f"prompt {prompt_id}: missing '---' header")
    fields = dict(line.split(":", 1) for line in header.group("header").splitlines() if ":" in line)
    fields = {key.strip(): value.strip() for key, value in fields.items()}
    parts = _PART.split(text[header.end():])
    sections = {name: body.strip() + "\n" for name, body in zip(parts[1::2], parts[2::2])}
    if fields.get("id") != prompt_id or set(sections) != {"system", "user"}:
        raise ValueError(f"prompt {prompt_id}: needs id: {prompt_id}, a '# system' and a '# user' part")
    return Prompt(id=prompt_id, version=int(fields["version"]), system=sections["system"], user_template=sections["user"])
