"""What a run leaves behind: locked while the run lives, removed by a later run once it is dead.

The run (a lone pytest process, or xdist's controller) takes two locks at its start, before anything
of it exists, and holds them to its end:

- an OS file lock on ``alive.lock`` in its run folder (``flask-harness-<run>/`` in the temporary
  directory). The folder is made under another name and renamed once locked, so no other run ever
  sees it unlocked;
- on a database server, the server's own lock, on a connection held open: a PostgreSQL advisory
  lock, a MariaDB ``GET_LOCK``. Another machine that shares the server sees it; a pid would mean
  nothing there.

The kernel and the server release both when the process dies, however it dies (Ctrl-C twice,
kill -9, the OOM killer). So a run that can take another run's lock knows that run is dead, and
removes its databases and folder at its start. A ``--keep-db`` run leaves a mark (a ``kept`` file,
a ``…_kept`` database) and what it kept stays until a run is given ``--drop-kept``.

The file lock needs ``fcntl``: where there is none (Windows), folders are neither locked nor swept.
Harness releases before 0.3 took no locks: their folders are removed only once a day old, but
their databases look dead to this one (do not run both on one server and app at once).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

from flask_harness.db.backends import DatabaseUnreachable, ServerDatabases, backend_for

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from flask_harness.config.settings import HarnessSettings
    from flask_harness.db.backends import DatabaseBackend

FOLDER_PREFIX = "flask-harness-"
ALIVE = "alive.lock"
KEPT = "kept"
RUN_ID = re.compile("[0-9a-f]{8}")
# A folder with no alive.lock (made by a harness before 0.3) is removed once untouched this long.
OLD_FOLDER_SECONDS = 24 * 3600


@dataclass
class RunLocks:
    """What keeps this run alive to others: the open, locked ``alive.lock`` and the server's connection."""

    folder: Path
    alive_fd: int | None = None
    server: Connection | None = None


@dataclass
class Leftovers:
    """What a run found of dead runs: removed, or left because ``--keep-db`` kept it."""

    dead_runs: set[str] = field(default_factory=set)
    kept_runs_removed: set[str] = field(default_factory=set)
    databases: list[str] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)
    kept_left: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """One line for what was removed, one for what was kept; none when there was nothing."""
        said = []
        if self.databases or self.folders:
            runs = _count(len(self.dead_runs - self.kept_runs_removed), "dead run")
            if self.kept_runs_removed:
                runs += f" and {_count(len(self.kept_runs_removed), 'run')} kept by --keep-db"
            parts = [f"databases {', '.join(self.databases)}"] if self.databases else []
            if self.folders:
                parts.append(f"{_count(len(self.folders), 'folder')} ({', '.join(map(str, self.folders))})")
            said.append(f"flask-harness: removed what {runs} left: {'; '.join(parts)}")
        if self.kept_left:
            said.append(f"flask-harness: left {', '.join(self.kept_left)}: kept by an earlier --keep-db run "
                        "(--drop-kept removes them)")
        return said


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


# --- at the run's start -----------------------------------------------------------------------------


