"""A fake LLM server speaking the real Anthropic and OpenAI wire protocols, for tests without internet.

``tests.fakes.server.FakeLLMServer`` serves both APIs on 127.0.0.1; a stand-in model
(:mod:`tests.fakes.model`) answers the bristlenose prompts plausibly, and scenario controls
(:mod:`tests.fakes.scenario`) inject credit, rate-limit, server and answer faults and count calls.
"""
