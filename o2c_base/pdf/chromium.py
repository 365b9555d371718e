"""Print HTML documents to PDF with headless Chromium through the DevTools protocol (no Odoo import).

Chromium is driven over `--remote-debugging-pipe` (file descriptors 3 and 4), so no debugging port is
opened that another local user could reach. Each document is served to the browser by intercepting the
navigation to its URL (under the report URL of the Odoo server): the page gets the server's origin, so
its relative links, stylesheets, fonts and images load as they would for wkhtmltopdf, and `file://`
resources stay out of reach. A watchdog thread sums the resident memory of the browser's processes
and kills them all beyond the memory cap.
"""

import base64
import contextlib
import fcntl
import json
import logging
import os
import re
import resource
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.parse
import uuid

import psutil

from ..tools.errors import CoreError
from . import version_output

_logger = logging.getLogger(__name__)

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
DEFAULT_MEMORY_LIMIT_MB = 1536
DEFAULT_TIMEOUT = 180
MM_PER_INCH = 25.4
# Wait until stylesheets, images and web fonts are in: the page's load event, then its fonts.
READY_SCRIPT = """new Promise((resolve) => {
    const done = () => document.fonts.ready.then(() => requestAnimationFrame(() => resolve(true)));
    if (document.readyState === "complete") { done(); } else { window.addEventListener("load", done); }
})"""


class ChromiumError(CoreError):
    """Chromium could not print the document. `kind` says why: missing, memory (over its cap), timeout,
    crash, protocol (a command refused) or layout; `reason` in plain words."""

    def __init__(self, kind, reason):
        super().__init__(kind, "%(kind)s: %(reason)s", kind=kind, reason=reason)
        self.kind = kind
        self.reason = reason


def find_chromium():
    """Path of the Chromium (or Chrome) executable on the PATH, or None."""
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def chromium_version(executable):
    """Version string of the Chromium at `executable` ("156.0.8078.114"), or "" when it does not answer."""
    match = re.search(r"(\d+(?:\.\d+)+)", version_output(executable))
    return match.group(1) if match else ""


class MemoryWatchdog(threading.Thread):
    """Polls the memory used by a process and its descendants (each one's private resident memory, plus
    the memory they share counted once); kills its process group beyond `limit_bytes`. `peak` is the
    highest total seen."""

    def __init__(self, pid, limit_bytes, interval=0.1):
        super().__init__(daemon=True)
        self.pid = pid
        self.limit_bytes = limit_bytes
        self.interval = interval
        self.peak = 0
        self.exceeded = False
        self._stop_event = threading.Event()

    def total_memory(self):
        """Memory (bytes) used by the process and all its descendants now: the sum of their resident memory
        not shared, plus the largest resident memory shared by one of them (what they share, counted once).
        It follows the sum of their proportional set sizes (PSS) within a few percent, a little above, from
        /proc/<pid>/statm: reading the PSS from /proc/<pid>/smaps took 0.1 s of CPU for Chromium's ten
        processes at each poll, 2.4 s over the print of a 50-page statement."""
        try:
            root = psutil.Process(self.pid)
            processes = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return 0
        private = shared = 0
        for process in processes:
            try:
                memory = process.memory_info()
            except psutil.Error:
                continue
            private += memory.rss - memory.shared
            shared = max(shared, memory.shared)
        return private + shared

    def run(self):
        while not self._stop_event.wait(self.interval):
            total = self.total_memory()
            self.peak = max(self.peak, total)
            if total > self.limit_bytes:
                self.exceeded = True
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.pid, signal.SIGKILL)
                return

    def stop(self):
        self._stop_event.set()


