"""A minimal Confluent-compatible schema registry on 127.0.0.1, for the registry client path.

It serves only the two endpoints the codec uses: POST /subjects/{subject}/versions (register,
idempotent) and GET /schemas/ids/{id} (fetch a writer schema).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Registry:
    def __init__(self) -> None:
        self.schemas: dict[int, str] = {}
        self.subjects: dict[str, list[int]] = {}
        self.requests: list[str] = []

    def register(self, subject: str, schema: str) -> int:
        found = next((i for i, text in self.schemas.items() if text == schema), None)
        schema_id = found or len(self.schemas) + 100
        self.schemas[schema_id] = schema
        versions = self.subjects.setdefault(subject, [])
        if schema_id not in versions:
            versions.append(schema_id)
        return schema_id


def _handler(registry: Registry) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/vnd.schemaregistry.v1+json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            registry.requests.append(f"POST {self.path}")
            found = re.match(r"^/subjects/([^/?]+)/versions", self.path)
            if not found:
                return self._answer(404, {"error_code": 404, "message": "no such endpoint"})
            length = int(self.headers.get("Content-Length", 0))
            schema = json.loads(self.rfile.read(length))["schema"]
            schema_id = registry.register(found[1], schema)
            self._answer(200, {"id": schema_id})

        def do_GET(self) -> None:
            registry.requests.append(f"GET {self.path}")
            found = re.match(r"^/schemas/ids/(\d+)", self.path)
            if not found or int(found[1]) not in registry.schemas:
                return self._answer(404, {"error_code": 40403, "message": "Schema not found"})
            self._answer(200, {"schema": registry.schemas[int(found[1])]})

    return Handler


@contextmanager
def running_registry() -> Iterator[tuple[str, Registry]]:
    registry = Registry()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(registry))
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", registry
    finally:
        server.shutdown()
        server.server_close()
