"""The speaker-role pass on recordings: names the transcript says, and, where telling the
voices apart was unsure, turns moved to the speaker who said them. The real anthropic and
openai SDKs talk to the fake server on 127.0.0.1 through bristlenose's own providers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bristlenose.analysis.speakers import PROMPT_ID, SpeakersResponse, assign_speaker_roles, prompt_id
from bristlenose.analysis.voices import NamesResponse, TurnMove, VoicesResponse, check_moves, check_names
from bristlenose.llm import AnalysisRequest, Provider, get_provider
from bristlenose.llm.base import ImplausibleAnswer
from bristlenose.llm.errors import MalformedResponse
from bristlenose.llm.offline import OfflineAnalyser
from bristlenose.models import Diarisation, Role, Segment, Speaker, Transcript, Word
from bristlenose.prompts import load_prompt
from bristlenose.settings import Settings
from tests.fakes.server import FakeLLMServer

TURNS = [
    ("Speaker A", "Hi Priya, thanks for coming in. Could you open the payments screen for me?"),
    ("Speaker B", "Sure. I can see my recent payments and a button to"),
    ("Speaker A", "add a new payee right at the top."),
    ("Speaker B", "It looks clear enough, I like that it is near the top."),
    ("Speaker A", "What would you do next?"),
    ("Speaker B", "I would tap it and fill in the details."),
]


@dataclass
class Recorder:
    """A provider that keeps every request it passes on."""

    inner: Provider
    requests: list[AnalysisRequest[Any]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def model(self) -> str:
        return self.inner.model

    def analyze(self, request: AnalysisRequest[Any]) -> Any:
        self.requests.append(request)
        return self.inner.analyze(request)


@pytest.fixture
def server() -> Iterator[FakeLLMServer]:
    with FakeLLMServer() as fake:
        yield fake


def llm(server: FakeLLMServer, tmp_path: Path, name: str = "anthropic") -> Recorder:
    """A provider that asks the fake server every time (no answer journal: these pin the stage)."""
    url = server.anthropic_url if name == "anthropic" else server.openai_url
    settings = Settings(input=tmp_path, llm_provider=name, llm_max_retries=0, llm_journal=False,
                        **{f"{name}_api_key": "sk-test", f"{name}_base_url": url})
    return Recorder(get_provider(settings))


def recording(confidence: float | None, turns: list[tuple[str, str]] = TURNS) -> Transcript:
    """A transcribed recording (``confidence`` None: a transcript file) with timed turns 1 s apart."""
    labels = list(dict.fromkeys(label for label, _ in turns))
    codes = {label: f"p{n}" for n, label in enumerate(labels, start=1)}
    return Transcript(
        session_id="s1", name="interview", sources=[],
        speakers=[Speaker(code=codes[label], label=label, role=Role.PARTICIPANT) for label in labels],
        segments=[Segment(index=n, start=n * 4.0, end=n * 4.0 + 3.5, speaker=codes[label], text=text)
                  for n, (label, text) in enumerate(turns)],
        diarisation=None if confidence is None else Diarisation(method="voice/2", speakers=len(labels),
                                                                confidence=confidence),
    )


@pytest.mark.parametrize("provider", ["anthropic", "openai"])
def test_an_unsure_recording_gets_a_turn_moved_to_who_said_it_and_a_name(
        server: FakeLLMServer, tmp_path: Path, provider: str) -> None:
    result = assign_speaker_roles(recording(0.55), llm(server, tmp_path, provider))
    assert [(s.speaker, s.text) for s in result.segments] == [
        ("m1", TURNS[0][1]),
        ("p1", f"{TURNS[1][1]} {TURNS[2][1]} {TURNS[3][1]}"),
        ("m1", TURNS[4][1]),
        ("p1", TURNS[5][1]),
    ]
    assert [s.index for s in result.segments] == [0, 1, 2, 3]
    assert result.segments[1].start == 4.0 and result.segments[1].end == 15.5
    assert {(s.code, s.label, s.name) for s in result.speakers} == {("m1", "Speaker A", None),
                                                                      ("p1", "Speaker B", "Priya")}
    assert result.note is not None and "gave 1 turn to another speaker" in result.note
    assert server.counts() == {"speakers:s1": 1}


def test_a_sure_recording_is_asked_for_names_but_no_turn_moves(server: FakeLLMServer, tmp_path: Path) -> None:
    provider = llm(server, tmp_path)
    result = assign_speaker_roles(recording(0.95), provider)
    (request,) = provider.requests
    assert request.response_model is NamesResponse
    assert "wrong speaker key" not in request.user
    assert [s.text for s in result.segments] == [text for _, text in TURNS]
    assert result.speaker("p1") is not None and result.speaker("p1").name == "Priya"  # type: ignore[union-attr]


def test_sessions_without_doubt_about_voices_are_asked_exactly_as_before(server: FakeLLMServer,
                                                                       tmp_path: Path) -> None:
    named = [("Dana" if label == "Speaker A" else "Priya", text) for label, text in TURNS]
    for transcript in (recording(None, named), recording(0.95, named), recording(None)):
        assert prompt_id(transcript) == PROMPT_ID
        provider = llm(server, tmp_path)
        assign_speaker_roles(transcript, provider)
        (request,) = provider.requests
        assert request.system == load_prompt(PROMPT_ID).system
        assert request.response_model is SpeakersResponse
        assert "<speakers>" in request.user and "wrong speaker key" not in request.user


def test_a_speaker_with_a_name_from_the_file_keeps_it(server: FakeLLMServer, tmp_path: Path) -> None:
    turns = [("Dana" if label == "Speaker A" else label, text) for label, text in TURNS]
    result = assign_speaker_roles(recording(0.5, turns), llm(server, tmp_path))
    moderator = next(s for s in result.speakers if s.role is Role.MODERATOR)
    assert (moderator.label, moderator.name) == ("Dana", None)


@pytest.mark.parametrize("fault", ["every_boundary", "invented_name", "unknown_ids"])
def test_implausible_voice_answers_are_asked_again_once_then_fail(server: FakeLLMServer, tmp_path: Path,
                                                                  fault: str) -> None:
    server.inject(fault, task="speakers", times=1)
    assign_speaker_roles(recording(0.5), llm(server, tmp_path))
    assert server.counts(None) == {"speakers:s1": 2}
    server.inject(fault, task="speakers", times=2)
    with pytest.raises(MalformedResponse, match="implausible speakers answer"):
        assign_speaker_roles(recording(0.5), llm(server, tmp_path))


def test_the_offline_analyser_keeps_every_turn_where_it_is() -> None:
    transcript = recording(0.4)
    result = assign_speaker_roles(transcript, OfflineAnalyser())
    assert [s.text for s in result.segments] == [s.text for s in transcript.segments]
    assert all(s.name is None for s in result.speakers)


SHOWN = recording(0.5).segments
KEY_OF = {"p1": "A", "p2": "B"}


@pytest.mark.parametrize(("moves", "says"), [
    ([TurnMove(turn=99, speaker="B")], "turns not in the prompt"),
    ([TurnMove(turn=2, speaker="C")], "speakers not in the prompt"),
    ([TurnMove(turn=2, speaker="B"), TurnMove(turn=2, speaker="A")], "moved twice"),
])
def test_moves_of_turns_not_shown_or_to_speakers_not_listed_are_implausible(moves: list[TurnMove],
                                                                           says: str) -> None:
    with pytest.raises(ImplausibleAnswer, match=says):
        check_moves(moves, {"A", "B"}, SHOWN, KEY_OF)


def test_moving_most_of_the_turns_shown_is_implausible() -> None:
    shown = [s.model_copy(update={"index": n}) for n, s in enumerate(SHOWN * 2)]
    other = {"A": "B", "B": "A"}
    moves = [TurnMove(turn=s.index, speaker=other[KEY_OF[s.speaker]]) for s in shown]
    check_moves(moves[:6], {"A", "B"}, shown, KEY_OF)
    with pytest.raises(ImplausibleAnswer, match="7 of the 12 turns shown moved"):
        check_moves(moves[:7], {"A", "B"}, shown, KEY_OF)


def test_a_few_moves_and_names_written_in_the_transcript_are_plausible() -> None:
    check_moves([TurnMove(turn=2, speaker="B"), TurnMove(turn=0, speaker="A")], {"A", "B"}, SHOWN, KEY_OF)
    answer = VoicesResponse.model_validate({"speakers": [{"speaker": "B", "role": "participant", "name": "priya"}]})
    check_names(answer.speakers, SHOWN)
    with pytest.raises(ImplausibleAnswer, match="not in the transcript"):
        check_names(NamesResponse.model_validate(
            {"speakers": [{"speaker": "B", "role": "participant", "name": "Pri"}]}).speakers, SHOWN)
    with pytest.raises(ImplausibleAnswer, match="same name"):
        check_names(NamesResponse.model_validate({"speakers": [
            {"speaker": "A", "role": "moderator", "name": "Priya"},
            {"speaker": "B", "role": "participant", "name": "Priya"}]}).speakers, SHOWN)


def test_a_name_another_speaker_is_labelled_by_is_not_given_twice(server: FakeLLMServer, tmp_path: Path) -> None:
    turns = [("Dana", "Hello, could you open the payments screen?"), ("Speaker B", "I'm Dana too, funnily enough."),
             ("Dana", "What do you see there?"), ("Speaker B", "A list of payments.")]
    result = assign_speaker_roles(recording(0.9, turns), llm(server, tmp_path))
    assert {s.label: s.name for s in result.speakers} == {"Dana": None, "Speaker B": None}


def test_a_question_run_on_after_an_answer_is_cut_off_and_given_to_the_one_who_asked(
        server: FakeLLMServer, tmp_path: Path) -> None:
    turns = [("Speaker A", "Could you open the payments screen?"),
             ("Speaker B", "Sure, I can see my payments. What would you do next?"),
             ("Speaker B", "I would tap add and fill in the details.")]
    transcript = recording(0.6, turns)
    answer_words = [" Sure,", " I", " can", " see", " my", " payments.", " What", " would", " you", " do", " next?"]
    segment = transcript.segments[1]
    words = [Word(start=segment.start + 0.3 * n, end=segment.start + 0.3 * n + 0.25, text=text, probability=0.9)
             for n, text in enumerate(answer_words)]
    transcript.segments[1] = segment.model_copy(update={"words": words})
    transcript.segments[2] = transcript.segments[2].model_copy(update={"start": 12.0, "end": 14.0})
    result = assign_speaker_roles(transcript, llm(server, tmp_path))
    assert [(s.speaker, s.text) for s in result.segments] == [
        ("m1", "Could you open the payments screen?"),
        ("p1", "Sure, I can see my payments."),
        ("m1", "What would you do next?"),
        ("p1", "I would tap add and fill in the details."),
    ]
    asked = result.segments[2]
    assert asked.start == words[6].start and [w.text for w in asked.words] == answer_words[6:]
    assert result.segments[1].end == words[6].start and len(result.segments[1].words) == 6


def test_words_to_move_that_do_not_start_a_word_of_the_turn_are_implausible() -> None:
    check_moves([TurnMove(turn=1, speaker="A", from_words="recent payments")], {"A", "B"}, SHOWN, KEY_OF)
    with pytest.raises(ImplausibleAnswer, match="words to move not in turn 1"):
        check_moves([TurnMove(turn=1, speaker="A", from_words="ecent payments")], {"A", "B"}, SHOWN, KEY_OF)
