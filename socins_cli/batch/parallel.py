"""JSON Lines files answered on several cores, written byte for byte as one process writes them.

Why: a cached row still costs a few microseconds of Python, so one process
answers rows more slowly than it can read and write them. JSON Lines is one
row per line, so blocks of lines can be answered on their own.

How: the main process cuts the file into blocks after a line end, counting
lines as it goes (it parses nothing). It answers the first block itself,
then forks the workers (so they share the loaded law and start with what
that block taught the caches: each meets fewer keys anew, which spares
about a fifth of the processor time; the heap they inherit is frozen out of
their garbage collector's sight, so its pages stay shared) and deals the
other blocks out in turn; each worker keeps its own bounded caches from
block to block, and reads its block from the file itself.

The workers write their blocks' output to the output themselves, in block
order: a token goes round a ring of pipes, and the worker holding block k
waits for it, writes the block on the output descriptor it inherited, and
passes it to the holder of block k+1 (blocks are dealt in turn, so that is
the next worker). A worker answers on while its last block waits for the
token, holding two blocks at most (``_Turn``). Answer bytes never pass
through the main process, which only reads a small header per block (rows,
failed rows, the first error) for the counts and the progress bar. Blocks
are cut so that their output is about ``OUTPUT_PER_BLOCK`` and at most two
blocks per worker are dealt ahead, so memory stays bounded whatever the size
of the file, and no row is parsed or pickled twice.

The output is ``run_batch``'s: the same rows, error records and line numbers
(``tests/test_batch_parallel.py`` compares them byte for byte); counts and
the first error add up over the blocks in order.

Used for a regular JSON Lines file answered into JSON Lines, or into the
rows of a projection (``--brief``, ``--fields``: each worker shapes its
rows with the projection's sink, as one process does), on an output with a
file descriptor (a file, a pipe, a terminal), where ``fork`` exists and
more than one worker is asked for, when the file is more than one block;
stdin, CSV (a record may span lines), an output held in memory and anything
else run in one process. A projection's columns (and a CSV header) are fixed
by the first row, so the workers are forked only once the first block has
given one.
"""

from __future__ import annotations

import collections
import itertools
import gc
import io
import os
import pickle
import select
import signal
import stat
import struct
from typing import BinaryIO, Callable

from socins_cli.batch.read import parse_jsonl
from socins_cli.batch.resolve import Job, Resolver
from socins_cli.batch.write import JsonlSink
from socins_cli.errors import DataError

#: Bytes of the first block (answered by the main process, which learns from it how large the others may be).
BLOCK_BYTES = 1 << 20
#: Output bytes a block should give (blocks shrink to it): what a worker holds until its turn to write.
OUTPUT_PER_BLOCK = 4 << 20
#: Most workers started (each holds its own caches, some 30 MiB when full).
MAX_WORKERS = 4
#: Smallest file ``--workers 0`` answers on several processes (a smaller one is answered in one).
AUTO_MIN_BYTES = 3 << 20

_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}
_IOV_MAX = 1024  # buffers per os.writev (POSIX guarantees at least 16; Linux takes 1024)

_TASK = struct.Struct("<qqq")     # file offset, length (-1: stop), first line number
_HEADER = struct.Struct("<qqqqq")  # 1 if the block failed, rows, failed rows, bytes written, pickled error's bytes


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def default_workers(path: str | None = None) -> int:
    """Workers for ``--workers 0`` (auto) on the file at ``path``: one per usable core, at most ``MAX_WORKERS``;
    1 means none, and so does a file under ``AUTO_MIN_BYTES``.

    Two on two cores: since the workers write their output themselves (no
    copying through the main process), two beat one there, though each
    worker meets the keys anew and its first pass over what it inherited
    pays a copy-on-write fault per page it touches (reference counts write
    to every object a row uses: a process warmed on 100k check rows, then
    forked, took 0.415 s and ~6,000 faults for its first pass over them, and
    0.35 s for the next, as the parent). Measured on
    a 2-core machine with one other busy process (minimum of 3-4 interleaved
    runs, one run, JSON Lines, ``--workers 1`` vs ``2``): 100k rows check
    1.10 s vs 0.90 s to /dev/null, 2.98 s vs 2.04 s into ``| cat``;
    retirement 0.83 s vs 0.71 s, 1.15 s vs 0.86 s into ``| cat``; 1M rows
    check 5.13 s vs 4.21 s, retirement 4.95 s vs 3.40 s, check into
    ``| cat`` 22.3 s vs 14.4 s. With three other busy processes on the two
    cores, two lost (1M check 6.13 s vs 7.78 s): there ``--workers 1``.

    A small file is over before the workers pay back their start (the fork,
    the pipes, the keys each meets anew): to /dev/null, minimum of six
    interleaved runs, ``--workers 1`` vs ``2``, generated rows of
    ``benchmarks/batch.py``: 10,000 rows (1.4 MB) check 0.94 s vs 1.13 s,
    retirement 0.60 s vs 0.72 s; 15,000 rows (2.0 MB) 0.88 s vs 0.90 s and
    0.76 s vs 0.83 s; 20,000 rows (2.7 MB) 1.01 s vs 1.02 s and 0.80 s vs
    0.75 s; 25,000 rows (3.4 MB, five runs) 1.08 s vs 0.99 s and 0.89 s vs
    0.79 s. So below 3 MiB, one process.
    """
    if not hasattr(os, "fork"):
        return 1
    if path is not None:
        try:
            if os.stat(path).st_size < AUTO_MIN_BYTES:
                return 1
        except OSError:  # said when the file is opened
            pass
    return max(1, min(usable_cores(), MAX_WORKERS))


