"""JSON Lines files answered on several cores, written byte for byte as one process writes them.

Why: a cached row still costs a few microseconds of Python, so one process
answers rows more slowly than it can read and write them. JSON Lines is one
row per line, so blocks of lines can be answered on their own.

How: the main process cuts the file into blocks of about ``BLOCK_BYTES``
after a line end, counting lines as it goes (it parses nothing). It answers
the first block itself, then forks the workers (so they share the loaded law
and start with what that block taught the caches: each meets fewer keys
anew, which spares about a fifth of the processor time; the heap they
inherit is frozen out of their garbage collector's sight, so its pages stay
shared) and deals the other
blocks out in turn; each worker keeps its own bounded caches from block to
block. A worker
reads its block from the file itself and sends back a small header (rows,
failed rows, the first error) and the block's output; the main process
copies the outputs to stdout in block order. At most two blocks per worker
are dealt ahead, so memory stays bounded whatever the size of the file, and
no row is parsed or pickled twice.

The output is ``run_batch``'s: the same rows, error records and line numbers
(``tests/test_batch_parallel.py`` compares them byte for byte); counts and
the first error add up over the blocks in order.

Used for a regular JSON Lines file answered into JSON Lines, where ``fork``
exists and more than one core is usable, when the file is more than one
block; stdin, CSV (a record may span lines) and anything else run in one
process.
"""

from __future__ import annotations

import collections
import fcntl
import gc
import io
import os
import pickle
import signal
import stat
import struct
from typing import BinaryIO, Callable

from socins_cli.batch.read import parse_jsonl
from socins_cli.batch.resolve import Job, Resolver
from socins_cli.batch.write import JsonlSink
from socins_cli.errors import DataError

#: Bytes per block: large enough that dealing a block out costs little next to answering it.
BLOCK_BYTES = 1 << 20
#: Output bytes a block should give at most (blocks shrink to it), held by a worker until the block is done.
OUTPUT_PER_BLOCK = 4 << 20
#: Most workers started (each holds its own caches, some 30 MiB when full).
MAX_WORKERS = 4

_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}

_TASK = struct.Struct("<qqq")      # file offset, length (-1: stop), first line number
_FRAME = struct.Struct("<q")        # bytes of output that follow (-1: the block's output is over)
_TRAILER = struct.Struct("<qqqq")  # 1 if the worker failed, rows, failed rows, pickled error's bytes


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def default_workers() -> int:
    """Workers for ``--workers 0`` (auto): one per usable core, at most ``MAX_WORKERS``; 1 means none.

    On two cores or fewer, none: the main process copies every block's output
    from its pipe while the workers answer, so two workers and it share two
    cores. Measured on a 2-core machine (minimum of interleaved runs, JSON
    Lines, ``--workers 1`` vs ``2``): 100k rows check 2.77 s vs 2.89 s,
    retirement 2.10 s vs 2.73 s; 1M rows retirement 18.8 s vs 23.2 s, check
    23.6 s vs 15.4 s (the one case where two won, on a busy machine); the
    processor time of two workers was 1.4-1.7x that of one in every case.
    """
    if not hasattr(os, "fork") or usable_cores() <= 2:
        return 1
    return max(1, min(usable_cores(), MAX_WORKERS))


def suits(path: str) -> bool:
    """Whether ``path`` is a regular file of more than one block (a pipe cannot be read at an offset)."""
    try:
        st = os.stat(path)
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and st.st_size > BLOCK_BYTES


