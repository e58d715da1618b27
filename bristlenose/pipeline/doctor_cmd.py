"""``doit doctor``: preflight checks of a study before a run — reads and checks, runs nothing.

A doit command plugin, loaded like ``doit status`` (registered under ``[COMMAND]`` in doit.cfg /
``[tool.doit.plugins.command]`` in pyproject.toml), so ``doit doctor input=PATH`` checks that
study. One line per check (✓ ok, ⚠ warning, ✗ failed); exit 0 when nothing failed, 1 when
something did. The only write is a temporary file in ``.bristlenose/``, removed at once; the
only network call is one ``models.list()`` with ``--check-key``. The API key is never printed.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from doit.cmd_base import DoitCmdBase
from doit.exceptions import InvalidCommand

from bristlenose.pipeline.context import RunContext, active
from bristlenose.pipeline.status_cmd import opt_json
from bristlenose.ingest import IngestError, discover, nothing_to_analyse
from bristlenose.llm import ProviderError, UnknownProviderError, get_provider
from bristlenose.llm.remote import RemoteProvider
from bristlenose.transcribe import ModelUnavailable, WhisperOptions
from bristlenose.transcribe.model import resolve

MIB = 1024 * 1024
DISK_FAIL_BYTES = 100 * MIB
"""Below this a run cannot finish: targets, the report and doit's SQLite state need room to be
written atomically (a temp copy beside each file), and SQLite fails hard on a full disk."""
DISK_WARN_BYTES = 1024 * MIB
"""Below this a large study (many sessions, long transcripts, logs) may run out part-way."""

Status = Literal["ok", "warn", "fail"]
GLYPHS: dict[str, str] = {"ok": "✓", "warn": "⚠", "fail": "✗"}

opt_check_key = {
    "name": "check_key",
    "short": "",
    "long": "check-key",
    "type": bool,
    "default": False,
    "help": "also ask the provider's API whether the key is valid (one models.list() call, no tokens)",
}


@dataclass(frozen=True)
class Check:
    """One check's outcome: what was checked, ok/warn/fail, and a plain explanation."""

    name: str
    status: Status
    detail: str


class Doctor(DoitCmdBase):
    """Check the input, output folder, disk space and analysis provider before a run."""

    doc_purpose = "check the study, output folder, disk space and provider before a run (runs nothing)"
    doc_usage = "[--check-key] [--json]"
    doc_description = ("One line per check: ✓ ok, ⚠ warning, ✗ failed. Exit 0 when nothing failed, 1 otherwise.\n"
                       "--check-key also asks the provider's API whether the key is accepted.")
    cmd_options = (opt_check_key, {**opt_json, "help": "print the checks as JSON (for scripts)"})

    def execute(self, params: Any, args: list[str]) -> int:
        """Load the dodo like ``doit status``; a study that cannot load (no input folder, a bad
        setting, no backend) is a failed check rather than doit's usage error."""
        try:
            return super().execute(params, args)
        except InvalidCommand as exc:
            message = str(exc)
            name = "input" if message.startswith("input folder") else "settings"
            return self._report([Check(name, "fail", message)], bool(params.get("as_json")))

    def _execute(self, check_key: bool = False, as_json: bool = False) -> int:
        try:
            ctx = active()
            if ctx is None:
                raise InvalidCommand("the dodo file did not load a bristlenose study (no run context)")
            return self._report(run_checks(ctx, check_key), as_json)
        finally:
            self.dep_manager.close()

    def _report(self, checks: list[Check], as_json: bool) -> int:
        ok = not any(check.status == "fail" for check in checks)
        if as_json:
            self.outstream.write(json.dumps({"ok": ok, "checks": [asdict(c) for c in checks]}, indent=1) + "\n")
        else:
            self.outstream.write(format_checks(checks))
        return 0 if ok else 1


def format_checks(checks: list[Check]) -> str:
    """`` ✓ input     4 sessions in …``: one line per check."""
    width = max((len(check.name) for check in checks), default=0)
    return "".join(f" {GLYPHS[c.status]} {c.name.ljust(width)}  {c.detail}\n" for c in checks)


