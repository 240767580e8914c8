"""The engines a multi-node Newsroom runs on, each started and stopped here by process id.

Everything listens on 127.0.0.1, on ports taken from one fixed range (PORTS) after
checking that nothing else holds them. Readiness is what each engine signals (a port that
answers, a query that succeeds, /readyz), never a fixed sleep.
"""

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = ROOT / ".venv" / "bin"
PORTS = range(7200, 7300)


class EngineFailed(RuntimeError):
    pass


def free_ports(count: int) -> list[int]:
    """The first `count` ports of PORTS that nothing listens on or holds."""
    found = []
    for port in PORTS:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        found.append(port)
        if len(found) == count:
            return found
    raise EngineFailed(f"fewer than {count} free ports in {PORTS.start}-{PORTS.stop - 1}")


def answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


def wait_for(what: str, ready, *, process=None, seconds: float = 60, log: Path | None = None):
    """Poll `ready()` until it is true; fail at once if the process behind it died."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if ready():
            return
        if process is not None and process.poll() is not None:
            raise EngineFailed(f"{what} exited with {process.returncode}{tail(log)}")
        time.sleep(0.05)
    raise EngineFailed(f"{what} not ready after {seconds} s{tail(log)}")


def tail(log: Path | None, lines: int = 30) -> str:
    if log is None or not log.exists():
        return ""
    return "\n--- " + str(log) + "\n" + "\n".join(log.read_text().splitlines()[-lines:])


class Engine:
    """One server process, known by its pid, logging to a file of its own."""

    name = "engine"
    stop_signal = signal.SIGTERM

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.log = workdir / f"{self.name}.log"
        self.process: subprocess.Popen | None = None

    @property
    def pid(self) -> int:
        return self.process.pid

    def spawn(self, args: list[str], **kwargs) -> subprocess.Popen:
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, **kwargs
            )
        return self.process

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def signal_stop(self) -> None:
        if self.running():
            os.kill(self.process.pid, self.stop_signal)

    def stop(self, timeout: float = 15) -> None:
        """Ask the process to stop, wait for it, and kill it if it will not."""
        self.signal_stop()
        if self.process is None:
            return
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout)

    def kill(self) -> None:
        """SIGKILL: the machine lost power, as far as this process can tell."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(15)


def stop_together(engines: list[Engine]) -> None:
    """Stop every engine (all asked at once, then each waited for), newest first."""
    for engine in reversed(engines):
        engine.signal_stop()
    for engine in reversed(engines):
        engine.stop()


# --- PostgreSQL: a primary from initdb and a streaming replica from pg_basebackup.


def postgres_bindir() -> Path:
    if os.environ.get("PG_BINDIR"):
        return Path(os.environ["PG_BINDIR"])
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: int(Path(path).parent.parent.name),
    )
    if not found:
        raise EngineFailed("no PostgreSQL server binaries (apt-get install postgresql)")
    return Path(found[-1]).parent


def _as_postgres() -> dict:
    # PostgreSQL refuses to run as root: under root, run it as the postgres account.
    if os.geteuid() != 0:
        return {}
    account = pwd.getpwnam("postgres")
    return {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}


def _give_to_postgres(path: Path) -> None:
    if os.geteuid() == 0:
        account = pwd.getpwnam("postgres")
        os.chown(path, account.pw_uid, account.pw_gid)


