#!/usr/bin/env python3
"""A small, misbehaving S3 stand-in for the publish tests (Python 3 standard library only).

It listens on 127.0.0.1 (a free port unless --port is given), prints the port on the first
line of standard output, and answers path-style S3 requests (`/bucket/key`) the way its
mode says. Signatures are not checked, and every bucket exists (empty until written).

Modes (--mode, or a control request):

  normal                   enough of S3 for `versus publish`: ListObjectsV2 (prefix, max-keys,
                           continuation-token), PutObject, GetObject, HeadObject, DeleteObjects
  slow-drip                the status line and headers, then the body 1 byte a second
  hang                     reads the request and never answers
  blackhole                never accepts a connection (the listen queue is kept full, so
                           connection attempts time out, as with a firewall that drops packets)
  repeat-token             ListObjectsV2 says "truncated" and gives the same continuation token
                           every time (other calls as normal)
  empty-token              ListObjectsV2 says "truncated" with no continuation token
  fail:STATUS:CODE[:N]     answers STATUS with the S3 error CODE to the first N requests, then
                           as normal; without N, to every request (fail:503:SlowDown,
                           fail:403:AccessDenied, fail:500:InternalError:2)
  cut-after:N              the first N PutObject calls succeed; every later one gets
                           403 AccessDenied, as if the publish were killed there

Control requests (never affected by the mode, except blackhole), answered with
{"mode": …, "requests": n, "puts": n, "lists": n} (counts leave out control requests):

  GET /__fault                   the state
  GET /__fault?mode=MODE         sets the mode and zeroes the counts
  GET /__fault?save=NAME         keeps a copy of every bucket
  GET /__fault?restore=NAME      brings that copy back
  GET /__fault?dump=BUCKET       every object in the bucket instead: {"key": "base64 of its bytes", …}
(one request may combine them: ?restore=v1&mode=cut-after:3)

The server stops by itself after --max-seconds (default 300), and when its parent process is gone.
"""

import argparse
import base64
import copy
import email.utils
import hashlib
import http.server
import json
import os
import socket
import sys
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

MESSAGES = {
    "AccessDenied": "Access Denied",
    "SlowDown": "Please reduce your request rate.",
    "InternalError": "We encountered an internal error. Please try again.",
    "ServiceUnavailable": "Service is unable to handle request.",
    "NoSuchKey": "The specified key does not exist.",
}
STORED_HEADERS = ("content-type", "cache-control", "content-encoding", "x-amz-website-redirect-location")


