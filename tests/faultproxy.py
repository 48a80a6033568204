"""A small HTTP fault proxy on 127.0.0.1, put between the bot and a local wiki.

Tests need the wiki to misbehave on cue (go down mid-run, answer 503, ask
the bot to back off with a ``maxlag`` error, answer slowly) without
touching MediaWiki itself, so the proxy forwards every request to the
wiki's loopback port and applies the current :class:`Fault` on the way.
A fault can be limited to one API action (``action=edit``), can let the
first ``skip`` matching requests through and then hit only the next
``count`` ones, and can strike after forwarding (the wiki did the work,
the bot sees a failure): the case where a blind retry doubles an edit.

The bot reaches the proxy through a pywikibot family of its own
(:func:`proxy_family`), registered at run time like
``localwiki.pywiki.register`` does for the wiki itself.

Only loopback traffic: the proxy binds 127.0.0.1 and forwards to
127.0.0.1.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MODES = ("pass", "drop", "503", "maxlag", "delay")
HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length",
               "proxy-connection", "te", "trailer", "upgrade"}
MAXLAG_BODY = {"error": {"code": "maxlag", "info": "Waiting for 127.0.0.1: 1 seconds lagged",
                         "host": "127.0.0.1", "lag": 1, "type": "db"}}


@dataclass
class Fault:
    """What to do with matching requests; ``count=None`` means until changed."""

    mode: str = "pass"
    action: str | None = None  # only requests with this API action
    skip: int = 0  # let this many matching requests through first
    count: int | None = None  # then hit only this many
    delay: float = 0.0  # seconds, for mode "delay"
    after_forward: bool = False  # forward first, then fail ("drop" and "503")

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown fault mode {self.mode!r}; one of {MODES}")


class FaultProxy:
    """Threaded forwarding proxy; switch faults with :meth:`set` while it runs."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self._lock = threading.Lock()
        self._fault = Fault()
        self.seen: dict[str, int] = {}  # requests by action (every request, faulted or not)
        self.injected: dict[str, int] = {}  # faults applied, by mode
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)

    # ------------------------------------------------------------ lifecycle

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api.php"

    def start(self) -> FaultProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --------------------------------------------------------------- control

    def set(self, mode: str = "pass", **kwargs: Any) -> None:
        """Switch to a new fault (see :class:`Fault`); ``set()`` is pass-through."""
        fault = Fault(mode, **kwargs)
        with self._lock:
            self._fault = fault

    def total(self, action: str | None = None) -> int:
        with self._lock:
            return sum(self.seen.values()) if action is None else self.seen.get(action, 0)

    def _decide(self, action: str) -> Fault | None:
        """Count the request; return the fault to apply to it, if any."""
        with self._lock:
            self.seen[action] = self.seen.get(action, 0) + 1
            fault = self._fault
            if fault.mode == "pass" or (fault.action is not None and fault.action != action):
                return None
            if fault.skip > 0:
                fault.skip -= 1
                return None
            if fault.count is not None:
                if fault.count <= 0:
                    return None
                fault.count -= 1
            self.injected[fault.mode] = self.injected.get(fault.mode, 0) + 1
            return Fault(fault.mode, fault.action, 0, None, fault.delay, fault.after_forward)


def action_of(path: str, body: bytes, content_type: str) -> str:
    """The API action of a request (query string or urlencoded body)."""
    params = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
    if body and "multipart" not in content_type:
        params.update(urllib.parse.parse_qs(body.decode("utf-8", "replace")))
    elif body and b'name="action"' in body:  # multipart: the value follows the part headers
        tail = body.split(b'name="action"', 1)[1].split(b"\r\n\r\n", 1)[-1]
        return tail.split(b"\r\n", 1)[0].decode("ascii", "replace")
    return params.get("action", ["other"])[0]


def _handler_for(proxy: FaultProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"  # one request per connection: a drop hits one request

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
            return None

        def do_GET(self) -> None:  # noqa: N802 - http.server naming
            self._handle()

        def do_POST(self) -> None:  # noqa: N802
            self._handle()

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            fault = proxy._decide(action_of(self.path, body, self.headers.get("Content-Type", "")))
            if fault is not None and fault.mode == "delay":
                time.sleep(fault.delay)
                fault = None
            if fault is not None and not fault.after_forward:
                if fault.mode == "drop":
                    return self._drop()
                if fault.mode == "503":
                    return self._reply(503, b"Service Unavailable\n", [("Retry-After", "1")],
                                       "text/plain")
                if fault.mode == "maxlag":
                    return self._reply(200, json.dumps(MAXLAG_BODY).encode(),
                                       [("Retry-After", "1"), ("X-Database-Lag", "1")],
                                       "application/json; charset=utf-8")
            status, headers, payload = self._forward(body)
            if fault is not None and fault.mode == "drop":
                return self._drop()
            if fault is not None and fault.mode == "503":
                return self._reply(503, b"Service Unavailable\n", [("Retry-After", "1")], "text/plain")
            self._reply(status, payload, headers, None)

        def _forward(self, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
            conn = http.client.HTTPConnection("127.0.0.1", proxy.upstream_port, timeout=60)
            try:
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_HEADERS}
                headers["Connection"] = "close"
                conn.request(self.command, self.path, body=body or None, headers=headers)
                resp = conn.getresponse()
                payload = resp.read()
                return resp.status, [(k, v) for k, v in resp.getheaders()
                                     if k.lower() not in HOP_HEADERS], payload
            finally:
                conn.close()

        def _reply(self, status: int, payload: bytes, headers: list[tuple[str, str]],
                   content_type: str | None) -> None:
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            for key, value in headers:
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(payload)

        def _drop(self) -> None:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    return Handler


def proxy_family(wiki: Any, proxy: FaultProxy) -> str:
    """Declare a pywikibot family whose API is the proxy; returns its name.

    Logging in uses the wiki's own password file (its lines name no family,
    so they hold for this one): pass it as ``[wiki] password_file``."""
    import pywikibot.config as config

    name = f"{wiki.family}px{proxy.port}"
    config.family_files[name] = proxy.api_url
    config.usernames.setdefault(name, {})["*"] = wiki.bot_user
    return name


def proxy_config_toml(wiki: Any, family: str, state_url: str, extra: str = "") -> str:
    """A grantbot configuration that reaches ``wiki`` through the proxy family."""
    return (
        f'[wiki]\nfamily = "{family}"\ncode = "{family}"\nuser = "{wiki.bot_user}"\n'
        f'password_file = "{wiki.password_file}"\n'
        '[roles]\nreviewers = ["Ingrid Solberg", "Ravi Menon"]\n'
        f'[state]\nurl = "{state_url}"\n{extra}'
    )
