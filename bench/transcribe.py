"""Benchmark transcription: speed, model load, memory, and overlap with analysis.

1. Real-time factor (audio seconds per wall second) of faster-whisper on the bundled
   ``tiny.en``, with 1 and 2 CPU threads, for the sample interview (``interview-05.mp3``)
   and a 10-minute recording made from it; with model load time and the peak memory of the
   process. Each case runs in a fresh process so load time and peak memory are its own.
2. Overlap: a study of the four sample transcripts plus four recordings, analysed with the
   Anthropic provider against the fake server (1 s per call). The wall time of one ``doit``,
   where transcription of later recordings overlaps analysis of earlier sessions, against
   ``doit transcript`` followed by ``doit`` (the same work, one after the other).
3. No-op runs after touching a 1 GiB recording: the first reads it once, the next do not.

Run from the repository: ``python bench/transcribe.py [--device cpu|cuda] [--skip-overlap]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.fakes.server import FakeLLMServer
from tests.support.study import outside_env

SAMPLE = REPO / "sample_data"
CHILD = """
import json, resource, sys, time
from pathlib import Path
from bristlenose.transcribe import WhisperOptions, load_model, recognise
options = WhisperOptions(device=sys.argv[2], cpu_threads=int(sys.argv[3]))
start = time.perf_counter(); load_model(options); loaded = time.perf_counter() - start
start = time.perf_counter(); found = recognise(Path(sys.argv[1]), "bench", options)
took = time.perf_counter() - start
print(json.dumps({"load": loaded, "seconds": took, "audio": found.duration,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def long_recording(folder: Path, minutes: float) -> Path:
    """A WAV of the sample interview repeated to ``minutes`` (16 kHz mono)."""
    from bristlenose.transcribe.media import SAMPLE_RATE, load_audio

    audio, _ = load_audio(SAMPLE / "interview-05.mp3", "interview-05.mp3")
    samples = (audio * 32767).astype("<i2").tobytes()
    wanted = int(minutes * 60 * SAMPLE_RATE) * 2
    path = folder / f"interview-{minutes:g}min.wav"
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(SAMPLE_RATE)
        handle.writeframes((samples * (wanted // len(samples) + 1))[:wanted])
    return path


def speed(recording: Path, device: str, threads: int) -> dict[str, float]:
    """One transcription in a fresh process."""
    proc = subprocess.run([sys.executable, "-c", CHILD, str(recording), device, str(threads)], cwd=REPO,
                          capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run_doit(study: Path, output: Path, server: FakeLLMServer, *targets: str) -> float:
    """Seconds of one ``doit`` run with the Anthropic provider on the fake server."""
    env = outside_env()
    env.update({"BRISTLENOSE_LLM_PROVIDER": "anthropic", "ANTHROPIC_API_KEY": "bench",
                "ANTHROPIC_BASE_URL": server.anthropic_url, "BRISTLENOSE_CONCURRENCY": "4"})
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "doit", "-v", "0", *targets, f"input={study}", f"output={output}"],
                   cwd=REPO, env=env, capture_output=True, text=True, check=True)
    return time.perf_counter() - start


def overlap(root: Path) -> None:
    study = root / "study"
    study.mkdir()
    for path in SAMPLE.iterdir():
        if path.suffix in (".vtt", ".srt", ".docx", ".txt"):
            shutil.copy(path, study / path.name)
    for copy in ("a", "b"):
        shutil.copy(SAMPLE / "interview-05.mp3", study / f"recording-{copy}.mp3")
        shutil.copy(SAMPLE / "interview-06.webm", study / f"recording-{copy}.webm")
    with FakeLLMServer(latency=1.0) as server:
        together = run_doit(study, root / "together", server)
        transcribe = run_doit(study, root / "apart", server, "transcript")
        analyse = run_doit(study, root / "apart", server)
    print(f"overlap (4 transcripts + 4 recordings, 1 s per LLM call, concurrency 4): one run {together:.1f} s; "
          f"transcribe {transcribe:.1f} s + analyse {analyse:.1f} s = {transcribe + analyse:.1f} s apart")


def touched(root: Path) -> None:
    study = root / "big"
    study.mkdir()
    shutil.copy(SAMPLE / "interview-04.txt", study / "interview-04.txt")
    big = study / "screen-recording.mp4"
    with big.open("wb") as handle:
        for _ in range(1024):
            handle.write(os.urandom(1 << 20))
    env = outside_env()
    command = [sys.executable, "-m", "doit", "-v", "0", f"input={study}"]

    def timed() -> float:
        start = time.perf_counter()
        subprocess.run(command, cwd=REPO, env=env, capture_output=True, check=True)
        return time.perf_counter() - start

    timed()
    steady = timed()
    os.utime(big)
    first, second = timed(), timed()
    print(f"no-op run with a 1 GiB recording-only session (random bytes: a named 'not a recording' outcome): "
          f"{steady:.2f} s; after touching it: "
          f"{first:.2f} s (content read once), then {second:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--skip-overlap", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bristlenose-transcribe-bench-") as tmp:
        root = Path(tmp)
        recordings = [SAMPLE / "interview-05.mp3", long_recording(root, args.minutes)]
        print(f"faster-whisper tiny.en (bundled) on {args.device}")
        for recording in recordings:
            for threads in args.threads:
                found = speed(recording, args.device, threads)
                print(f"{recording.name:<22} {found['audio']:6.1f} s audio  threads {threads}  "
                      f"load {found['load']:.2f} s  transcribe {found['seconds']:6.1f} s  "
                      f"RTF {found['audio'] / found['seconds']:5.1f}x  peak {found['peak_mib']:.0f} MiB")
        if not args.skip_overlap:
            overlap(root)
            touched(root)


if __name__ == "__main__":
    main()
