"""The fake LLM server: both wire protocols on one local port, answered by the stand-in model.

In tests::

    with FakeLLMServer() as server:
        client = anthropic.Anthropic(api_key="test", base_url=server.anthropic_url)
        server.inject("rate_limit", task="quotes", session="s2")
        ...
        assert server.counts()["quotes:s2"] == 1

Standalone (for benchmarks), serving until SIGTERM after printing ``PORT=<n>``::

    python -m tests.fakes.server --port 0 --latency 1.0 [--control scenario.json] [--log calls.jsonl]
"""

from __future__ import annotations

import argparse
import json
import signal
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

from typing_extensions import Self

from tests.fakes import model, prompt
from tests.fakes.scenario import MISBEHAVIOURS, Call, Scenario
from tests.fakes.wire import MODELS_PATH, MODELS_TASK, PROTOCOLS, RETRYABLE, InvalidRequest, Protocol, Response

_ERRORS = RETRYABLE | {"credit", "auth"}
"""Outcomes answered with an HTTP error rather than an answer."""
MODEL_NAMES = ("claude-sonnet-4-6", "gpt-5.4-mini")
"""What ``GET /v1/models`` lists."""
_NOT_FOUND = Response(404, {"type": "error", "error": {"type": "not_found_error", "message": "Not Found"}})


