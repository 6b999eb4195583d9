#!/usr/bin/env python3
"""Fault-injecting HTTP server for xfu's integration tests. Loopback only.

Serves the files of --root. Path segments that start with '~' before the file
name are behaviours applied to that request, for example

    /~status=500/catalog.json        answer 500 with an HTML error page
    /~fail-first=2/catalog.json      503 + Retry-After: 1 for the first 2 requests
    /~drop=1000/rom.zip              close the connection after 1000 body bytes
    /~ignore-range/rom.zip           always 200 with the whole file
    /~range-start=5/rom.zip          206 whose Content-Range starts at byte 5
    /~corrupt=100/rom.zip            flip the byte at offset 100
    /~slow=200/rom.zip               sleep 200 ms between 4 KiB chunks
    /~stall/rom.zip                  send headers, then nothing
    /~silent-after=1/catalog.json    answer the first request, then accept
                                     each later one and never answer it
    /~redirect=other.json/x          302 to /other.json
    /~redirect-to=file:///etc/passwd/x   302 to that URL
    /~no-etag/~no-last-modified/f    leave out validators
    /~html/f                         serve the file as text/html
    /~at=1048576/~drop=1000/rom.zip  the behaviours after ~at apply only to
                                     requests whose Range starts at that byte
    /~one-at-a-time/rom.zip          429 + Retry-After: 1 while another
                                     request for the file is being answered
    /~if-range-ignored/rom.zip       206 for any Range, even when If-Range
                                     does not match the file's validators
    /~weak-etag/rom.zip              the ETag is weak (W/"..."); an If-Range
                                     holding it never matches
    /~etag=%22a%0Db%22/rom.zip       this ETag, percent-decoded, sent as is
                                     (control characters included)
    /~overstate=1000/rom.zip         Content-Length 1000 bytes more than the
                                     body, which is sent before closing
    /~extra=1000/rom.zip             1000 bytes more than Content-Length
    /~endless/rom.zip                chunked body that never ends (the file,
                                     then its bytes again and again)
    /~endless=close/rom.zip          the same without Content-Length or
                                     chunks: the body ends only at a close
    /~no-ranges/rom.zip              always 200 with the whole file, without
                                     Accept-Ranges (combine with ~drop)

Every request is logged; GET /_log returns the log as a JSON array of
{"method", "path", "headers"} and GET /_reset clears it. The server answers
conditional requests (If-None-Match, If-Modified-Since, If-Range) and byte
ranges. It writes its port to --port-file and exits after --lifetime seconds.
"""

import argparse
import email.utils
import hashlib
import http.server
import json
import os
import socketserver
import sys
import threading
import time
import urllib.parse