def run_checks(ctx: RunContext, check_key: bool = False) -> list[Check]:
    """Every check, in the order a user fixes things: input, output, disk, provider, key."""
    checks = input_checks(ctx)
    checks.append(writable_check(ctx.layout.state_dir))
    checks.append(disk_check(ctx.layout.output_dir))
    checks.extend(provider_checks(ctx, check_key))
    return checks


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def input_checks(ctx: RunContext) -> list[Check]:
    """The input folder's sessions (and skipped files), and the sessions that are recordings only."""
    folder = ctx.settings.input
    try:
        found = discover(folder, ctx.layout.output_dir)
    except (IngestError, OSError) as exc:
        return [Check("input", "fail", str(exc))]
    with_transcript = [group for group in found.groups if group.transcript is not None]
    media_only = len(found.groups) - len(with_transcript)
    skipped = f" ({_plural(len(found.skipped), 'file')} skipped)" if found.skipped else ""
    if not found.groups:
        return [Check("input", "fail", nothing_to_analyse(folder, found.skipped))]
    recordings = f", {media_only} of them recordings only" if media_only else ""
    checks = [Check("input", "ok", f"{_plural(len(found.groups), 'session')} in {folder}{recordings}{skipped}")]
    if media_only:
        checks.append(whisper_check(ctx.whisper))
    return checks


def whisper_check(options: WhisperOptions) -> Check:
    """Recordings need a Whisper model that is on this machine; say which one and where."""
    try:
        folder, device, compute = resolve(options.model, options.device, options.compute_type)
    except ModelUnavailable as exc:
        return Check("whisper", "fail", str(exc))
    return Check("whisper", "ok", f"{options.model} from {folder} on {device} ({compute})")


def writable_check(state_dir: Path) -> Check:
    """Create and remove a temporary file in ``.bristlenose/``."""
    try:
        state_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=state_dir, prefix=".doctor-", delete=True) as probe:
            probe.write(b"ok")
            probe.flush()
    except OSError as exc:
        return Check("output", "fail", f"cannot write in {state_dir}: {exc.strerror or exc}")
    return Check("output", "ok", f"{state_dir.parent} is writable")


def disk_check(output_dir: Path) -> Check:
    """Free space on the output folder's filesystem (its nearest existing ancestor)."""
    where = output_dir
    while not where.exists() and where != where.parent:
        where = where.parent
    try:
        free = shutil.disk_usage(where).free
    except OSError as exc:
        return Check("disk", "fail", f"cannot read free space of {where}: {exc.strerror or exc}")
    amount = f"{free / MIB:,.0f} MiB free" if free < DISK_WARN_BYTES else f"{free / (1024 * MIB):,.1f} GiB free"
    if free < DISK_FAIL_BYTES:
        return Check("disk", "fail", f"{amount}; a run needs at least {DISK_FAIL_BYTES // MIB} MiB")
    if free < DISK_WARN_BYTES:
        return Check("disk", "warn", f"{amount}; a large study may run out (under {DISK_WARN_BYTES // MIB} MiB)")
    return Check("disk", "ok", amount)


def key_variable(provider: str) -> str:
    """The environment variable that holds a provider's API key (``ANTHROPIC_API_KEY``)."""
    return f"{provider.upper()}_API_KEY"


def provider_checks(ctx: RunContext, check_key: bool) -> list[Check]:
    """Which provider analyses (what ``auto`` resolves to), whether its key is set and, with
    ``check_key``, whether its API accepts the key."""
    settings = ctx.settings
    name = settings.resolved_provider()
    if name == "offline":
        why = "no API key set" if settings.llm_provider == "auto" else "llm_provider=offline"
        return [Check("provider", "ok", f"offline analyser ({why})")]
    try:
        provider = get_provider(settings)
    except (UnknownProviderError, ProviderError) as exc:
        return [Check("provider", "fail", str(exc))]
    auto = " (auto: its API key is set)" if settings.llm_provider == "auto" else ""
    checks = [Check("provider", "ok", f"{provider.name} ({provider.model}){auto}")]
    if not isinstance(provider, RemoteProvider):
        return checks
    base_url = getattr(settings, f"{provider.name}_base_url")
    if provider.has_key():
        key = Check("api key", "ok", f"{key_variable(provider.name)} is set"
                    + ("" if check_key else " (not tried; --check-key asks the API)"))
    elif provider.name == "openai" and base_url:
        key = Check("api key", "ok", f"none set; none needed for the server at {base_url}")
    else:
        return [*checks, Check("api key", "fail", f"no {provider.label} API key: set {key_variable(provider.name)} "
                                                  f"(or BRISTLENOSE_{key_variable(provider.name)})")]
    if check_key:
        try:
            provider.check_key()
        except ProviderError as exc:
            key = Check("api key", "fail", str(exc))
        except ImportError as exc:
            key = Check("api key", "fail", f"the {provider.label} SDK is not installed ({exc.name})")
        else:
            key = Check("api key", "ok", f"{key_variable(provider.name)} accepted by {provider.label}")
    return [*checks, key]
