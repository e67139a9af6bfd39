"""A loopback HTTP/1.1 server that hands each request to the app whose routing rule matches it.

Built on the standard library's ``ThreadingHTTPServer``: the fake must not grow a dependency for
a test-only endpoint, and a thread per connection with keep-alive is plenty for container
clients on 127.0.0.1. What the standard library leaves out is added here: chunked request
bodies, streamed (and chunked) responses, a plain answer to TLS probes, and closing idle
keep-alive connections when the server stops.

Apps are callables ``app(request) -> Response``. The routing table is an explicit list of
``(predicate, app)`` pairs, tried in order; a request no rule claims gets ECR's plain 404.
"""

from __future__ import annotations

import json
import socket
import ssl
import threading
from collections.abc import Iterable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Optional, Union
from urllib.parse import parse_qs, urlsplit

HOST = "127.0.0.1"
# Largest piece of a Content-Length body read at once: big enough that a blob PUT or POST
# usually arrives as one ``bytes`` object, which is then stored without being joined (copied).
READ_SIZE = 1 << 30
_TLS_HANDSHAKE = 0x16  # first byte of a TLS record carrying a ClientHello
_TLS_ANSWER = b"HTTP/1.0 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"

Body = Union[bytes, memoryview, Iterable[Union[bytes, memoryview]]]


class BadRequest(Exception):
    """A request whose framing (chunk sizes, lengths) cannot be read."""


class Request:
    """One HTTP request: method, path, query, headers, and a body read on demand."""

    def __init__(self, handler: BaseHTTPRequestHandler) -> None:
        split = urlsplit(handler.path)
        self.method = handler.command
        self.path = split.path
        self.query = parse_qs(split.query, keep_blank_values=True)
        self.headers = handler.headers
        self._rfile = handler.rfile
        self._chunked = "chunked" in (handler.headers.get("Transfer-Encoding") or "").lower()
        self._remaining = 0 if self._chunked else _content_length(handler.headers.get("Content-Length"))
        self._done = not self._chunked and self._remaining == 0

    def header(self, name: str) -> Optional[str]:
        return self.headers.get(name)

    def param(self, name: str) -> Optional[str]:
        """The first value of query parameter ``name`` (None if absent)."""
        values = self.query.get(name)
        return values[0] if values else None

    def iter_body(self) -> Iterator[bytes]:
        """The body in pieces, as it arrives (de-chunked); each piece is read only once."""
        while not self._done:
            piece = self._next_chunk() if self._chunked else self._next_piece()
            if piece:
                yield piece

    def body(self) -> bytes:
        pieces = list(self.iter_body())
        return pieces[0] if len(pieces) == 1 else b"".join(pieces)

    def drain(self) -> None:
        for _ in self.iter_body():
            pass

    def _next_piece(self) -> bytes:
        piece = self._rfile.read(min(self._remaining, READ_SIZE))
        if not piece:
            raise BadRequest("the connection closed before the request body ended")
        self._remaining -= len(piece)
        self._done = self._remaining == 0
        return piece

    def _next_chunk(self) -> bytes:
        line = self._rfile.readline(1024)
        try:
            size = int(line.split(b";", 1)[0].strip(), 16)
        except ValueError:
            raise BadRequest(f"bad chunk size line {line!r}") from None
        if size == 0:
            while self._rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                pass  # trailers
            self._done = True
            return b""
        piece = self._rfile.read(size)
        if len(piece) != size:
            raise BadRequest("the connection closed inside a chunk")
        self._rfile.readline(16)  # the CRLF closing the chunk
        return piece


def _content_length(value: Optional[str]) -> int:
    try:
        length = int(value) if value else 0
    except ValueError:
        raise BadRequest(f"bad Content-Length {value!r}") from None
    if length < 0:
        raise BadRequest(f"bad Content-Length {value!r}")
    return length


class Response:
    """An answer: status, headers, and a body given whole or as an iterable streamed out.

    ``length`` is the Content-Length of an iterable body (omitted: sent chunked), and the
    length announced by a HEAD answer, whose body is never sent.
    """

    __slots__ = ("status", "headers", "body", "length")

    def __init__(
        self, status: int, headers: Optional[dict[str, str]] = None, body: Body = b"", length: Optional[int] = None
    ) -> None:
        self.status = status
        self.headers = dict(headers or {})
        self.body = body
        if length is None and isinstance(body, (bytes, memoryview)):
            length = len(body)
        self.length = length


App = Callable[[Request], Response]
Predicate = Callable[[Request], bool]


def not_found(request: Request) -> Response:
    """ECR's answer to a path it does not serve: a plain-text 404."""
    return Response(404, {"Content-Type": "text/plain; charset=utf-8"}, b"404 page not found\n")


