"""Text extraction in a child process with hard limits (docs: threat model, uploads).

An upload never waits for its text: the file is read by a background task, and the task hands the
bytes to a fresh Python process (`extraction.main`) that caps its own CPU time and memory before
reading them. The parent kills it when its wall-clock time runs out. Whatever the file does (a zip
bomb, a huge XML part, a PDF that loops), the worst outcome is a failed extraction, recorded on
the file; no web or task worker runs out of time or memory.
"""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from . import extraction
from .extraction import ExtractionFailed

# The directory holding the `netlearn` package, so the child imports this very code.
SOURCE_ROOT = str(Path(extraction.__file__).resolve().parents[2])
# Starting Python and importing pypdf takes time that is not the file's fault.
STARTUP_SECONDS = 5


def _child_environment() -> dict[str, str]:
    # Nothing of the server's environment (database address, keys) reaches the child.
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": SOURCE_ROOT,
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def extract_in_child(data: bytes, code: str) -> str:
    """The text of `data`, a file of kind `code`; raises ExtractionFailed with a reason for
    the person when the file cannot be read within the limits."""
    cpu_seconds = int(settings.LIBRARY_EXTRACTION_SECONDS)
    memory_bytes = int(settings.LIBRARY_EXTRACTION_MEMORY_MB) * 1024 * 1024
    try:
        finished = subprocess.run(
            [
                sys.executable,
                "-m",
                "netlearn.library.extraction",
                code,
                str(cpu_seconds),
                str(memory_bytes),
            ],
            input=data,
            capture_output=True,
            timeout=cpu_seconds + STARTUP_SECONDS,
            env=_child_environment(),
            cwd=SOURCE_ROOT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ExtractionFailed(
            f"Reading it took longer than {cpu_seconds + STARTUP_SECONDS} seconds."
        ) from None
    if finished.returncode == 0:
        return finished.stdout.decode("utf-8", errors="replace")
    if finished.returncode == extraction.EXIT_FAILED:
        raise ExtractionFailed(finished.stderr.decode("utf-8", errors="replace")[:250])
    if finished.returncode == extraction.EXIT_OUT_OF_MEMORY:
        raise ExtractionFailed(
            f"Reading it needed more than {settings.LIBRARY_EXTRACTION_MEMORY_MB} MB of memory."
        )
    if finished.returncode in (-9, -24):  # SIGKILL, SIGXCPU: the CPU limit
        raise ExtractionFailed(f"Reading it took more than {cpu_seconds} seconds of work.")
    raise ExtractionFailed("The reader stopped unexpectedly.")
