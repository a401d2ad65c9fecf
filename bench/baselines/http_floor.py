#!/usr/bin/env python3
"""The floor of "a minimal Python HTTP server": answers GET /?a=1&b=x with the query as a JSON
object ({"a": "1", "b": "x"}), HTTP/1.1 with keep-alive and Content-Length, one thread per
connection. The Java load generator measures it (scenarios http-floor, http-floor-load).
"""

import argparse
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


class EchoHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # TCP_NODELAY, and the head and body in one write: otherwise Nagle's algorithm and the
    # client's delayed ACK add ~40 ms to every keep-alive answer, which no real server has.
    disable_nagle_algorithm = True
    wbufsize = -1

    def do_GET(self):  # noqa: N802 - http.server's name
        query = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
        body = json.dumps(query).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def log_message(self, format, *args):  # noqa: A002 - quiet: one line per call would dominate
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--host", default="127.0.0.1")
    a = p.parse_args()
    server = Server((a.host, a.port), EchoHandler)
    print("http floor listening on http://%s:%d/" % (a.host, a.port), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