def take_locks(settings: HarnessSettings, backend: DatabaseBackend) -> RunLocks:
    """Make the run folder, locked from its first moment, and take the run's lock on the server.

    An unreachable server gets no lock: the first test that needs a database says so in full.
    """
    locks = RunLocks(settings.run_folder)
    if fcntl is None:
        settings.run_folder.mkdir(parents=True, exist_ok=True)
    else:
        folder = settings.run_folder
        if not folder.is_dir():  # made under another name, and named once locked
            folder = folder.with_name(folder.name + ".starting")
            folder.mkdir(parents=True, exist_ok=True)
        locks.alive_fd = os.open(folder / ALIVE, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(locks.alive_fd, fcntl.LOCK_EX)
        if folder != settings.run_folder:
            folder.replace(settings.run_folder)
    if isinstance(backend, ServerDatabases):
        try:
            locks.server = backend.connect_admin()
        except DatabaseUnreachable:
            return locks
        backend.hold_run_lock(locks.server)
    return locks


def remove_dead_runs(settings: HarnessSettings, backend: DatabaseBackend, locks: RunLocks,
                     *, drop_kept: bool) -> Leftovers:
    """Remove the folders and databases of every run whose locks are free (kept ones only if asked)."""
    found = Leftovers()
    _remove_dead_folders(settings, found, drop_kept=drop_kept)
    if isinstance(backend, ServerDatabases) and locks.server is not None:
        _remove_dead_databases(backend, locks.server, settings.run_id, found, drop_kept=drop_kept)
    return found


def _remove_dead_folders(settings: HarnessSettings, found: Leftovers, *, drop_kept: bool) -> None:
    if fcntl is None:
        return
    for folder in sorted(Path(tempfile.gettempdir()).glob(FOLDER_PREFIX + "*")):
        run_id = folder.name.removeprefix(FOLDER_PREFIX)
        if not RUN_ID.fullmatch(run_id) or run_id == settings.run_id or not folder.is_dir():
            continue
        if not (folder / ALIVE).exists() and not _untouched_for_a_day(folder):
            continue  # an older harness's run, which holds no lock: it may be running
        try:
            alive_fd = os.open(folder / ALIVE, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:  # another user's, or gone meanwhile
            continue
        try:
            fcntl.flock(alive_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # its run is alive
            os.close(alive_fd)
            continue
        try:
            if (folder / KEPT).exists():
                if not drop_kept:
                    found.kept_left.append(str(folder))
                    continue
                found.kept_runs_removed.add(run_id)
            found.dead_runs.add(run_id)
            shutil.rmtree(folder, ignore_errors=True)
            found.folders.append(folder)
        finally:
            os.close(alive_fd)


def _untouched_for_a_day(folder: Path) -> bool:
    try:
        return time.time() - folder.stat().st_mtime > OLD_FOLDER_SECONDS
    except OSError:
        return False


def _remove_dead_databases(backend: ServerDatabases, connection: Connection, own_run: str,
                           found: Leftovers, *, drop_kept: bool) -> None:
    for run_id, names in backend.runs_on_server(connection).items():
        if run_id == own_run or not backend.run_is_dead(connection, run_id):
            continue
        if any(name.endswith("_kept") for name in names):
            if not drop_kept:
                found.kept_left.extend(names)
                continue
            found.kept_runs_removed.add(run_id)
        backend.drop_databases(connection, names)
        found.dead_runs.add(run_id)
        found.databases.extend(names)


# --- at the run's end -------------------------------------------------------------------------------


def finish(settings: HarnessSettings, backend: DatabaseBackend, locks: RunLocks,
           other_servers: list[str] | None = None) -> None:
    """Drop what the run made, or mark it kept under ``--keep-db``; then let the locks go.

    What is dropped is read from the server and the folder, not from what the workers reported:
    after Ctrl-C, xdist ends its workers before they report. Only the servers of binds of
    another kind than the run's (``other_servers``) are known from the reports.
    """
    try:
        for url in dict.fromkeys(other_servers or []):
            _finish_other_server(settings, url)
        kept = False
        if isinstance(backend, ServerDatabases) and locks.server is not None:
            own = backend.runs_on_server(locks.server).get(settings.run_id, [])
            if own and settings.keep_db:
                backend.mark_kept()
                kept = True
            elif own:
                backend.drop_databases(locks.server, own)
        kept = kept or (settings.keep_db and any(locks.folder.glob("test_*.sqlite")))
        if kept:
            (locks.folder / KEPT).touch()
        else:
            shutil.rmtree(locks.folder, ignore_errors=True)
    finally:
        release(locks)


def _finish_other_server(settings: HarnessSettings, url: str) -> None:
    """Drop the run's databases on a bind's server of its own (mark them kept under ``--keep-db``)."""
    other = backend_for(url, settings.run_folder, settings.run_id)
    assert isinstance(other, ServerDatabases)  # SQLite binds are files in the run folder
    if settings.keep_db:
        other.mark_kept()
        return
    with other.connected() as connection:
        other.drop_databases(connection, other.runs_on_server(connection).get(settings.run_id, []))


def release(locks: RunLocks) -> None:
    if locks.server is not None:
        locks.server.close()
        locks.server.engine.dispose()
        locks.server = None
    if locks.alive_fd is not None:
        os.close(locks.alive_fd)  # closing the file lets its lock go
        locks.alive_fd = None