class _Size:
    """The size of the next block: smaller when a block's output is many times its input (a check row's is ~50×)."""

    def __init__(self, size: int):
        self.most = self.size = size

    def learn(self, read: int, written: int) -> None:
        if read and written:
            self.size = max(1 << 14, min(self.most, read * OUTPUT_PER_BLOCK // written))


def blocks(fh: BinaryIO, size):
    """``(offset, length, first line)`` of blocks of whole lines (the last may lack its line end).

    ``size`` is bytes per block, or a ``_Size`` read again for each block.
    """
    sizer = size if isinstance(size, _Size) else _Size(size)
    offset, line, rest = 0, 1, b""
    while True:
        chunk = fh.read(sizer.size)
        if not chunk:
            break
        data = rest + chunk if rest else chunk
        cut = data.rfind(b"\n") + 1
        if cut == 0:  # one line longer than a block: read on
            rest = data
            continue
        yield offset, cut, line
        line += data.count(b"\n", 0, cut)
        offset += cut
        rest = data[cut:]
    if rest:
        yield offset, len(rest), line


def run_jsonl_file(job: Job, path: str, encoding: str, how: str, out: BinaryIO, workers: int, default_as_of,
                   progress: Callable[[int], None] | None, cache_bytes: int, counts) -> None:
    """Answer the JSON Lines file ``path`` into ``out`` as JSON Lines on ``workers`` processes, adding to ``counts``."""
    answer = _BlockAnswerer(job, path, encoding, how, default_as_of, cache_bytes)
    with open(path, "rb") as fh:
        sizer = _Size(BLOCK_BYTES)
        todo = blocks(fh, sizer)
        first = next(todo, None)
        second = next(todo, None) if first is not None else None
        if second is None or workers <= 1:  # one block, or one core: nothing to share out
            for block in ([first] if second is None else [first, second, *todo]):
                if block is not None:
                    counts.bytes_done = block[0] + block[1]
                    _add(counts, *answer(*block, out), progress)
            return
        # The first block is answered here, before the workers are forked: they start with what it
        # taught the caches, instead of each meeting those keys again.
        counts.bytes_done = first[0] + first[1]
        _add(counts, *answer(*first, out), progress)
        out.flush()  # nothing buffered may be written twice (a forked child never flushes it, but be plain)
        # Out of the collector's sight in the workers: a full collection there would otherwise write to
        # every inherited object and copy the pages the processes share (the law, the warm caches).
        gc.freeze()
        # Ctrl-C and SIGTERM wait until every forked worker is known to the pool, which stops them on the way out.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        try:
            pool = _Pool(answer, workers)
        except BaseException:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
            raise
        finally:
            gc.unfreeze()  # here, the objects are collected as before
        try:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)  # a signal held back arrives here, where the pool is stopped
            pending: collections.deque = collections.deque()
            for k, block in enumerate(_chain(second, todo)):
                worker = pool.workers[k % workers]
                worker.send(block)
                pending.append((worker, block))
                if len(pending) >= 2 * workers:
                    worker, done = pending.popleft()
                    counts.bytes_done = done[0] + done[1]  # blocks come back in order: all before it are done
                    sizer.learn(done[1], worker.receive(out, counts, progress))
            while pending:
                worker, done = pending.popleft()
                counts.bytes_done = done[0] + done[1]
                worker.receive(out, counts, progress)
            pool.stop()
        except BaseException:  # a closed pipe, Ctrl-C, a broken law: stop the workers now
            pool.kill()
            raise


def _chain(first, rest):
    yield first
    yield from rest


def _add(counts, rows: int, failed: int, error, progress) -> None:
    counts.rows += rows
    counts.failed += failed
    if counts.first_error is None:
        counts.first_error = error
    if progress is not None:
        progress(counts.rows)


class _BlockAnswerer:
    """Answers blocks of the file with one resolver and sink, kept from block to block (per process)."""

    def __init__(self, job: Job, path: str, encoding: str, how: str, default_as_of, cache_bytes: int):
        from socins_cli.batch.rows import reserved_names

        self.job, self.path, self.encoding, self.how = job, path, encoding, how
        self.default_as_of, self.cache_bytes = default_as_of, cache_bytes
        self.reserved = reserved_names(job)
        self.state = None
        self.fd = None

    def __call__(self, offset: int, length: int, first_line: int, out: BinaryIO) -> tuple:
        """Write the block's output to ``out``; its rows, failed rows and first error ``(line, InputError)`` or None."""
        from socins_cli.batch.rows import BatchCounts, answer_rows

        if self.state is None:
            sink = JsonlSink(out, self.job.echo_keys)
            self.state = (sink, Resolver(self.job, sink.render, self.default_as_of, self.cache_bytes))
            self.fd = os.open(self.path, os.O_RDONLY)
        sink, resolver = self.state
        sink.out = out
        counts = BatchCounts()
        data = os.pread(self.fd, length, offset)
        answer_rows(parse_jsonl(io.BytesIO(data), self.encoding, self.how, first_line), resolver, sink,
                     self.reserved, counts, None)
        sink.flush()
        return counts.rows, counts.failed, counts.first_error


class _Framed:
    """A worker's output as frames (a length, then that many bytes), held until the block is answered.

    Holding them lets a worker answer its whole block while the parent is
    still copying another worker's: written at once, it would wait on a full
    pipe.
    """

    def __init__(self, fh: BinaryIO):
        self.fh = fh
        self.frames: list[bytes] = []
        self.held = 0

    def write(self, data: bytes) -> None:
        if data:
            self.frames += (_FRAME.pack(len(data)), data)
            self.held += len(data)
            if self.held > 4 * OUTPUT_PER_BLOCK:  # a block of huge lines: pass it on rather than hold it
                self.send(b"")

    def send(self, end: bytes) -> None:
        self.frames.append(end)
        self.fh.writelines(self.frames)  # not joined: a block's few MiB would be mapped afresh each time
        self.frames.clear()
        self.held = 0
        self.fh.flush()


class _Worker:
    """One forked worker: blocks go in through one pipe, framed outputs and counts come back through another."""

    def __init__(self, answer: _BlockAnswerer):
        task_r, self.task_w = os.pipe()
        self.result_r, result_w = os.pipe()
        try:  # a pipe that holds a block's output (Linux): a worker then never waits on the parent
            fcntl.fcntl(result_w, getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
        except (OSError, ValueError):
            pass
        self.pid = os.fork()
        if self.pid == 0:  # the worker: never returns
            os.close(self.task_w)
            os.close(self.result_r)
            _serve(answer, task_r, result_w)
        os.close(task_r)
        os.close(result_w)
        self.results = open(self.result_r, "rb", buffering=1 << 16)
        self.buffer = bytearray(1 << 16)

    def send(self, block: tuple) -> None:
        os.write(self.task_w, _TASK.pack(*block))

    def receive(self, out: BinaryIO, counts, progress) -> int:
        """Copy one block's output to ``out`` (through one reused buffer), add its counts; the bytes copied."""
        results, buffer = self.results, self.buffer
        written = 0
        while True:
            (size,) = _FRAME.unpack(_read(results, _FRAME.size))
            if size < 0:
                break
            if size > len(buffer):
                buffer = self.buffer = bytearray(size)
            view = memoryview(buffer)[:size]
            got = 0
            while got < size:
                n = results.readinto(view[got:])
                if not n:
                    raise _lost()
                got += n
            out.write(view)
            written += size
        status, rows, failed, error_size = _TRAILER.unpack(_read(results, _TRAILER.size))
        error = pickle.loads(_read(results, error_size)) if error_size else None
        if status:  # the worker raised: the same error here
            raise error
        _add(counts, rows, failed, error, progress)
        return written


class _Pool:
    def __init__(self, answer: _BlockAnswerer, workers: int):
        self.workers: list[_Worker] = []
        try:
            for _ in range(workers):
                self.workers.append(_Worker(answer))
        except BaseException:
            self.kill()
            raise

    def stop(self) -> None:
        for worker in self.workers:
            os.write(worker.task_w, _TASK.pack(0, -1, 0))
        self._reap()

    def kill(self) -> None:
        for worker in self.workers:
            try:
                os.kill(worker.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self._reap()

    def _reap(self) -> None:
        for worker in self.workers:
            try:
                os.close(worker.task_w)
            except OSError:
                pass
            worker.results.close()
            try:
                os.waitpid(worker.pid, 0)
            except ChildProcessError:
                pass
        self.workers = []


def _read(fh, size: int) -> bytes:
    data = fh.read(size)
    if len(data) != size:
        raise _lost()
    return data


def _lost() -> DataError:
    return DataError("batch", "worker", None, "a worker process ended before answering its block; run with --workers 1")


def _serve(answer: _BlockAnswerer, task_r: int, result_w: int) -> None:
    """A worker's life: answer blocks until told to stop, then leave without running the parent's exit code."""
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's handler unwinds a whole run; a worker just ends
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)  # held back in the parent while it forked
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        tasks = open(task_r, "rb")
        results = open(result_w, "wb", buffering=1 << 16)
        framed = _Framed(results)
        while True:
            task = tasks.read(_TASK.size)
            if len(task) < _TASK.size:
                break
            offset, length, first_line = _TASK.unpack(task)
            if length < 0:
                break
            try:
                rows, failed, error = answer(offset, length, first_line, framed)
                status = 0
            except BaseException as exc:  # a broken law or a bug: the parent raises it, with its text
                error = exc if _picklable(exc) else DataError("batch", "worker", None, repr(exc))
                status, rows, failed = 1, 0, 0
            blob = pickle.dumps(error) if error is not None else b""
            framed.send(_FRAME.pack(-1) + _TRAILER.pack(status, rows, failed, len(blob)) + blob)
            if status:
                code = 1
                break
    except BaseException:
        code = 1
    finally:
        os._exit(code)  # no exit handlers, no flushing of buffers copied from the parent


def _picklable(exc: BaseException) -> bool:
    try:
        pickle.loads(pickle.dumps(exc))
        return True
    except Exception:
        return False
