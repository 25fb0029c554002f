"""Throwaway servers for the tests that stop, hang or restart one (the app: tests/apps.py).

Each PostgreSQL cluster and redis-server here runs from a temporary folder of its own on a free
port; a test stops, pauses or restarts only these, never the shared servers that DATABASE_URL and
REDIS_URL name. The fixtures stop and remove them at teardown, whatever the test did.
Outside CI a missing server program skips the test that needs it; in CI it fails it.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit

import psycopg
import pytest
import redis

TIMEOUT = 60  # seconds for a server to start or stop on a busy machine


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def missing(what: str) -> NoReturn:
    """Skip the test outside CI; in CI what a test needs must be there."""
    if os.environ.get("CI"):
        pytest.fail(f"CI must provide {what}")
    pytest.skip(f"needs {what}")


def wait_until(predicate: Callable[[], bool], what: str, timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not after {timeout}s")
        time.sleep(0.1)


def log_tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# --- identities: a restarted server is a different one ------------------------------------------


def postgres_identity(**connect: object) -> tuple[str | None, str]:
    """The postmaster's PID (when this user may read postmaster.pid) and its start time."""
    with psycopg.connect(**connect, autocommit=True, connect_timeout=5) as conn:
        started = str(conn.execute("SELECT pg_postmaster_start_time()").fetchone()[0])
        try:
            pid_file = conn.execute("SELECT pg_read_file('postmaster.pid')").fetchone()[0]
        except psycopg.Error:
            return None, started
    return pid_file.splitlines()[0], started


def redis_identity(url: str) -> tuple[int, str]:
    """The redis-server's process id and run_id (new at every start)."""
    with redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5) as client:
        info = client.info("server")
    return info["process_id"], info["run_id"]


def shared_servers() -> dict[str, object]:
    """Who the servers are that the settings name: the PostgreSQL postmaster and each Redis."""
    from django.conf import settings

    found: dict[str, object] = {}
    db = settings.DATABASES["default"]
    if "postgresql" in db["ENGINE"]:
        host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
        found[f"PostgreSQL {host}:{port}"] = _identity(
            postgres_identity, host=host, port=port, user=db["USER"], password=db["PASSWORD"],
            dbname="postgres",
        )  # fmt: skip
    for url in (settings.REDIS_URL, getattr(settings, "CACHE_URL", "")):
        if url.startswith("redis://"):
            server = urlsplit(url)
            found[f"Redis {server.hostname}:{server.port or 6379}"] = _identity(redis_identity, url)
    return found


def _identity(identity: Callable, *args: object, **kwargs: object) -> object:
    try:
        return identity(*args, **kwargs)
    except Exception as error:  # noqa: BLE001 - a server that does not answer is news too
        return f"not answering ({error.__class__.__name__}: {error})"


# --- Redis ---------------------------------------------------------------------------------------


class PrivateRedis:
    """A redis-server of the test's own: no persistence, on a port that stays the same."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.log = directory / "redis.log"
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def answers(self) -> bool:
        client = redis.Redis(port=self.port, socket_timeout=0.5, socket_connect_timeout=0.5)
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()

    def start(self) -> None:
        assert not self.running(), "this redis-server is running already"
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory), "--logfile", str(self.log)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + TIMEOUT
        while not self.answers():
            if not self.running() or time.monotonic() > deadline:
                self.close()
                raise RuntimeError(f"redis-server did not start:\n{log_tail(self.log)}")
            time.sleep(0.05)

    def stop(self) -> None:
        """Stop it (SIGTERM to its own process) and wait until it is gone."""
        if not self.running():
            return
        self.process.send_signal(signal.SIGCONT)  # a paused server would not act on SIGTERM
        self.process.terminate()
        try:
            self.process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=TIMEOUT)

    def pause(self) -> None:
        """SIGSTOP: it keeps accepting connections and never answers (a hung Redis)."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def close(self) -> None:
        if self.running():
            self.process.kill()  # SIGKILL ends a paused process too
            self.process.wait(timeout=TIMEOUT)


# --- PostgreSQL ----------------------------------------------------------------------------------