class State:
    def __init__(self, mode):
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.buckets = {}   # bucket -> key -> (body bytes, {header: value})
        self.saved = {}
        self.set_mode(mode)

    def set_mode(self, mode):
        self.mode = mode
        self.requests = 0
        self.puts = 0
        self.lists = 0

    def bucket(self, name):
        return self.buckets.setdefault(name, {})


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fault-s3"

    def log_message(self, *args):
        pass

    # Every method goes through one dispatcher.
    def do_GET(self): self.dispatch()
    def do_HEAD(self): self.dispatch()
    def do_PUT(self): self.dispatch()
    def do_POST(self): self.dispatch()
    def do_DELETE(self): self.dispatch()

    @property
    def state(self):
        return self.server.state

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return body
                body += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def answer(self, status, body=b"", headers=None, content_type="application/xml"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def error(self, status, code, resource):
        body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s</Code><Message>%s</Message>"
                "<Resource>%s</Resource><RequestId>fault-s3</RequestId></Error>"
                % (escape(code), escape(MESSAGES.get(code, code)), escape(resource))).encode()
        self.answer(status, body)

    def dispatch(self):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        body = self.read_body()
        if url.path == "/__fault":
            return self.control(query)
        st = self.state
        with st.lock:
            st.requests += 1
            n = st.requests
            mode = st.mode
            parts = url.path.lstrip("/").split("/", 1)
            bucket = urllib.parse.unquote(parts[0])
            key = urllib.parse.unquote(parts[1]) if len(parts) > 1 else ""
            is_list = self.command == "GET" and not key and query.get("list-type") == "2"
            is_put = self.command == "PUT" and key
            if is_list:
                st.lists += 1
            if is_put:
                st.puts += 1
            puts = st.puts

        if mode == "hang":
            st.stop.wait()
            return
        if mode == "slow-drip":
            return self.drip()
        if mode.startswith("fail:"):
            f = mode.split(":")
            if len(f) < 4 or n <= int(f[3]):
                return self.error(int(f[1]), f[2], url.path)
        if mode.startswith("cut-after:") and is_put and puts > int(mode.split(":")[1]):
            return self.error(403, "AccessDenied", url.path)
        if is_list and mode in ("repeat-token", "empty-token"):
            token = "<NextContinuationToken>again</NextContinuationToken>" if mode == "repeat-token" else ""
            xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult><Name>%s</Name>"
                   "<IsTruncated>true</IsTruncated>%s<Contents><Key>k</Key><Size>1</Size>"
                   "<ETag>&quot;0cc175b9c0f1b6a831c399e269772661&quot;</ETag></Contents></ListBucketResult>"
                   % (escape(bucket), token))
            return self.answer(200, xml.encode())
        self.normal(bucket, key, query, body)

    def drip(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        try:
            while not self.state.stop.wait(1.0):
                self.wfile.write(b" ")
                self.wfile.flush()
        except OSError:
            pass
        self.close_connection = True

    def normal(self, bucket, key, query, body):
        st = self.state
        with st.lock:
            objects = st.bucket(bucket)
            if self.command == "GET" and not key:
                return self.list(bucket, objects, query)
            if self.command == "PUT" and not key:
                return self.answer(200)
            if self.command == "PUT":
                headers = {h: self.headers[h] for h in self.headers.keys()
                           if h.lower() in STORED_HEADERS or h.lower().startswith("x-amz-meta-")}
                objects[key] = (body, headers)
                return self.answer(200, headers={"ETag": '"%s"' % hashlib.md5(body).hexdigest()})
            if self.command in ("GET", "HEAD") and key:
                if key not in objects:
                    return self.error(404, "NoSuchKey", "/%s/%s" % (bucket, key))
                data, headers = objects[key]
                headers = dict(headers)
                headers["ETag"] = '"%s"' % hashlib.md5(data).hexdigest()
                headers["Last-Modified"] = email.utils.formatdate(usegmt=True)
                content_type = headers.pop("Content-Type", headers.pop("content-type", "binary/octet-stream"))
                if self.command == "HEAD":
                    # The length of the object, not of this (empty) answer.
                    self.send_response(200)
                    self.send_header("Content-Type", content_type)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    return
                return self.answer(200, data, headers, content_type)
            if self.command == "POST" and "delete" in query:
                for element in ET.fromstring(body).iter():
                    if element.tag.endswith("Key"):
                        objects.pop(element.text or "", None)
                return self.answer(200, b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DeleteResult></DeleteResult>")
            if self.command == "DELETE" and key:
                objects.pop(key, None)
                return self.answer(204)
        self.error(400, "InvalidRequest", self.path)

    def list(self, bucket, objects, query):
        prefix = query.get("prefix", "")
        start = query.get("continuation-token", "")
        limit = int(query.get("max-keys", "1000"))
        keys = sorted(k for k in objects if k.startswith(prefix) and k > start)
        page, rest = keys[:limit], keys[limit:]
        xml = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult><Name>%s</Name><Prefix>%s</Prefix>"
               "<KeyCount>%d</KeyCount><MaxKeys>%d</MaxKeys><IsTruncated>%s</IsTruncated>"
               % (escape(bucket), escape(prefix), len(page), limit, "true" if rest else "false")]
        if rest:
            xml.append("<NextContinuationToken>%s</NextContinuationToken>" % escape(page[-1]))
        for k in page:
            data = objects[k][0]
            xml.append("<Contents><Key>%s</Key><Size>%d</Size><ETag>&quot;%s&quot;</ETag></Contents>"
                       % (escape(k), len(data), hashlib.md5(data).hexdigest()))
        xml.append("</ListBucketResult>")
        self.answer(200, "".join(xml).encode())

    def control(self, query):
        st = self.state
        with st.lock:
            if "mode" in query:
                st.set_mode(query["mode"])
            if "save" in query:
                st.saved[query["save"]] = copy.deepcopy(st.buckets)
            if "restore" in query:
                st.buckets = copy.deepcopy(st.saved[query["restore"]])
            if "dump" in query:
                report = {k: base64.b64encode(v[0]).decode() for k, v in st.bucket(query["dump"]).items()}
            else:
                report = {"mode": st.mode, "requests": st.requests, "puts": st.puts, "lists": st.lists}
        self.answer(200, json.dumps(report).encode(), content_type="application/json")


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def blackhole(port):
    """A socket that listens but never accepts, its queue filled by our own connections,
    so the kernel drops further connection attempts and they time out."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", port))
    listener.listen(0)
    fillers = []
    for _ in range(4):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        s.connect_ex(listener.getsockname())
        fillers.append(s)
    time.sleep(0.2)
    return listener, fillers


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--mode", default="normal")
    parser.add_argument("--max-seconds", type=float, default=300)
    args = parser.parse_args()

    parent = os.getppid()

    def watch():
        deadline = time.monotonic() + args.max_seconds
        while os.getppid() == parent and time.monotonic() < deadline:
            time.sleep(0.2)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()

    if args.mode == "blackhole":
        listener, _fillers = blackhole(args.port)
        print(listener.getsockname()[1], flush=True)
        threading.Event().wait()

    server = Server(("127.0.0.1", args.port), Handler)
    server.state = State(args.mode)
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever(poll_interval=0.1)
    finally:
        server.state.stop.set()


if __name__ == "__main__":
    sys.exit(main())
