"""Several app hosts for the multi-host test (not fixtures): gunicorn instances,
a job consumer, a reverse proxy in front, and a browser that fills in forms.

:class:`Hosts` starts each process with the project's own ``gunicorn.conf.py``
(settings from the environment, an access log per host) and stops them all.
The proxy is HAProxy from Debian (:func:`start_haproxy`) or, where it is not
installed, :class:`RoundRobinProxy`, a small thread that sends each request to
the next host in turn.  Neither keeps a visitor on one host.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import unescape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import cycle
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
#: Variables a developer's shell may set that would point a host elsewhere.
CLEARED = ("DATABASE_URL", "REDIS_URL", "RATELIMIT_STORAGE_URI", "RATELIMIT_KEY_PREFIX",
           "JOINED_UP_ENV", "FLASK_DEBUG", "PORT", "HOST", "WEB_CONCURRENCY", "GUNICORN_THREADS",
           "GUNICORN_TIMEOUT", "ACCESS_LOG", "BASE_URL", "SECRET_KEY")
START_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def haproxy_path() -> str | None:
    return shutil.which("haproxy") or next(
        (str(p) for p in (Path("/usr/sbin/haproxy"),) if p.exists()), None)


def environment(settings_file: Path, instance: Path, **extra: str) -> dict[str, str]:
    """The environment of every process: the shared settings file, an instance folder of its own."""
    env = {name: value for name, value in os.environ.items() if name not in CLEARED}
    env.update(JOINED_UP_SETTINGS=str(settings_file), JOINED_UP_INSTANCE_PATH=str(instance),
               PYTHONPATH=str(ROOT), **extra)
    return env


@dataclass
class Host:
    """One gunicorn instance: where it listens and its access log."""

    name: str
    port: int
    access_log: Path

    def requests_seen(self) -> int:
        """Requests logged so far (gunicorn writes one line each)."""
        if not self.access_log.exists():
            return 0
        return sum(1 for line in self.access_log.read_text(errors="replace").splitlines()
                   if '"' in line and "/healthz" not in line)


@dataclass
class Hosts:
    """The processes of one world: app hosts, a job consumer, a proxy."""

    folder: Path
    settings_file: Path
    hosts: list[Host] = field(default_factory=list)
    processes: list[tuple[str, subprocess.Popen[bytes]]] = field(default_factory=list)
    stoppers: list[Any] = field(default_factory=list)

    def _start(self, name: str, command: Sequence[str], env: dict[str, str]) -> None:
        log = self.folder / f"{name}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(list(command), cwd=ROOT, env=env, stdout=out,
                                       stderr=subprocess.STDOUT)
        self.processes.append((name, process))

    def start_host(self, name: str) -> Host:
        host = Host(name, free_port(), self.folder / f"{name}-access.log")
        env = environment(self.settings_file, self.folder / f"{name}-instance", PORT=str(host.port),
                          ACCESS_LOG=str(host.access_log), WEB_CONCURRENCY="1", GUNICORN_THREADS="4")
        self._start(name, [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py"], env)
        self.hosts.append(host)
        return host

    def start_consumer(self) -> None:
        env = environment(self.settings_file, self.folder / "consumer-instance")
        self._start("consumer", [str(BIN / "huey_consumer"), "assessment.worker.huey",
                                 "--workers", "1", "--max-delay", "0.5"], env)

    def start_haproxy(self, executable: str) -> int:
        """HAProxy in front of the hosts, round robin, no stickiness; its port."""
        port = free_port()
        config = self.folder / "haproxy.cfg"
        servers = "".join(f"  server {h.name} 127.0.0.1:{h.port}\n" for h in self.hosts)
        config.write_text(
            "global\n  maxconn 200\n"
            "defaults\n  mode http\n  option forwardfor\n  timeout connect 5s\n"
            "  timeout client 60s\n  timeout server 60s\n"
            f"frontend web\n  bind 127.0.0.1:{port}\n  default_backend hosts\n"
            f"backend hosts\n  balance roundrobin\n{servers}")
        self._start("haproxy", [executable, "-db", "-f", str(config)], dict(os.environ))
        return port

    def start_thread_proxy(self) -> int:
        proxy = RoundRobinProxy([h.port for h in self.hosts])
        self.stoppers.append(proxy.stop)
        return proxy.port

    def wait_until_up(self, port: int) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            for name, process in self.processes:
                assert process.poll() is None, f"{name} stopped:\n{self.log(name)}"
            try:
                if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.2)
        raise AssertionError(f"127.0.0.1:{port} did not start:\n{self.logs()}")

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def logs(self) -> str:
        return "\n".join(f"--- {name}\n{self.log(name)}" for name, _ in self.processes)

    def stop(self) -> None:
        for stop in self.stoppers:
            stop()
        for name, process in self.processes:
            # gunicorn and HAProxy stop at once on SIGINT; huey's consumer on SIGTERM.
            process.send_signal(signal.SIGTERM if name == "consumer" else signal.SIGINT)
        for _name, process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


class RoundRobinProxy:
    """A reverse proxy in a thread: each request goes to the next port in turn."""

    HOP_BY_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
                  "proxy-connection"})

    def __init__(self, ports: Sequence[int]) -> None:
        turns, lock, hop = cycle(ports), threading.Lock(), self.HOP_BY_HOP

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _forward(self) -> None:
                with lock:
                    port = next(turns)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k: v for k, v in self.headers.items() if k.lower() not in hop}
                headers["X-Forwarded-For"] = self.client_address[0]
                upstream = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                try:
                    upstream.request(self.command, self.path, body=body or None, headers=headers)
                    answer = upstream.getresponse()
                    content = answer.read()
                    self.send_response(answer.status, answer.reason)
                    for name, value in answer.getheaders():
                        if name.lower() not in hop and name.lower() != "content-length":
                            self.send_header(name, value)
                    self.send_header("Content-Length", str(len(content)))
                    self.end_headers()
                    self.wfile.write(content)
                finally:
                    upstream.close()

            do_GET = do_POST = do_HEAD = _forward

            def log_message(self, format: str, *args: Any) -> None:
                pass  # the hosts' access logs say where each request went

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


_HIDDEN = re.compile(r'<input[^>]*type="hidden"[^>]*>')
_ATTRIBUTE = re.compile(r'(name|value)="([^"]*)"')


def hidden_fields(page: str) -> dict[str, str]:
    """Every hidden input of a page (the CSRF token, a response's reference, a revision)."""
    fields = {}
    for tag in _HIDDEN.findall(page):
        attributes = dict(_ATTRIBUTE.findall(tag))
        if "name" in attributes:
            fields[attributes["name"]] = unescape(attributes.get("value", ""))
    return fields


class Browser:
    """One visitor through the proxy: a cookie jar, forms filled in as a browser would."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.session = requests.Session()

    def get(self, path: str, expect: int = 200) -> requests.Response:
        answer = self.session.get(self.base + path, allow_redirects=False, timeout=60)
        assert answer.status_code == expect, (path, answer.status_code, answer.text[:2000])
        return answer

    def submit(self, page_path: str, to: str | None = None, expect: int = 302,
               files: dict[str, Any] | None = None, **fields: str) -> requests.Response:
        """GET ``page_path``, then POST its hidden fields and ``fields`` to ``to`` (or itself)."""
        page = self.get(page_path).text
        data = {**hidden_fields(page), **fields}
        answer = self.session.post(self.base + (to or page_path), data=data, files=files,
                                   allow_redirects=False, timeout=60)
        assert answer.status_code == expect, (to or page_path, answer.status_code,
                                              answer.text[:2000])
        return answer