def suits(path: str) -> bool:
    """Whether ``path`` is a regular file of more than one block (a pipe cannot be read at an offset)."""
    try:
        st = os.stat(path)
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and st.st_size > BLOCK_BYTES


def descriptor(out) -> int | None:
    """The file descriptor behind ``out`` that forked workers can write to, or None (an output in memory)."""
    try:
        return out.fileno()
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is both an OSError and a ValueError
        return None


class _Size:
    """The size of the next block: smaller when a block's output is many times its input (a check row's is ~90×)."""

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


class _Counted:
    """``out`` with the bytes written to it counted (what the first block's output teaches the block size)."""

    def __init__(self, out: BinaryIO):
        self.out, self.written = out, 0

    def write(self, data) -> None:
        self.written += len(data)
        self.out.write(data)


def target_of(out):
    """Where the bytes of ``out`` go: a projection's (``--brief``, ``--fields``) own output, else ``out`` itself."""
    return out.out if hasattr(out, "row_sink") else out


def run_jsonl_file(job: Job, path: str, encoding: str, how: str, out: BinaryIO, workers: int, default_as_of,
                   progress: Callable[[int], None] | None, cache_bytes: int, counts) -> None:
    """Answer the JSON Lines file ``path`` into ``out`` on ``workers`` processes, adding to ``counts``.

    ``out`` is a binary output (the rows are JSON Lines) or a projection
    (``batch_fields.Projection``), whose sink each process writes with.
    """
    projection = out if hasattr(out, "row_sink") else None
    target = target_of(out)
    answer = _BlockAnswerer(job, path, encoding, how, default_as_of, cache_bytes, projection)
    fd = descriptor(target) if workers > 1 and hasattr(os, "fork") else None
    with open(path, "rb") as fh:
        sizer = _Size(BLOCK_BYTES)
        todo = blocks(fh, sizer)
        first = next(todo, None)
        if first is None:
            return
        # The first block is answered here, before the workers are forked: they start with what it
        # taught the caches, instead of each meeting those keys again.
        counted = _Counted(target)
        counts.bytes_done = first[0] + first[1]
        _add(counts, *answer(*first, counted), progress)
        if fd is None or not answer.shareable():  # one process: the rest as the first
            for block in todo:
                counts.bytes_done = block[0] + block[1]
                _add(counts, *answer(*block, target), progress)
            return
        sizer.learn(first[1], counted.written)
        second = next(todo, None)
        if second is None:
            return
        out.flush()  # before the workers write after it (a forked child never flushes it, but be plain)
        # Out of the collector's sight in the workers: a full collection there would otherwise write to
        # every inherited object and copy the pages the processes share (the law, the warm caches).
        gc.freeze()
        # Ctrl-C and SIGTERM wait until every forked worker is known to the pool, which stops them on the way out.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        try:
            pool = _Pool(answer, workers, fd)
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
                    _done(pending.popleft(), sizer, counts, progress)
            while pending:
                _done(pending.popleft(), sizer, counts, progress)
            pool.stop()
        except BaseException:  # a closed pipe, Ctrl-C, a broken law: stop the workers now
            pool.kill()
            raise


def _chain(first, rest):
    yield first
    yield from rest


def _done(dealt, sizer: _Size, counts, progress) -> None:
    """The next block's header, in block order: all blocks before it are written."""
    worker, (offset, length, _) = dealt
    rows, failed, error, written = worker.receive()
    counts.bytes_done = offset + length
    sizer.learn(length, written)
    _add(counts, rows, failed, error, progress)


def _add(counts, rows: int, failed: int, error, progress) -> None:
    counts.rows += rows
    counts.failed += failed
    if counts.first_error is None:
        counts.first_error = error
    if progress is not None:
        progress(counts.rows)


