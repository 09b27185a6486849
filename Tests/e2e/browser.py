#!/usr/bin/env python3
"""Checks built pages in a real browser: Debian's headless Chromium, driven over the
Chrome DevTools Protocol (a WebSocket, spoken here with the standard library only).

    browser.py SITE_DIR --screenshots OUT_DIR --shoot /page/ ... --axe AXE_JS [--axe-all]

- serves SITE_DIR on 127.0.0.1 (a free port) the way a CDN does (/x/ -> x/index.html);
- takes a full-page screenshot of each --shoot page at 1280 and 390 px wide, and checks
  the layout there: header links at least 24 px tall, a gap between the header and the
  breadcrumb, and no horizontal scrolling of the page itself (wide tables scroll inside
  their wrap);
- runs axe-core (AXE_JS, axe.min.js) on every page of the site (--axe-all) or on the
  --shoot pages, and fails on any violation.

Exits 1 on any failure, and 2 when Chromium or axe.min.js is missing: it never skips.
"""
import argparse
import base64
import functools
import http.server
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request


class WebSocket:
    """The client side of RFC 6455, enough for CDP: text frames, masked, no extensions."""

    def __init__(self, url):
        assert url.startswith("ws://")
        hostport, path = url[5:].split("/", 1)
        host, port = hostport.split(":")
        self.sock = socket.create_connection((host, int(port)), timeout=60)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /{path} HTTP/1.1\r\nHost: {hostport}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        response = b""
        while b"\r\n\r\n" not in response:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise RuntimeError("WebSocket handshake: connection closed")
            response += chunk
        if b" 101 " not in response.split(b"\r\n", 1)[0]:
            raise RuntimeError("WebSocket handshake refused: %r" % response[:200])
        self.buffer = response.split(b"\r\n\r\n", 1)[1]

    def send(self, text):
        data = text.encode()
        header = bytearray([0x81])
        if len(data) < 126:
            header.append(0x80 | len(data))
        elif len(data) < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", len(data))
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", len(data))
        mask = os.urandom(4)
        self.sock.sendall(bytes(header) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def _read(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise RuntimeError("WebSocket closed")
            self.buffer += chunk
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out

    def receive(self):
        message = b""
        while True:
            b0, b1 = self._read(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            payload = self._read(n)
            opcode = b0 & 0x0F
            if opcode == 8:
                raise RuntimeError("WebSocket closed by the browser")
            if opcode in (0, 1, 2):
                message += payload
                if b0 & 0x80:
                    return message.decode()


class Browser:
    def __init__(self, chromium):
        self.profile = tempfile.mkdtemp(prefix="versus-chromium-")
        self.process = subprocess.Popen(
            [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--hide-scrollbars", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
             "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
             f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        deadline = time.time() + 60
        while not os.path.exists(port_file) or not open(port_file).read().strip():
            if time.time() > deadline or self.process.poll() is not None:
                raise RuntimeError("Chromium did not start (no DevToolsActivePort)")
            time.sleep(0.1)
        port = open(port_file).read().split()[0]
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=30))
        page = next(t for t in targets if t["type"] == "page")
        self.ws = WebSocket(page["webSocketDebuggerUrl"])
        self.next_id = 0
        self.call("Page.enable")
        self.call("Runtime.enable")

    def call(self, method, **params):
        self.next_id += 1
        my_id = self.next_id
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.receive())
            if message.get("id") == my_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError("page script failed: %s" % json.dumps(result["exceptionDetails"])[:500])
        return result["result"].get("value")

    def open(self, url, width):
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=900, deviceScaleFactor=1,
                  mobile=width < 600)
        self.call("Page.navigate", url=url)
        deadline = time.time() + 30
        while self.evaluate("document.readyState") != "complete":
            if time.time() > deadline:
                raise RuntimeError(f"{url} did not load")
            time.sleep(0.05)
        self.evaluate("document.fonts.ready.then(() => true)")

    def screenshot(self, path):
        shot = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))

    def close(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=folder))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


LAYOUT = """((width) => {
  const out = [];
  for (const a of document.querySelectorAll('.masthead nav a')) {
    const h = a.getBoundingClientRect().height;
    if (h < 24) out.push(`header link "${a.textContent.trim()}" is ${h.toFixed(1)} px tall (under 24)`);
  }
  const header = document.querySelector('.masthead'), crumbs = document.querySelector('.breadcrumbs, .page-header');
  if (header && crumbs) {
    const gap = crumbs.getBoundingClientRect().top - header.getBoundingClientRect().bottom;
    if (gap < 12) out.push(`the page starts ${gap.toFixed(1)} px below the header (under 12)`);
  }
  const footer = document.querySelector('.site-footer'), main = document.querySelector('main');
  const last = main && main.lastElementChild;
  if (footer && last) {
    const gap = footer.getBoundingClientRect().top - last.getBoundingClientRect().bottom;
    if (gap < 12) out.push(`the content ends ${gap.toFixed(1)} px above the footer (under 12)`);
  }
  const wide = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth);
  if (wide > width + 1) out.push(`the page is ${wide} px wide on a ${width} px screen`);
  for (const w of document.querySelectorAll('.table-wrap')) {
    const s = getComputedStyle(w);
    if (s.overflowX !== 'auto' && s.overflowX !== 'scroll') out.push('a .table-wrap does not scroll');
  }
  return out;
})"""


def pages(folder):
    for root, _, files in os.walk(folder):
        for name in sorted(files):
            if name.endswith(".html"):
                rel = os.path.relpath(os.path.join(root, name), folder).replace(os.sep, "/")
                yield "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("site")
    parser.add_argument("--screenshots", default=None)
    parser.add_argument("--shoot", action="append", default=[])
    parser.add_argument("--axe", required=True)
    parser.add_argument("--axe-all", action="store_true")
    args = parser.parse_args()

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("FAIL browser: chromium not installed (make test-deps installs Debian's)", file=sys.stderr)
        return 2
    if not os.path.isfile(args.axe):
        print(f"FAIL browser: {args.axe} not found (make test-deps fetches axe-core)", file=sys.stderr)
        return 2
    axe = open(args.axe, encoding="utf-8").read()

    server = serve(args.site)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    browser = Browser(chromium)
    failures = 0
    try:
        for path in args.shoot:
            for width in (1280, 390):
                browser.open(base + path, width)
                problems = browser.evaluate(f"{LAYOUT}({width})")
                name = path.strip("/").replace("/", "_") or "index"
                if args.screenshots:
                    os.makedirs(args.screenshots, exist_ok=True)
                    shot = os.path.join(args.screenshots, f"{name}-{width}.png")
                    browser.screenshot(shot)
                    print(f"screenshot {shot}")
                for p in problems:
                    print(f"FAIL layout {path} at {width} px: {p}")
                    failures += 1
                if not problems:
                    print(f"ok   layout {path} at {width} px")
        checked = list(pages(args.site)) if args.axe_all else args.shoot
        violations = 0
        for path in checked:
            browser.open(base + path, 1280)
            browser.evaluate(axe + "\n;true")
            result = browser.evaluate("axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => "
                                      "({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)})))")
            for v in result:
                print(f"FAIL axe {path}: {v['id']} ({v['impact']}): {v['help']} at {', '.join(v['nodes'])}")
            violations += len(result)
        version = browser.evaluate("axe.version")
        print(f"axe-core {version}: {len(checked)} pages, {violations} violations")
        failures += violations
    finally:
        browser.close()
        server.shutdown()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
