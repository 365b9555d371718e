"""The real Odoo server for a benchmark, multi-process (`--workers=2 --max-cron-threads=2`) on 127.0.0.1, and
calls to it over JSON-RPC: started in its own process group, stopped whole."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from configparser import ConfigParser
from pathlib import Path

from benchlib import CONF, ODOO_BIN, PYTHON

HOST = "127.0.0.1"


def server_config(db, port, gevent_port, folder):
    """An Odoo configuration for database `db` only, from bench.sh's (addons path, data dir)."""
    parser = ConfigParser(interpolation=None)
    parser.read(CONF)
    options = parser["options"]
    options.update(
        {
            "db_name": db,
            "dbfilter": f"^{db}$",
            "http_interface": HOST,
            "http_port": str(port),
            "gevent_port": str(gevent_port),
            "list_db": "False",
            "workers": "2",
            "max_cron_threads": "2",
            # A manual run of a whole job in an HTTP worker takes more than Odoo's 60 s per request.
            "limit_time_cpu": "3600",
            "limit_time_real": "3600",
            "limit_time_real_cron": "3600",
            "log_level": "info",
            "logfile": str(Path(folder) / "odoo.log"),
        }
    )
    path = Path(folder) / "odoo.conf"
    with path.open("w") as handle:
        parser.write(handle)
    return str(path)


class Server:
    """The real Odoo server, multi-process, in its own process group (killed whole at the end)."""

    def __init__(self, config, db, port, logfile):
        self.port = port
        self.logfile = logfile
        self.process = subprocess.Popen(
            [PYTHON, ODOO_BIN, "-c", config, "-d", db, "--workers=2", "--max-cron-threads=2"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout=180):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"bench: the Odoo server stopped at start; see {self.logfile}")
            try:
                with urllib.request.urlopen(f"http://{HOST}:{self.port}/web/login", timeout=10) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(1)
        self.stop()
        sys.exit(f"bench: the Odoo server did not answer on {HOST}:{self.port} within {timeout} s.")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(30)

    def log_text(self):
        return Path(self.logfile).read_text(errors="replace") if Path(self.logfile).exists() else ""


def rpc(port, service, method, *args, timeout=60):
    """Call `service.method(*args)` over Odoo's JSON-RPC; returns ("ok", result) or ("error", message)."""
    payload = json.dumps({"jsonrpc": "2.0", "method": "call", "params": {"service": service, "method": method,
                                                                          "args": args}}).encode()  # fmt: skip
    request = urllib.request.Request(f"http://{HOST}:{port}/jsonrpc", payload, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        answer = json.loads(response.read())
    if "error" in answer:
        data = answer["error"].get("data", {})
        return "error", data.get("message") or answer["error"].get("message")
    return "ok", answer["result"]