class _BlockAnswerer:
    """Answers blocks of the file with one resolver and sink, kept from block to block (per process)."""

    def __init__(self, job: Job, path: str, encoding: str, how: str, default_as_of, cache_bytes: int,
                 projection=None):
        from socins_cli.batch.rows import reserved_names

        self.job, self.path, self.encoding, self.how = job, path, encoding, how
        self.default_as_of, self.cache_bytes = default_as_of, cache_bytes
        self.projection = projection  # --brief, --fields: its sink shapes the rows
        self.reserved = reserved_names(job)
        self.state = None
        self.fd = None
        self.carried_fixed = False

    def __call__(self, offset: int, length: int, first_line: int, out) -> tuple:
        """Write the block's output to ``out``; its rows, failed rows and first error ``(line, InputError)`` or None."""
        from socins_cli.batch.rows import BatchCounts, fix_carried, answer_rows

        if self.state is None:
            sink = self.projection.row_sink(self.job) if self.projection is not None else JsonlSink(out, self.job.echo_keys)
            self.state = (sink, Resolver(self.job, sink.render, self.default_as_of, self.cache_bytes))
            self.fd = os.open(self.path, os.O_RDONLY)
        sink, resolver = self.state
        sink.write_to(out)
        counts = BatchCounts()
        data = os.pread(self.fd, length, offset)
        rows = parse_jsonl(io.BytesIO(data), self.encoding, self.how, first_line)
        if not self.carried_fixed:  # by the first block with a row, as one process fixes them (a projection's)
            head = next(rows, None)
            if head is not None:
                self.carried_fixed = True
                first = fix_carried(None, itertools.chain((head,), rows), sink, self.reserved, counts)
                rows = itertools.chain((first,), rows) if first is not None else rows
        answer_rows(rows, resolver, sink, self.reserved, counts, None)
        sink.flush()
        return counts.rows, counts.failed, counts.first_error

    def shareable(self) -> bool:
        """Whether workers forked now write what this process would: a projection's columns (and CSV header) are fixed."""
        return self.projection is None or self.projection.columns is not None


class _Turn:
    """A worker's outputs: held until the token comes round, then written on the output descriptor.

    A worker holds at most two blocks: the one it answers and the one before,
    answered but waiting for its turn. It looks for the token between chunks
    of the block it answers, so neither waits on the other: when the token is
    late (the other worker is slower on its block, or the machine busy), it
    answers on. A block whose output grows past a few times
    ``OUTPUT_PER_BLOCK`` (lines much larger than those the size was learned
    from) waits for its turn there and writes what it holds, keeping the
    token to the block's end.
    """

    def __init__(self, fd: int, token_in: int, token_out: int, result_w: int):
        self.fd, self.token_in, self.token_out, self.result_w = fd, token_in, token_out, result_w
        os.set_blocking(token_in, False)
        self.chunks: list = []
        self.held = 0
        self.written = 0  # bytes of the block being answered written already (with the token kept)
        self.mine = False  # whether this worker holds the token
        self.ready: tuple | None = None  # an answered block waiting for the token: (chunks, header)

    #: ``JsonlSink`` hands its pieces over as they are (``keep``), not joined: a worker holds its block as
    #: references to them, and the kernel gathers them (``os.writev``). Joined, a block's few MiB would be
    #: fresh pages to fault in and copy for every block.
    keeps_pieces = True

    def keep(self, pieces: list) -> None:
        self.chunks += pieces
        self.held += sum(map(len, pieces))
        if self.ready is not None and self._token(wait=False):
            self.pass_ready()
        if self.held > 4 * OUTPUT_PER_BLOCK:
            self.pass_ready()
            self._token(wait=True)
            _write_all(self.fd, self.chunks)
            self.written += self.held
            self.chunks, self.held = [], 0

    def write(self, data: bytes) -> None:
        if data:
            self.keep([data])

    def finish(self, rows: int, failed: int, error) -> None:
        """The block answered: written at once if this worker holds the token, else held as the one that waits."""
        self.pass_ready()
        written = self.written + self.held
        self.ready = (self.chunks, _header(0, rows, failed, written, error))
        if self.mine:
            self.pass_ready()
        self.chunks, self.held, self.written = [], 0, 0

    def pass_ready(self) -> None:
        """Write the block that waits (waiting for the token), pass the token on, send the block's header."""
        if self.ready is None:
            return
        chunks, header = self.ready
        self._token(wait=True)
        _write_all(self.fd, chunks)
        self.ready = None
        self.mine = False
        os.write(self.token_out, b"t")
        _write_all(self.result_w, [header])

    def _token(self, wait: bool) -> bool:
        """Whether this worker holds the token, taking it if it has come (waiting for it if ``wait``)."""
        while not self.mine:
            try:
                got = os.read(self.token_in, 1)
            except BlockingIOError:
                if not wait:
                    return False
                select.select([self.token_in], [], [])
                continue
            if not got:
                raise _lost()
            self.mine = True
        return True


