"""Reading an untrusted file in a child process with CPU-time, memory and wall-clock limits.

The readers already stop at the limits of `cchc.documents.limits`; the child process is the
second wall, for whatever a hostile file finds that they do not count (a PDF page whose drawing
takes minutes, an XML part that takes gigabytes to hold). The child is forked from a
`multiprocessing` fork server that has the readers already imported, so a normal document costs
the fork (milliseconds), not the imports; it runs at a lower priority (nice), with RLIMIT_CPU,
RLIMIT_AS (its starting size plus the budget) and no core dumps, and the parent kills it when the
wall-clock budget is spent. The result comes back as plain data through a pipe.

    plan = sandbox.run("document", data, name="kế hoạch.docx", language="vi")
    rows = sandbox.run("sheet", data, name="sản phẩm.xlsx")
    procedures = sandbox.run("procedures", data, name="quyết định công bố.docx")

A child killed by a limit ends in `DocumentError` with a message that names the limit.
"""

from __future__ import annotations

import io
import multiprocessing
import multiprocessing.context
import os
import signal
import threading
import time
from dataclasses import dataclass
from multiprocessing import forkserver, popen_forkserver, reduction, spawn, util
from multiprocessing.context import set_spawning_popen

from cchc.documents import i18n
from cchc.documents import limits as _limits
from cchc.documents.blocks import DocumentError
from cchc.documents.i18n import _


@dataclass(frozen=True)
class Budget:
    cpu_seconds: int = 5
    memory_bytes: int = 512 * 1024 * 1024
    wall_seconds: float = 15.0
    #: children reading at once in one server process; more wait for a free place
    concurrent: int = 2


DEFAULT_BUDGET = Budget()
_PRELOAD = ["cchc.documents.sandbox", "cchc.documents.reader", "cchc.documents.parser", "cchc.documents.procedures",
            "cchc.documents.workbook",
            "lxml.etree", "pdfplumber", "openpyxl"]
_context = None
_context_lock = threading.Lock()
_places: dict[int, threading.BoundedSemaphore] = {}


class _Popen(popen_forkserver.Popen):
    """`multiprocessing.popen_forkserver.Popen._launch` (Python 3.12–3.13) with the parent's main
    module left out of what the child prepares from.

    multiprocessing hands the child the path of the parent's `__main__` so that it can import it;
    the reader needs nothing from it, and a main module without the `if __name__ == "__main__"`
    guard (a script read from standard input, a one-off tool) would run again in every child."""

    def _launch(self, process_obj):
        prep_data = spawn.get_preparation_data(process_obj._name)
        prep_data.pop("init_main_from_path", None)
        prep_data.pop("init_main_from_name", None)
        buf = io.BytesIO()
        set_spawning_popen(self)
        try:
            reduction.dump(prep_data, buf)
            reduction.dump(process_obj, buf)
        finally:
            set_spawning_popen(None)
        self.sentinel, w = forkserver.connect_to_new_process(self._fds)
        _parent_w = os.dup(w)
        self.finalizer = util.Finalize(self, util.close_fds, (_parent_w, self.sentinel))
        with open(w, "wb", closefd=True) as f:
            f.write(buf.getbuffer())
        self.pid = forkserver.read_signed(self.sentinel)


class _ReaderProcess(multiprocessing.context.ForkServerProcess):
    @staticmethod
    def _Popen(process_obj):
        return _Popen(process_obj)


def _mp_context():
    global _context
    with _context_lock:
        if _context is None:
            method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
            context = multiprocessing.get_context(method)
            process = context.Process
            if method == "forkserver":
                context.set_forkserver_preload(_PRELOAD)
                process = _ReaderProcess
            _context = (context, process)
        return _context


def _place(budget: Budget) -> threading.BoundedSemaphore:
    with _context_lock:
        return _places.setdefault(budget.concurrent, threading.BoundedSemaphore(budget.concurrent))


# ------------------------------------------------------------------------------------ the jobs

def _parse_document(data: bytes, name: str) -> dict:
    from cchc.documents.parser import parse_blocks
    from cchc.documents.reader import read_bytes

    return parse_blocks(read_bytes(data, name=name))


def _parse_procedures(data: bytes, name: str) -> dict:
    from cchc.documents.procedures import parse_procedure_blocks
    from cchc.documents.reader import read_bytes

    return parse_procedure_blocks(read_bytes(data, name=name))


def _parse_text(data: bytes, name: str) -> dict:
    from cchc.documents import parse_text
    from cchc.documents.reader import _check_text_size

    text = data.decode("utf-8", errors="replace")
    _check_text_size(len(text), name)
    return parse_text(text, name=name)