LOG = []
LOG_LOCK = threading.Lock()
COUNTERS = {}
ACTIVE = {}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "xfu-test-server"

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self.handle_request(send_body=False)

    def do_GET(self):
        self.handle_request(send_body=True)

    def handle_request(self, send_body):
        path = urllib.parse.urlsplit(self.path).path
        if path == "/_log":
            with LOG_LOCK:
                return self.send_bytes(200, json.dumps(LOG).encode(), "application/json")
        if path == "/_reset":
            with LOG_LOCK:
                LOG.clear()
                COUNTERS.clear()
            return self.send_bytes(200, b"ok\n", "text/plain")
        with LOG_LOCK:
            LOG.append({"method": self.command, "path": self.path, "headers": dict(self.headers.items())})

        segments = [s for s in path.split("/") if s]
        behaviours = {}
        while segments and segments[0].startswith("~"):
            name, _, value = segments.pop(0)[1:].partition("=")
            behaviours[name] = urllib.parse.unquote(value)
        name = "/".join(segments)
        if "at" in behaviours and self.range_start() != int(behaviours["at"]):
            behaviours = {}
        self.behaviours = behaviours

        if "silent-after" in behaviours:
            with LOG_LOCK:
                COUNTERS[path] = COUNTERS.get(path, 0) + 1
                count = COUNTERS[path]
            if count > int(behaviours["silent-after"]):
                time.sleep(3600)
                return
        if "fail-first" in behaviours:
            with LOG_LOCK:
                COUNTERS[path] = COUNTERS.get(path, 0) + 1
                count = COUNTERS[path]
            if count <= int(behaviours["fail-first"]):
                return self.send_error_page(503, {"Retry-After": behaviours.get("retry-after", "1")})
        if "status" in behaviours:
            return self.send_error_page(int(behaviours["status"]))
        if "redirect" in behaviours:
            return self.send_redirect("/" + behaviours["redirect"])
        if "redirect-to" in behaviours:
            return self.send_redirect(behaviours["redirect-to"])

        file_path = os.path.realpath(os.path.join(self.server.root, name))
        if not file_path.startswith(self.server.root + os.sep) or not os.path.isfile(file_path):
            return self.send_error_page(404)
        with open(file_path, "rb") as f:
            data = f.read()
        if "corrupt" in behaviours:
            offset = int(behaviours["corrupt"])
            data = data[:offset] + bytes([data[offset] ^ 0xFF]) + data[offset + 1:]
        if "one-at-a-time" not in behaviours:
            return self.send_file(data, os.path.getmtime(file_path), send_body)
        with LOG_LOCK:
            busy = ACTIVE.get(name, 0) > 0
            if not busy:
                ACTIVE[name] = 1
        if busy:
            return self.send_error_page(429, {"Retry-After": "1"})
        try:
            self.send_file(data, os.path.getmtime(file_path), send_body)
        finally:
            with LOG_LOCK:
                ACTIVE[name] = 0

    def range_start(self):
        header = self.headers.get("Range")
        if not header or not header.startswith("bytes="):
            return None
        first = header[len("bytes="):].split("-")[0]
        return int(first) if first.isdigit() else None

    def validators(self, data, mtime):
        headers = {}
        if "no-etag" not in self.behaviours:
            headers["ETag"] = '"%s"' % hashlib.md5(data).hexdigest()
        if "no-last-modified" not in self.behaviours:
            headers["Last-Modified"] = email.utils.formatdate(mtime, usegmt=True)
        if "etag" in self.behaviours:
            headers["ETag"] = self.behaviours["etag"]
        if "weak-etag" in self.behaviours and "ETag" in headers:
            headers["ETag"] = "W/" + headers["ETag"]
        return headers

    def not_modified(self, validators):
        etag = self.headers.get("If-None-Match")
        if etag is not None:
            return "ETag" in validators and etag == validators["ETag"]
        since = self.headers.get("If-Modified-Since")
        return since is not None and "Last-Modified" in validators and since == validators["Last-Modified"]

    def send_file(self, data, mtime, send_body):
        validators = self.validators(data, mtime)
        if self.not_modified(validators):
            self.send_response(304)
            for key, value in validators.items():
                self.send_header(key, value)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        start, status = 0, 200
        range_header = self.headers.get("Range")
        if_range = self.headers.get("If-Range")
        # If-Range compares strongly: a weak ETag never matches.
        strong = [value for value in validators.values() if not value.startswith("W/")]
        range_valid = if_range is None or if_range in strong
        if "if-range-ignored" in self.behaviours:
            range_valid = True
        if "no-ranges" in self.behaviours:
            range_valid = False
        if range_header and range_valid and "ignore-range" not in self.behaviours:
            first = range_header.replace("bytes=", "").split("-")[0]
            start = int(first) if first else 0
            if start >= len(data):
                self.send_response(416)
                self.send_header("Content-Range", "bytes */%d" % len(data))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            status = 206
        body = data[start:]
        self.send_response(status)
        self.send_header("Content-Type", "text/html" if "html" in self.behaviours else "application/octet-stream")
        if "no-ranges" not in self.behaviours:
            self.send_header("Accept-Ranges", "bytes")
        for key, value in validators.items():
            self.send_header(key, value)
        if status == 206:
            shown = int(self.behaviours.get("range-start", start))
            self.send_header("Content-Range", "bytes %d-%d/%d" % (shown, len(data) - 1, len(data)))
        if "endless" in self.behaviours:
            return self.send_endless(body, send_body)
        self.send_header("Content-Length", str(len(body) + int(self.behaviours.get("overstate", 0))))
        self.end_headers()
        if send_body:
            self.send_body(body + b"x" * int(self.behaviours.get("extra", 0)))
        if "overstate" in self.behaviours:
            self.close_connection = True
            try:
                self.connection.shutdown(2)
            except OSError:
                pass

    def send_endless(self, body, send_body):
        chunked = self.behaviours["endless"] != "close"
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        self.close_connection = True
        self.end_headers()
        try:
            while send_body:
                for start in range(0, len(body), 65536):
                    chunk = body[start:start + 65536]
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def send_body(self, body):
        if "stall" in self.behaviours:
            time.sleep(3600)
        limit = int(self.behaviours.get("drop", len(body)))
        delay = int(self.behaviours.get("slow", 0)) / 1000.0
        sent = 0
        try:
            while sent < min(limit, len(body)):
                chunk = body[sent:min(limit, sent + 4096)]
                self.wfile.write(chunk)
                sent += len(chunk)
                if delay:
                    self.wfile.flush()
                    time.sleep(delay)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        if limit < len(body):
            self.close_connection = True
            self.connection.shutdown(2)

    def send_bytes(self, status, body, content_type, extra=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_error_page(self, status, extra=None):
        page = "<html><body><h1>Error %d</h1></body></html>\n" % status
        self.send_bytes(status, page.encode(), "text/html", extra)

    def send_redirect(self, location):
        self.send_bytes(302, b"", "text/plain", {"Location": location})


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass  # a client that closed a kept-alive connection is not news


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--lifetime", type=float, default=600)
    args = parser.parse_args()
    server = Server(("127.0.0.1", 0), Handler)
    server.root = os.path.realpath(args.root)
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(args.port_file + ".tmp", args.port_file)
    threading.Timer(args.lifetime, lambda: os._exit(0)).start()
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
