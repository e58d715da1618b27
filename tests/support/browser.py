"""Debian's chromium driven by playwright: the report is checked in the browser people open it in.

playwright's own browser downloads are never used (the network is closed): the system
``chromium`` is launched headless with background networking off, so the only requests a
page makes are its own. A missing chromium fails the tests with a message saying how to
install it; the report's browser behaviour is never skipped silently.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Request,
    sync_playwright,
)

from bristlenose.report import report_filename
from tests.support.study import Study

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)
SERIOUS = frozenset({"serious", "critical"})


@contextmanager
def chromium() -> Iterator[Browser]:
    """The system chromium, headless; fails (never skips) when it is not installed."""
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} not found: the report's browser tests need Debian's chromium "
                    "(apt-get install chromium; scripts/test.sh installs it when run as root)", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Watched:
    """A page with everything it logged as an error and every URL it requested."""

    page: Page
    context: BrowserContext
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def close(self) -> None:
        """Close the page's context (and with it its storage)."""
        self.context.close()


def open_page(browser: Browser, url: str, **options: Any) -> Watched:
    """``url`` in a fresh context (own localStorage), recording console errors and requests."""
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
    watched = Watched(page=context.new_page(), context=context)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            watched.errors.append(message.text)

    def on_request(request: Request) -> None:
        watched.requests.append(request.url)

    watched.page.on("console", on_console)
    watched.page.on("pageerror", lambda error: watched.errors.append(str(error)))
    context.on("request", on_request)
    watched.page.goto(url)
    return watched


def build_report(study: Study) -> Path:
    """Analyse ``study`` with the real ``doit`` and the offline analyser; the report's path."""
    run = study.doit(env={"BRISTLENOSE_LLM_PROVIDER": "offline"})
    assert run.returncode == 0, run.stdout + run.stderr
    return study.output / report_filename(study.input.name)


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical accessibility violations on the page, one line each."""
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — " + ", ".join(str(n["target"]) for n in v["nodes"][:5])
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]