def internal_error(exc: BaseException) -> Response:
    """A bug inside fake_ecr, named as such (never a traceback)."""
    message = f"fake_ecr internal error: {exc!r}. This is a bug in fake_ecr, not in your code; please report it."
    body = json.dumps({"errors": [{"code": "UNKNOWN", "message": message}]}).encode()
    return Response(500, {"Content-Type": "application/json"}, body)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake_ecr"
    # Unparseable requests get a plain-text 400 (the standard library's default is an HTML page).
    error_message_format = "%(code)d %(message)s\n"
    error_content_type = "text/plain; charset=utf-8"
    default_request_version = "HTTP/1.0"  # answer a garbled request line with a status line too
    timeout = 300  # seconds an idle keep-alive connection may wait for its next request
    server: _Server

    def handle(self) -> None:
        if isinstance(self.connection, ssl.SSLSocket):
            try:
                self.connection.do_handshake()
            except (ssl.SSLError, OSError):
                return  # not a TLS client, or one that does not trust the certificate
        elif self._is_tls_hello():
            # Tools probe HTTPS first; a plain 400 lets them fall back to HTTP (Go's servers do so).
            self.wfile.write(_TLS_ANSWER)
            return
        self.server.track(self.connection, True)
        try:
            super().handle()
        finally:
            self.server.track(self.connection, False)

    def _is_tls_hello(self) -> bool:
        try:
            first = self.connection.recv(1, socket.MSG_PEEK)
        except OSError:
            return False
        return bool(first[:1] == bytes([_TLS_HANDSHAKE]))

    def _serve(self) -> None:
        try:
            request = Request(self)
        except BadRequest as exc:
            self._fail_framing(exc)
            return
        try:
            response = self.server.dispatch(request)
            request.drain()
        except BadRequest as exc:
            self._fail_framing(exc)
            return
        except Exception as exc:  # a bug in an app: report it, keep serving
            response = internal_error(exc)
            self.close_connection = True
        self._send(request, response)
        if self.server.log is not None:
            target = request.header("X-Amz-Target")
            self.server.log(f"{request.method} {self.path} {response.status}" + (f" {target}" if target else ""))

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _serve

    def _fail_framing(self, exc: BadRequest) -> None:
        self.close_connection = True
        self._send(None, Response(400, {"Content-Type": "text/plain; charset=utf-8"}, f"{exc}\n".encode()))

    def _send(self, request: Optional[Request], response: Response) -> None:
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        chunked = response.length is None
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        elif not any(name.lower() == "content-length" for name in response.headers):
            self.send_header("Content-Length", str(response.length))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command == "HEAD" or response.status in (204, 304):
            return
        self._write_body(response.body, chunked)

    def _write_body(self, body: Body, chunked: bool) -> None:
        pieces: Iterable[Union[bytes, memoryview]] = [body] if isinstance(body, (bytes, memoryview)) else body
        for piece in pieces:
            if not len(piece):
                continue
            if chunked:
                self.wfile.write(b"%x\r\n" % len(piece))
            self.wfile.write(piece)
            if chunked:
                self.wfile.write(b"\r\n")
        if chunked:
            self.wfile.write(b"0\r\n\r\n")

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: tests read the recorded calls, not an access log


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self,
        routes: list[tuple[Predicate, App]],
        fallback: App,
        tls: Optional[ssl.SSLContext],
        address: tuple[str, int],
        log: Optional[Callable[[str], None]],
    ) -> None:
        super().__init__(address, _Handler)
        self.log = log
        self.tls = tls
        self.routes = routes
        self.fallback = fallback
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()

    def get_request(self) -> tuple[socket.socket, object]:
        connection, address = super().get_request()
        # Headers and body go out in separate writes; without this, Nagle's algorithm holds the
        # body back until the client acknowledges the headers (tens of milliseconds per request).
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.tls is not None:  # the handshake happens in the connection's own thread
            connection = self.tls.wrap_socket(connection, server_side=True, do_handshake_on_connect=False)
        return connection, address

    def dispatch(self, request: Request) -> Response:
        for predicate, app in list(self.routes):
            if predicate(request):
                return app(request)
        return self.fallback(request)

    def track(self, connection: socket.socket, is_open: bool) -> None:
        with self._open_lock:
            (self._open.add if is_open else self._open.discard)(connection)

    def close_connections(self) -> None:
        with self._open_lock:
            connections, self._open = list(self._open), set()
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class LoopbackServer:
    """An HTTP/1.1 server on 127.0.0.1 and a free port, serving in a daemon thread.

    ``mount(predicate, app)`` adds a routing rule; rules are tried in the order they were added.
    With ``tls`` (a server-side ``SSLContext``) it speaks HTTPS instead of HTTP.
    """

    def __init__(
        self,
        fallback: App = not_found,
        tls: Optional[ssl.SSLContext] = None,
        *,
        host: str = HOST,
        port: int = 0,
        log: Optional[Callable[[str], None]] = None,
    ) -> None:
        """``host``/``port``: where to listen (loopback and a free port unless told otherwise);
        ``log``: called with one line per request served (``fake-ecr serve`` prints them)."""
        self.routes: list[tuple[Predicate, App]] = []
        self._address = (host, port)
        self._log = log
        self._fallback = fallback
        self._tls = tls
        self._server: Optional[_Server] = None
        self._thread: Optional[threading.Thread] = None

    def mount(self, predicate: Predicate, app: App) -> None:
        self.routes.append((predicate, app))

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the fake_ecr HTTP server is not running")
        return int(self._server.server_address[1])

    @property
    def scheme(self) -> str:
        return "https" if self._tls is not None else "http"

    @property
    def address(self) -> str:
        """``127.0.0.1:PORT``, the registry host name container tools are given."""
        return f"{self._address[0]}:{self.port}"

    def start(self) -> LoopbackServer:
        if self._server is None:
            self._server = _Server(self.routes, self._fallback, self._tls, self._address, self._log)
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"fake_ecr-http-{self.port}",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is None:
            return
        server.shutdown()
        server.close_connections()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)