class ChromiumPrinter:
    """One headless Chromium, used as a context manager: `print_html` as many documents as needed, the
    browser and its temporary profile are removed on exit. `peak_memory` is the highest memory used by
    all the browser's processes together (bytes).

    The documents are served from `base_url`; a request under it is first offered to `resolve(url)`,
    which returns (content type, bytes) to answer it from the caller, or None to let it go to the network.
    """

    def __init__(
        self,
        base_url,
        resolve=None,
        executable=None,
        memory_limit_mb=DEFAULT_MEMORY_LIMIT_MB,
        timeout=DEFAULT_TIMEOUT,
        cookies=(),
    ):
        self.executable = executable or find_chromium()
        if not self.executable:
            raise ChromiumError("missing", "no chromium executable on the PATH")
        self.memory_limit_mb = memory_limit_mb
        self.deadline = time.monotonic() + timeout
        self.timeout = timeout
        self.process = None
        self.watchdog = None
        self._profile = None
        self._read_fd = self._write_fd = None
        self._buffer = b""
        self._next_id = 0
        self._events = []
        self._session = None
        self._documents = {}
        self._cookies = list(cookies)
        self.base_url = base_url.rstrip("/")
        self._resolve = resolve or (lambda url: None)

    # ------------------------------------------------------------------ process

    def __enter__(self):
        self._profile = tempfile.mkdtemp(prefix="o2c-chromium-")
        to_browser_read, to_browser_write = os.pipe()
        from_browser_read, from_browser_write = os.pipe()
        command = [
            self.executable,
            "--headless",
            "--no-sandbox",  # as root, Chromium refuses to start with its sandbox
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-default-apps",
            "--disable-sync",
            "--no-first-run",
            "--no-default-browser-check",
            "--mute-audio",
            "--hide-scrollbars",
            "--font-render-hinting=none",
            "--remote-debugging-pipe",
            f"--user-data-dir={self._profile}",
            "about:blank",
        ]

        def prepare_child():
            # Odoo's limit_memory_hard caps the address space (RLIMIT_AS) of the server and its children:
            # Chromium reserves far more address space than it uses and dies at once under it. The cap
            # that holds is the watchdog's, on the memory really used.
            _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
            # the protocol reads its commands on fd 3 and writes its replies on fd 4
            commands = fcntl.fcntl(to_browser_read, fcntl.F_DUPFD, 10)
            replies = fcntl.fcntl(from_browser_write, fcntl.F_DUPFD, 10)
            os.dup2(commands, 3)
            os.dup2(replies, 4)

        try:
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                preexec_fn=prepare_child,
                pass_fds=(3, 4),  # kept open by the child after prepare_child
                start_new_session=True,  # its own process group, killed at once by the watchdog or on exit
            )
        except OSError as error:
            raise ChromiumError("missing", f"Chromium could not be started ({error})") from error
        finally:
            os.close(to_browser_read)
            os.close(from_browser_write)
        self._write_fd, self._read_fd = to_browser_write, from_browser_read
        self.watchdog = MemoryWatchdog(self.process.pid, self.memory_limit_mb * 1024 * 1024)
        self.watchdog.start()
        try:
            target = self._blank_page()
            self._session = self._call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            self._call("Page.enable", session=True)
            if self._cookies:
                self._call("Network.setCookies", {"cookies": self._cookies}, session=True)
            pattern = {"urlPattern": f"{self.base_url}/*", "requestStage": "Request"}
            self._call("Fetch.enable", {"patterns": [pattern]}, session=True)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc_info):
        if self.process and self.process.poll() is None:
            try:
                self._send("Browser.close")
                self.process.wait(5)
            except (OSError, subprocess.TimeoutExpired) as error:
                _logger.debug("Chromium did not close by itself (%s): killed", error)
        if self.process:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        if self.watchdog:
            self.watchdog.stop()
            self.watchdog.join()
        for fd in (self._read_fd, self._write_fd):
            if fd is not None:
                os.close(fd)
        self._read_fd = self._write_fd = None
        if self._profile:
            shutil.rmtree(self._profile, ignore_errors=True)
        return False

    def _blank_page(self):
        """The id of the tab the browser opened at start (about:blank on its command line), else of a new one:
        a new tab starts a renderer process of its own while the first one stays idle."""
        pages = [target for target in self._call("Target.getTargets")["targetInfos"] if target["type"] == "page"]
        if pages:
            return pages[0]["targetId"]
        return self._call("Target.createTarget", {"url": "about:blank"})["targetId"]

    @property
    def peak_memory(self):
        """Highest resident memory of the browser's processes together so far (bytes)."""
        return self.watchdog.peak if self.watchdog else 0

    # ------------------------------------------------------------------ protocol

    def _fail(self, kind, reason):
        if self.watchdog and self.watchdog.exceeded:
            raise ChromiumError("memory", f"over the memory cap of {self.memory_limit_mb} MB, stopped")
        raise ChromiumError(kind, reason)

    def _send(self, method, params=None, session=False):
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self._session
        try:
            os.write(self._write_fd, json.dumps(message).encode() + b"\0")
        except OSError:
            self._fail("crash", "Chromium stopped answering (it crashed or was killed)")
        return self._next_id

    def _receive(self):
        while b"\0" not in self._buffer:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                self._fail("timeout", f"not finished within {self.timeout} seconds")
            ready, _write, _error = select.select([self._read_fd], [], [], min(remaining, 1.0))
            if not ready:
                continue
            chunk = os.read(self._read_fd, 1 << 20)
            if not chunk:
                self._fail("crash", "Chromium stopped answering (it crashed or was killed)")
            self._buffer += chunk
        message, _separator, self._buffer = self._buffer.partition(b"\0")
        return json.loads(message)

    def _handle_event(self, message):
        if message.get("method") == "Fetch.requestPaused":
            params = message["params"]
            url = params["request"]["url"]
            if url in self._documents:
                answer = ("text/html; charset=utf-8", self._documents[url].encode())
            else:
                answer = self._resolve(url)
            if answer is None and urllib.parse.urlparse(url).path == "/favicon.ico":
                # a page's icon, never printed: asked of the server, it would outlive the print
                self._send(
                    "Fetch.fulfillRequest", {"requestId": params["requestId"], "responseCode": 404}, session=True
                )
            elif answer is None:
                self._send("Fetch.continueRequest", {"requestId": params["requestId"]}, session=True)
            else:
                content_type, content = answer
                headers = [{"name": "Content-Type", "value": content_type}]
                body = base64.b64encode(content).decode()
                self._send(
                    "Fetch.fulfillRequest",
                    {"requestId": params["requestId"], "responseCode": 200, "responseHeaders": headers, "body": body},
                    session=True,
                )
        else:
            self._events.append(message)

    def _call(self, method, params=None, session=False):
        """Send one command and return its result, handling the events that arrive meanwhile."""
        message_id = self._send(method, params, session)
        while True:
            message = self._receive()
            if message.get("id") == message_id:
                if "error" in message:
                    raise ChromiumError("protocol", f"Chromium refused {method}: {message['error'].get('message')}")
                return message.get("result", {})
            if "method" in message:
                self._handle_event(message)

    def _wait_event(self, method):
        while True:
            for index, event in enumerate(self._events):
                if event.get("method") == method:
                    return self._events.pop(index)
            message = self._receive()
            if "method" in message:
                self._handle_event(message)

    # ------------------------------------------------------------------ printing

    def print_html(self, html, paper_size_mm, margins_mm, landscape=False, scale=1.0):
        """Print one HTML document to PDF and return its bytes: `paper_size_mm` (width, height),
        `margins_mm` (top, right, bottom, left). The document is served from the base URL, so its links
        resolve as they would on the server."""
        url = f"{self.base_url}/o2c_base/pdf_document/{uuid.uuid4().hex}.html"
        self._documents = {url: html}
        self._events.clear()
        navigation = self._call("Page.navigate", {"url": url}, session=True)
        if navigation.get("errorText"):
            raise ChromiumError("protocol", f"the document did not open: {navigation['errorText']}")
        self._wait_event("Page.loadEventFired")
        self._call("Runtime.evaluate", {"expression": READY_SCRIPT, "awaitPromise": True}, session=True)
        self._documents = {}
        width, height = paper_size_mm
        top, right, bottom, left = margins_mm
        result = self._call(
            "Page.printToPDF",
            {
                "landscape": bool(landscape),
                "printBackground": True,
                "displayHeaderFooter": False,
                "preferCSSPageSize": False,
                "generateTaggedPDF": False,
                "scale": scale,
                "paperWidth": width / MM_PER_INCH,
                "paperHeight": height / MM_PER_INCH,
                "marginTop": top / MM_PER_INCH,
                "marginRight": right / MM_PER_INCH,
                "marginBottom": bottom / MM_PER_INCH,
                "marginLeft": left / MM_PER_INCH,
                "transferMode": "ReturnAsStream",
            },
            session=True,
        )
        return self._read_stream(result["stream"])

    def _read_stream(self, handle):
        chunks = []
        while True:
            part = self._call("IO.read", {"handle": handle, "size": 4 << 20}, session=True)
            data = part.get("data", "")
            chunks.append(base64.b64decode(data) if part.get("base64Encoded") else data.encode("latin-1"))
            if part.get("eof"):
                break
        self._call("IO.close", {"handle": handle}, session=True)
        return b"".join(chunks)