def postgres_bindir() -> Path | None:
    """Where initdb and pg_ctl are: pg_config's bindir, else Debian's newest, else the PATH."""
    candidates = []
    if shutil.which("pg_config"):
        found = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        candidates.append(Path(found.stdout.strip()))
    versions = Path("/usr/lib/postgresql").glob("*/bin")
    candidates += sorted(versions, key=lambda p: int(p.parent.name), reverse=True)
    if shutil.which("initdb"):
        candidates.append(Path(shutil.which("initdb")).parent)
    for bindir in candidates:
        if (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file():
            return bindir
    return None


class PrivatePostgres:
    """A PostgreSQL cluster of the test's own (initdb in a temporary folder, trust on 127.0.0.1).

    PostgreSQL refuses to run as root: as root, initdb and pg_ctl run as the postgres system user,
    who then owns the folder.
    """

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        # Not under pytest's tmp_path: the postgres user cannot enter root's 0700 folders.
        self.directory = Path(tempfile.mkdtemp(prefix="raregate-pg-"))
        self.owner = pwd.getpwnam("postgres") if os.geteuid() == 0 else None
        if self.owner:
            os.chown(self.directory, self.owner.pw_uid, self.owner.pw_gid)
        self.datadir = self.directory / "data"
        self.log = self.directory / "postgres.log"
        self.port = free_port()

    def _run(self, program: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bindir / program), *args]
        if self.owner:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(
            command,
            cwd=self.directory,
            capture_output=True,
            text=True,
            timeout=TIMEOUT + 30,
            env={**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"},
        )
        if check and result.returncode != 0:
            raise RuntimeError(
                f"{program} failed ({result.returncode}):\n{result.stdout}{result.stderr}"
                f"\n{log_tail(self.log)}"
            )
        return result

    def url(self, dbname: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def connect(self) -> dict:
        return {"host": "127.0.0.1", "port": self.port, "user": "postgres", "dbname": "postgres"}

    def initdb(self) -> None:
        self._run("initdb", "-D", str(self.datadir), "-U", "postgres", "--auth=trust",
                  "-E", "UTF8", "--no-locale", "--no-sync")  # fmt: skip

    def start(self) -> None:
        """Start it on its port and data folder (again, after a stop)."""
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.directory} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run("pg_ctl", "start", "-D", str(self.datadir), "-l", str(self.log), "-w",
                  "-t", str(TIMEOUT), "-o", options)  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        """`pg_ctl stop` on this cluster's data folder: no other server can be reached by it."""
        self._run("pg_ctl", "stop", "-D", str(self.datadir), "-m", mode, "-w", "-t", str(TIMEOUT))

    def running(self) -> bool:
        return self._run("pg_ctl", "status", "-D", str(self.datadir), check=False).returncode == 0

    def create_database(self, name: str) -> None:
        with psycopg.connect(**self.connect(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

    def close(self) -> None:
        try:
            if self.datadir.is_dir() and self.running():
                self.stop(mode="immediate")
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)


# --- fixtures (imported by tests/conftest.py) ---------------------------------------------------


@pytest.fixture
def private_redis(tmp_path_factory) -> Iterator[PrivateRedis]:
    """A running redis-server of this test's own; stopped and gone after it."""
    if shutil.which("redis-server") is None:
        missing("redis-server (apt-get install redis-server)")
    server = PrivateRedis(tmp_path_factory.mktemp("redis"))
    try:
        server.start()
        yield server
    finally:
        server.close()


@pytest.fixture
def private_postgres() -> Iterator[PrivatePostgres]:
    """A running PostgreSQL cluster of this test's own; stopped and removed after it."""
    bindir = postgres_bindir()
    if bindir is None:
        missing("PostgreSQL's initdb and pg_ctl (apt-get install postgresql)")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            missing("a postgres system user to run PostgreSQL as (this runs as root)")
        if shutil.which("runuser") is None:
            missing("runuser, to run PostgreSQL as the postgres user")
    server = PrivatePostgres(bindir)
    try:
        server.initdb()
        server.start()
        yield server
    finally:
        server.close()