def _sheet(data: bytes, name: str) -> list[list]:
    from cchc.documents.workbook import sheet_rows

    return sheet_rows(data, name=name)


def _spin(data: bytes, name: str) -> None:  # a job that never ends: the tests' proof of the CPU limit
    while True:
        pass


def _grow(data: bytes, name: str) -> None:  # a job that eats memory: the tests' proof of the memory limit
    hoard = []
    while True:
        hoard.append(bytearray(16 * 1024 * 1024))


JOBS = {"document": _parse_document, "procedures": _parse_procedures, "text": _parse_text, "sheet": _sheet, "spin": _spin, "grow": _grow}


def _address_space() -> int:
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _apply(budget: Budget) -> None:
    import resource

    try:
        os.nice(10)  # the site's own requests go first
    except OSError:
        pass
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu = int(used.ru_utime + used.ru_stime) + budget.cpu_seconds
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    memory = _address_space() + budget.memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))


def _child(conn, job: str, data: bytes, name: str, language: str | None, limits: _limits.Limits,
           budget: Budget) -> None:
    try:
        _apply(budget)
        with i18n.use_language(language), _limits.use(limits):
            answer = ("ok", JOBS[job](data, name))
    except DocumentError as exc:
        answer = ("refused", str(exc))
    except MemoryError:
        answer = ("memory", None)
    except RecursionError:
        answer = ("nested", None)
    except Exception as exc:  # noqa: BLE001 - a reader's defect must reach the user as a message
        answer = ("crash", type(exc).__name__)
    try:
        conn.send(answer)
    except MemoryError:
        conn.send(("memory", None))
    finally:
        conn.close()


# ------------------------------------------------------------------------------------ the parent

def run(job: str, data: bytes, *, name: str, language: str | None = None, limits: _limits.Limits | None = None,
        budget: Budget | None = None):
    """The result of `JOBS[job](data, name)` computed in a child process within `budget`."""
    budget = budget or DEFAULT_BUDGET
    language = language or i18n.current_language()
    limits = limits or _limits.current()
    with i18n.use_language(language):
        place = _place(budget)
        if not place.acquire(timeout=budget.wall_seconds):
            raise DocumentError(
                _("The server is reading other documents right now; try again in a minute.")
            )
        try:
            status, payload = _run_child(job, data, name, language, limits, budget)
        finally:
            place.release()
        if status == "ok":
            return payload
        if status == "refused":
            raise DocumentError(payload)
        if status == "nested":
            raise DocumentError(_("%(name)s is nested too deeply to be read; save it again as a plain .docx")
                                % {"name": name})
        if status == "time":
            raise DocumentError(
                _("%(name)s takes more than %(seconds)d seconds to read, far longer than a plan document; save it "
                  "again as a plain .docx or split it, then retry") % {"name": name, "seconds": payload}
            )
        if status == "memory":
            raise DocumentError(
                _("%(name)s needs more than %(limit)s of memory to read, far more than a plan document; save it "
                  "again as a plain .docx or split it, then retry")
                % {"name": name, "limit": _limits.size_text(budget.memory_bytes)}
            )
        raise DocumentError(
            _("%(name)s could not be read because of an internal error (%(error)s); please report it with the file")
            % {"name": name, "error": payload}
        )


def _run_child(job, data, name, language, limits, budget) -> tuple[str, object]:
    context, process_class = _mp_context()
    receiver, sender = context.Pipe(duplex=False)
    process = process_class(target=_child, args=(sender, job, data, name, language, limits, budget), daemon=True)
    started = time.monotonic()
    process.start()
    sender.close()
    answer = None
    try:
        if receiver.poll(budget.wall_seconds):
            try:
                answer = receiver.recv()
            except (EOFError, OSError):
                answer = None  # the child died before it answered
    finally:
        if process.is_alive() and answer is None:
            process.kill()
        process.join(5)
        if process.is_alive():
            process.kill()
            process.join(1)
        receiver.close()
    if answer is not None:
        return answer
    code = process.exitcode
    if code in (-signal.SIGXCPU, -signal.SIGKILL) and time.monotonic() - started < budget.wall_seconds:
        # Killed by RLIMIT_CPU (SIGXCPU at the soft limit, SIGKILL at the hard one).
        return "time", budget.cpu_seconds
    if code is None or code == -signal.SIGKILL:
        return "time", int(budget.wall_seconds)
    if code is not None and code > 0:
        return "crash", f"exit {code}"  # the child could not start or ended without answering
    # Any other death (SIGSEGV, SIGABRT from a failed allocation in C) is a file too large to hold.
    return "memory", None
