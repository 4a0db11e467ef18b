"""Helpers several test modules share: a local HTTP server, and the tiny districts as a boundary file."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable
from pathlib import Path


class Server:
    """A local HTTP server on 127.0.0.1 whose every GET is answered by ``respond(handler)``.

    ``handler.send_body(bytes)`` answers 200 with the body. ``url`` ends in ``filename``.
    """

    def __init__(self, respond: Callable, filename: str = "file"):
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                try:
                    respond(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def send_body(self, body: bytes, status: int = 200):
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/{filename}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @classmethod
    def serving(cls, body: bytes | None, filename: str, status: int = 200) -> Server:
        """A server answering every GET with ``status`` and ``body``."""
        return cls(lambda handler: handler.send_body(body or b"", status), filename)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def tiny_boundary_file(tmp_path: Path, tiny_districts) -> Path:
    """The tiny districts of ``conftest`` as a COD-AB-like GeoJSON file."""
    frame = tiny_districts.rename(
        columns={"pcode": "ADM2_PCODE", "district": "ADM2_EN", "province": "ADM1_EN", "province_pcode": "ADM1_PCODE"}
    )[["ADM2_PCODE", "ADM2_EN", "ADM1_EN", "ADM1_PCODE", "geometry"]]
    path = tmp_path / "tiny.geojson"
    frame.to_file(path)
    return path