def _header(status: int, rows: int, failed: int, written: int, error) -> bytes:
    blob = pickle.dumps(error) if error is not None else b""
    return _HEADER.pack(status, rows, failed, written, len(blob)) + blob


def _write_all(fd: int, pieces: list) -> None:
    """Every piece on ``fd`` in order, however the writes are cut short."""
    start = 0
    while start < len(pieces):
        batch = pieces[start:start + _IOV_MAX]
        try:
            n = os.writev(fd, batch)
        except BlockingIOError:  # a non-blocking output (set so by whoever reads it): wait until it drains
            select.select([], [fd], [])
            continue
        if n == sum(map(len, batch)):
            start += len(batch)
            continue
        for piece in batch:  # cut short (a signal, a non-blocking pipe): on from where it stopped
            if n < len(piece):
                pieces = [piece[n:], *pieces[start + 1:]]
                start = 0
                break
            n -= len(piece)
            start += 1


def _read_exact(fd: int, size: int) -> bytes:
    """``size`` bytes from ``fd``, or fewer at its end."""
    data = b""
    while len(data) < size:
        got = os.read(fd, size - len(data))
        if not got:
            break
        data += got
    return data


class _Worker:
    """One forked worker: blocks go in through one pipe, a header per block comes back through another."""

    def __init__(self, answer: _BlockAnswerer, fd: int, token_in: int, token_out: int, others: list[int]):
        task_r, self.task_w = os.pipe()
        self.result_r, result_w = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the worker: never returns
            for other in (self.task_w, self.result_r, *others):
                if other not in (token_in, token_out):
                    os.close(other)
            _serve(answer, task_r, _Turn(fd, token_in, token_out, result_w))
        os.close(task_r)
        os.close(result_w)

    def send(self, block: tuple) -> None:
        os.write(self.task_w, _TASK.pack(*block))

    def receive(self) -> tuple:
        """The next block's rows, failed rows, first error and bytes written (its failure raised here)."""
        header = _read_exact(self.result_r, _HEADER.size)
        if len(header) != _HEADER.size:
            raise _lost()
        status, rows, failed, written, error_size = _HEADER.unpack(header)
        blob = _read_exact(self.result_r, error_size)
        if len(blob) != error_size:
            raise _lost()
        error = pickle.loads(blob) if error_size else None
        if status:  # the worker raised: the same error here
            raise error
        return rows, failed, error, written


class _Pool:
    """The workers and the ring of token pipes between them (worker i waits on ring i, hands on to ring i+1)."""

    def __init__(self, answer: _BlockAnswerer, workers: int, fd: int):
        self.workers: list[_Worker] = []
        ring = [os.pipe() for _ in range(workers)]
        os.write(ring[0][1], b"t")  # the first dealt block's worker may write at once
        ends = [end for pipe in ring for end in pipe]
        try:
            for i in range(workers):
                others = ends + [w.task_w for w in self.workers] + [w.result_r for w in self.workers]
                self.workers.append(_Worker(answer, fd, ring[i][0], ring[(i + 1) % workers][1], others))
        except BaseException:
            self.kill()
            raise
        finally:
            for end in ends:
                os.close(end)

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
            for end in (worker.task_w, worker.result_r):
                try:
                    os.close(end)
                except OSError:
                    pass
            try:
                os.waitpid(worker.pid, 0)
            except ChildProcessError:
                pass
        self.workers = []


def _lost() -> DataError:
    return DataError("batch", "worker", None, "a worker process ended before answering its block; run with --workers 1")


def _serve(answer: _BlockAnswerer, task_r: int, turn: _Turn) -> None:
    """A worker's life: answer blocks until told to stop, then leave without running the parent's exit code."""
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's handler unwinds a whole run; a worker just ends
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)  # a closed output is an error sent to the parent
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)  # held back in the parent while it forked
        while True:
            try:
                if turn.ready is not None:  # a block waits: write it when the token comes, unless a task comes first
                    ready, _, _ = select.select([task_r, turn.token_in], [], [])
                    if turn.token_in in ready:
                        turn.pass_ready()
                        continue
                task = _read_exact(task_r, _TASK.size)
                offset, length, first_line = _TASK.unpack(task) if len(task) == _TASK.size else (0, -1, 0)
                if length < 0:
                    turn.pass_ready()
                    break
                turn.finish(*answer(offset, length, first_line, turn))
            except BaseException as exc:  # a closed pipe, a full disk, a broken law: the parent raises it
                failure = exc if _picklable(exc) else DataError("batch", "worker", None, repr(exc))
                try:
                    turn.pass_ready()  # the block before is the parent's to count first
                except BaseException:
                    pass
                _write_all(turn.result_w, [_header(1, 0, 0, 0, failure)])
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
