"""JSON targets: a stage's model plus its ``_meta`` record, validated on write and read."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bristlenose.pipeline import fingerprint
from bristlenose.pipeline.atomic import write_text_atomic
from bristlenose.models import OutputMeta

M = TypeVar("M", bound=BaseModel)
META_KEY = "_meta"


class TargetError(Exception):
    """A target is missing, unreadable or not what its stage writes."""


def dump_target(meta: OutputMeta, payload: BaseModel) -> str:
    """The JSON text of a target: ``_meta`` first, then the payload's fields."""
    body = {META_KEY: meta.model_dump(mode="json"), **payload.model_dump(mode="json")}
    return json.dumps(body, ensure_ascii=False, indent=1) + "\n"


def write_target(path: Path, meta: OutputMeta, payload: BaseModel) -> None:
    """Validate, then write atomically. A target that would not read back is never written."""
    text = dump_target(meta, payload)
    parse_target(text, type(payload), path)
    write_text_atomic(path, text)


def read_target(path: Path, model: type[M]) -> tuple[OutputMeta, M]:
    """(meta, payload) of a target, or :class:`TargetError` saying what is wrong."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise TargetError(f"{path} is missing") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise TargetError(f"{path} cannot be read: {exc}") from exc
    return parse_target(text, model, path)


def read_meta(path: Path) -> OutputMeta:
    """Only the ``_meta`` record of a target (who made it), or :class:`TargetError`."""
    try:
        return OutputMeta.model_validate(json.loads(path.read_text(encoding="utf-8"))[META_KEY])
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, ValidationError) as exc:
        raise TargetError(f"{path} has no valid _meta: {exc}") from exc


def read_payload(path: Path, model: type[M]) -> M:
    """The payload of a target, for stages that consume it."""
    return read_target(path, model)[1]


def parse_target(text: str, model: type[M], path: Path) -> tuple[OutputMeta, M]:
    """Parse and validate target text."""
    try:
        body = json.loads(text)
        meta = OutputMeta.model_validate(body.pop(META_KEY))
        return meta, model.model_validate(body)
    except (ValueError, KeyError, TypeError, AttributeError, ValidationError) as exc:
        raise TargetError(f"{path} is not a valid {model.__name__} target: {exc}") from exc


def file_digest(path: Path) -> str:
    """SHA-256 of a file's content (big files through the fingerprint cache)."""
    return fingerprint.digests(path).sha256


def input_hash(paths: list[Path]) -> str:
    """One digest over the content of a stage's inputs, in the order given."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode("utf-8") + b"\0" + file_digest(path).encode("ascii") + b"\n")
    return digest.hexdigest()


def stat_signature(path: Path) -> list[int]:
    """(size, mtime_ns): changes whenever the file is rewritten or edited."""
    info = os.stat(path)
    return [info.st_size, info.st_mtime_ns]


def recorded_values(meta: OutputMeta, path: Path) -> dict[str, Any]:
    """What the dependency state keeps of a written target (``doit info``, the up-to-date check)."""
    usage: dict[str, Any] = {}
    if meta.calls or meta.cached:
        usage = {"calls": meta.calls, "tokens_in": meta.tokens_in, "tokens_out": meta.tokens_out,
                 "cost_usd": meta.cost_usd, "price_table": meta.price_table}
        if meta.cached:
            usage["cached"] = meta.cached
    return {"provider": meta.provider, "model": meta.model, "logic_version": meta.logic_version,
            "completed_at": meta.completed_at.isoformat(timespec="seconds"), "target": stat_signature(path), **usage}
