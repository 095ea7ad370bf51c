"""A minimal HTTP/2-over-TLS server on 127.0.0.1 (h2 library + ssl with ALPN), with a
self-signed certificate made at start-up, to check that `make_client` really speaks HTTP/2.

Serves /robots.txt (404) and any other path as a small HTML page with an ETag, honouring
If-None-Match; logs the request paths and the negotiated ALPN protocol.
"""

from __future__ import annotations

import datetime
import ipaddress
import socket
import ssl
import threading
from pathlib import Path

import h2.config
import h2.connection
import h2.events
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

PAGE = b"<!DOCTYPE html><html><body><p>Served over HTTP/2.</p></body></html>"
ETAG = '"h2-v1"'


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (usable as its own trust anchor)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class H2Server:
    def __init__(self, directory: Path) -> None:
        self.cert, key = make_certificate(directory)
        self._ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._ctx.load_cert_chain(self.cert, key)
        self._ctx.set_alpn_protocols(["h2", "http/1.1"])
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        self.base_url = f"https://127.0.0.1:{self.port}"
        self.paths: list[str] = []
        self.alpn: list[str | None] = []
        self._stopped = threading.Event()

    def start(self) -> H2Server:
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        self._sock.close()

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                raw, _ = self._sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(raw,), daemon=True).start()

    def _serve(self, raw: socket.socket) -> None:
        try:
            conn = self._ctx.wrap_socket(raw, server_side=True)
        except (ssl.SSLError, OSError):
            raw.close()
            return
        self.alpn.append(conn.selected_alpn_protocol())
        h2conn = h2.connection.H2Connection(
            h2.config.H2Configuration(client_side=False, header_encoding="utf-8")
        )
        h2conn.initiate_connection()
        try:
            conn.sendall(h2conn.data_to_send())
            while not self._stopped.is_set():
                data = conn.recv(65535)
                if not data:
                    break
                for event in h2conn.receive_data(data):
                    if isinstance(event, h2.events.RequestReceived):
                        self._respond(h2conn, event)
                conn.sendall(h2conn.data_to_send())
        except (OSError, ssl.SSLError):
            pass
        finally:
            conn.close()

    def _respond(self, h2conn: h2.connection.H2Connection, event: object) -> None:
        headers = dict(event.headers)  # type: ignore[attr-defined]
        stream_id = event.stream_id  # type: ignore[attr-defined]
        path = headers[":path"]
        self.paths.append(path)
        if path == "/robots.txt":
            status, body, extra = "404", b"", []
        elif headers.get("if-none-match") == ETAG:
            status, body, extra = "304", b"", [("etag", ETAG)]
        else:
            status, body, extra = "200", PAGE, [("etag", ETAG)]
        response = [(":status", status), ("content-type", "text/html; charset=utf-8")]
        if status != "304":
            response.append(("content-length", str(len(body))))
        h2conn.send_headers(stream_id, response + extra, end_stream=status == "304")
        if status != "304":
            h2conn.send_data(stream_id, body, end_stream=True)