class FakeLLMServer(Scenario):
    """A local server answering ``POST /v1/messages``, ``POST /v1/chat/completions`` and ``GET /v1/models``.

    Scenario controls (:class:`~tests.fakes.scenario.Scenario`) are methods of the server;
    it serves from a daemon thread between :meth:`start` and :meth:`stop` (or ``with``).
    """

    def __init__(self, latency: float = 0.0, log_path: str | Path | None = None, port: int = 0) -> None:
        super().__init__(latency=latency, log_path=log_path)
        self._requested_port = port
        self._httpd: _HTTPServer | None = None
        self._bodies: list[bytes] = []

    @property
    def bodies(self) -> list[bytes]:
        """Every request body received, as sent: what a provider would have seen."""
        with self._lock:
            return list(self._bodies)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()

    def start(self) -> Self:
        """Listen on 127.0.0.1 (port 0: any free port) and serve in a daemon thread."""
        self._httpd = _HTTPServer(("127.0.0.1", self._requested_port), _Handler, self)
        threading.Thread(target=self._httpd.serve_forever, args=(0.05,), name="fake-llm-server", daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    @property
    def port(self) -> int:
        """The port listened on."""
        if self._httpd is None:
            raise RuntimeError("the fake LLM server is not running")
        return self._httpd.server_address[1]

    @property
    def anthropic_url(self) -> str:
        """``base_url`` for ``anthropic.Anthropic``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def openai_url(self) -> str:
        """``base_url`` for ``openai.OpenAI``."""
        return f"http://127.0.0.1:{self.port}/v1"

    def handle(self, path: str, raw: bytes) -> Response:
        """Answer one request body posted to ``path``, and record the call."""
        with self._lock:
            self._bodies.append(raw)
        protocol = PROTOCOLS.get(path.split("?", 1)[0])
        if protocol is None:
            return _NOT_FOUND
        try:
            request = protocol.read(json.loads(raw or b"null"))
        except (ValueError, InvalidRequest) as exc:
            return self._refuse(protocol, "", str(exc))
        task = request.task
        if task not in model.TASKS:
            return self._refuse(protocol, task, f"the fake model does not know the task {task!r}")
        message = prompt.read(request.user)
        outcome = self.plan(task, message.session, len(message.segments), model.hijacked(message))
        if outcome in _ERRORS:
            self.record(Call(protocol.endpoint, task, message.session, outcome))
            return protocol.error(outcome)
        arguments = _arguments(outcome, task, message)
        json_text = json.dumps(arguments)
        tokens_in, tokens_out = _tokens(raw), _tokens(json_text)
        if request.max_tokens is not None and tokens_out > request.max_tokens:
            outcome = "truncate"
        if outcome == "truncate":
            tokens_out = request.max_tokens or tokens_out
        self.record(Call(protocol.endpoint, task, message.session, outcome, tokens_in, tokens_out))
        return protocol.answer(request, arguments, json_text, outcome == "truncate", tokens_in, tokens_out)

    def list_models(self, path: str, anthropic: bool) -> Response:
        """Answer ``GET /v1/models`` in Anthropic's shape (``anthropic``) or OpenAI's, and record the
        call (task ``models``); an injected ``auth`` or retryable fault answers with that error."""
        if path.split("?", 1)[0] != MODELS_PATH:
            return _NOT_FOUND
        protocol = PROTOCOLS["/v1/messages" if anthropic else "/v1/chat/completions"]
        outcome = self.plan_listing(MODELS_TASK)
        self.record(Call(protocol.endpoint, MODELS_TASK, None, outcome if outcome in _ERRORS else "ok"))
        return protocol.error(outcome) if outcome in _ERRORS else protocol.models(MODEL_NAMES)

    def _refuse(self, protocol: Protocol, task: str, reason: str) -> Response:
        self.record(Call(protocol.endpoint, task, None, "bad_request"))
        return protocol.error("bad_request", reason)


def _arguments(outcome: str, task: str, message: prompt.UserMessage) -> dict[str, Any]:
    """The tool input for an answered call with this planned outcome."""
    if outcome == "malformed":
        return model.malformed_answer(task)
    if outcome == "hallucinate":
        return model.hallucinated_answer(task, message)
    if outcome == "hijacked":
        return model.hijacked_answer(task, message)
    if outcome in MISBEHAVIOURS:
        return model.misbehaved_answer(outcome, task, message)
    return model.answer(task, message)


def _tokens(text: str | bytes) -> int:
    """About four characters a token, as the providers bill."""
    return max(1, len(text) // 4)


class _HTTPServer(ThreadingHTTPServer):
    """A threading server that knows its fake, for the handler."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], fake: FakeLLMServer) -> None:
        self.fake = fake
        super().__init__(address, handler)


class _Handler(BaseHTTPRequestHandler):
    """HTTP/1.1 with keep-alive, as the SDKs' connection pools expect; without Nagle's delay, which
    holds the body back 40 ms behind the headers."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _HTTPServer

    def do_POST(self) -> None:
        """A request is counted (billed) when it arrives, as a provider bills it even if the client
        dies before the answer: a test that resets the counts after a kill sees no late arrivals."""
        raw = self.rfile.read(int(self.headers.get("content-length") or 0))
        fake = self.server.fake
        response = fake.handle(self.path, raw)
        if fake.latency > 0:
            time.sleep(fake.latency)
        self._send(response)

    def do_GET(self) -> None:
        fake = self.server.fake
        if fake.latency > 0:
            time.sleep(fake.latency)
        self._send(fake.list_models(self.path, anthropic="anthropic-version" in self.headers))

    def _send(self, response: Response) -> None:
        data = json.dumps(response.body).encode("utf-8")
        self.send_response(response.status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the call log is the record."""


def main(argv: list[str] | None = None) -> None:
    """Serve until SIGTERM or SIGINT; flags override the control file."""
    parser = argparse.ArgumentParser(description="Fake Anthropic/OpenAI server for bristlenose tests.")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (0: any free port)")
    parser.add_argument("--latency", type=float, help="seconds to wait before every answer")
    parser.add_argument("--control", type=Path, help="JSON control file (see Scenario.configure)")
    parser.add_argument("--log", type=Path, help="append every call to this file as a JSON line")
    parser.add_argument("--credit-after", type=int, help="answers before every call is out of credit")
    parser.add_argument("--truncate-above", type=int, help="truncate topics/quotes calls above this many segments")
    args = parser.parse_args(argv)
    server = FakeLLMServer(port=args.port)
    if args.control:
        server.configure(json.loads(args.control.read_text(encoding="utf-8")))
    flags = {"latency": args.latency, "log_path": args.log, "credit_after": args.credit_after,
             "truncate_above": args.truncate_above}
    server.configure({key: value for key, value in flags.items() if value is not None})
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    with server:
        print(f"PORT={server.port}", flush=True)
        stop.wait()


if __name__ == "__main__":
    main()