class PostgreSQL(Engine):
    # SIGINT is PostgreSQL's "fast shutdown": clients cut off, data written, clean stop.
    stop_signal = signal.SIGINT

    def __init__(self, workdir: Path, port: int, name: str):
        self.name = name
        super().__init__(workdir)
        self.port = port
        self.bindir = postgres_bindir()
        self.datadir = workdir / name
        self.sockets = workdir / f"{name}-sockets"

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, args: list[str]) -> None:
        with open(self.log, "ab") as log:
            subprocess.run(args, stdout=log, stderr=subprocess.STDOUT, check=True, **_as_postgres())

    def _prepare_dirs(self) -> None:
        for path in (self.datadir, self.sockets):
            path.mkdir(mode=0o700)
            _give_to_postgres(path)

    def init_primary(self) -> None:
        self._prepare_dirs()
        self._run(
            [
                str(self.bindir / "initdb"),
                "--pgdata",
                str(self.datadir),
                "--username",
                "postgres",
                "--auth",
                "trust",
                "--encoding",
                "UTF8",
                "--no-instructions",
                "--no-sync",
            ]
        )

    def init_replica_of(self, primary: "PostgreSQL") -> None:
        self._prepare_dirs()
        # -R writes standby.signal and primary_conninfo: it starts as a streaming standby.
        self._run(
            [
                str(self.bindir / "pg_basebackup"),
                "--host",
                "127.0.0.1",
                "--port",
                str(primary.port),
                "--username",
                "postgres",
                "--pgdata",
                str(self.datadir),
                "--wal-method",
                "stream",
                "--checkpoint",
                "fast",
                "--write-recovery-conf",
                "--no-sync",
            ]
        )

    def start(self) -> None:
        settings = {
            "listen_addresses": "127.0.0.1",
            "port": str(self.port),
            "unix_socket_directories": str(self.sockets),
            "max_connections": "100",
            "wal_level": "replica",
            "max_wal_senders": "5",
            "hot_standby": "on",
            # A throwaway cluster: durability against power loss buys nothing here.
            "fsync": "off",
            "full_page_writes": "off",
            "logging_collector": "off",
        }
        args = [str(self.bindir / "postgres"), "-D", str(self.datadir)]
        for name, value in settings.items():
            args += ["-c", f"{name}={value}"]
        self.spawn(args, **_as_postgres())
        wait_for(self.name, self.accepts_queries, process=self.process, log=self.log)

    def query(self, sql: str, database: str = "postgres") -> str:
        result = subprocess.run(
            [
                str(self.bindir / "psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                database,
                "-XAtqc",
                sql,
            ],
            capture_output=True,
            text=True,
            timeout=30,
        )
        if result.returncode != 0:
            raise EngineFailed(f"{self.name}: {sql!r} failed: {result.stderr.strip()}")
        return result.stdout.strip()

    def accepts_queries(self) -> bool:
        try:
            return self.query("SELECT 1") == "1"
        except EngineFailed:
            return False


# --- Redis, moto's S3 server, Varnish.


class Redis(Engine):
    name = "redis"

    def __init__(self, workdir: Path, port: int):
        super().__init__(workdir)
        self.port = port

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.launch()
        self.wait_until_ready()

    def launch(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise EngineFailed("no redis-server binary (apt-get install redis-server)")
        self.spawn(
            [
                binary,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
                "--daemonize",
                "no",
            ]
        )

    def wait_until_ready(self) -> None:
        wait_for("redis", self.pongs, process=self.process, log=self.log)

    def pongs(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False


class S3Server(Engine):
    """moto's server mode: speaks the S3 wire protocol, keeps objects in its memory.

    A stand-in for real object storage on a machine with no MinIO or Ceph package.
    """

    name = "s3"

    def __init__(self, workdir: Path, port: int):
        super().__init__(workdir)
        self.port = port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def launch(self) -> None:
        self.spawn([str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(self.port)])

    def wait_until_ready(self) -> None:
        wait_for("moto S3 server", lambda: answers(self.port), process=self.process, log=self.log)


class Varnish(Engine):
    name = "varnish"

    def __init__(self, workdir: Path, port: int, admin_port: int):
        super().__init__(workdir)
        self.port = port
        self.admin_port = admin_port
        self.state = workdir / "varnish-state"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, backends: list[int]) -> None:
        binary = shutil.which("varnishd") or "/usr/sbin/varnishd"
        if not Path(binary).exists():
            raise EngineFailed("no varnishd (apt-get install varnish varnish-modules)")
        config = self.workdir / "varnish-config"
        config.mkdir()
        (config / "backends.vcl").write_text(backends_vcl(backends))
        # Varnish reads its configuration as its own account, which may not enter the
        # checkout (a clone in a private temporary folder): it gets a copy it can read.
        shutil.copy(ROOT / "deploy" / "varnish" / "newsroom.vcl", config / "newsroom.vcl")
        args = [
            binary,
            "-F",  # in the foreground: the pid we hold is Varnish's own
            "-n",
            str(self.state),
            "-a",
            f"127.0.0.1:{self.port}",
            "-T",
            f"127.0.0.1:{self.admin_port}",
            "-f",
            str(config / "newsroom.vcl"),
            "-p",
            f"vcl_path={config}",
            "-s",
            "malloc,64m",
        ]
        if os.geteuid() != 0:
            args += ["-j", "none"]
        self.spawn(args)
        wait_for("varnish", lambda: answers(self.port), process=self.process, log=self.log)


def backends_vcl(ports: list[int]) -> str:
    """The app servers for newsroom.vcl, in the shape of deploy/varnish/backends.vcl."""
    probe = """acl purgers {
    "127.0.0.1";
}

probe newsroom_ready {
    .request =
        "GET /readyz HTTP/1.1"
        "Host: 127.0.0.1"
        "Connection: close";
    .interval = 0.5s;
    .timeout = 1s;
    .window = 3;
    .threshold = 2;
    .initial = 2;
}
"""
    backends = "".join(
        f"""
backend app{number} {{
    .host = "127.0.0.1";
    .port = "{port}";
    .probe = newsroom_ready;
    .connect_timeout = 1s;
    .first_byte_timeout = 30s;
}}
"""
        for number, port in enumerate(ports, start=1)
    )
    adds = "".join(f"    newsroom.add_backend(app{n});\n" for n in range(1, len(ports) + 1))
    return (
        probe
        + backends
        + (f"\nsub vcl_init {{\n    new newsroom = directors.round_robin();\n{adds}}}\n")
    )


# --- The app: gunicorn servers and a task worker, all from this checkout.


class AppServer(Engine):
    def __init__(self, workdir: Path, port: int, env: dict, name: str):
        self.name = name
        super().__init__(workdir)
        self.port = port
        self.env = env

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, ready) -> None:
        self.launch()
        self.wait_until(ready)

    def launch(self) -> None:
        self.spawn(
            [
                str(VENV_BIN / "gunicorn"),
                "newsroom.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--timeout",
                "30",
                # gunicorn's control socket has one default path per user: two servers on
                # one machine would take it from each other.
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=self.env,
        )

    def wait_until(self, ready) -> None:
        wait_for(self.name, lambda: ready(self.url), process=self.process, log=self.log)

    def kill(self) -> None:
        """SIGKILL the master and each worker by pid: the machine is gone, mid-request."""
        for pid in reversed(self.processes()):
            os.kill(pid, signal.SIGKILL)
        self.process.wait(15)

    def processes(self) -> list[int]:
        """The master's pid and its workers' (gunicorn forks them)."""
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text().split()
        return [self.pid, *map(int, children)]


class TaskWorker(Engine):
    name = "worker"

    def __init__(self, workdir: Path, env: dict):
        super().__init__(workdir)
        self.env = env

    def start(self) -> None:
        self.spawn(
            [str(VENV_BIN / "python"), "manage.py", "db_worker", "--interval", "0.2"],
            cwd=ROOT,
            env=self.env,
        )
