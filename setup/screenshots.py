"""python setup/screenshots.py URL DB OUTDIR — the README's walkthrough screenshots of the demo database.

Logs in as the demo's named users in headless Chromium (DevTools protocol), opens each screen of the cycle's
story, saves one PNG per screen (palette-reduced) into OUTDIR, and the first page of an invoice PDF (pdftoppm).
Exits with one sentence on the first screen that does not show up.
"""

import base64
import http.cookiejar
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import websocket
from PIL import Image

WIDTH, HEIGHT = 1280, 760


class Failure(Exception):
    """A step that cannot be done: its message is the script's one sentence."""


class Rpc:
    """JSON-RPC of the Odoo server as one user (a cookie session)."""

    def __init__(self, url, db, login):
        self.url = url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.call("/web/session/authenticate", {"db": db, "login": login, "password": login})

    def call(self, path, params):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}).encode()
        request = urllib.request.Request(self.url + path, body, {"Content-Type": "application/json"})
        answer = json.load(self.opener.open(request, timeout=120))
        if answer.get("error"):
            raise Failure(f"the server refused {path}: {answer['error']['data']['message']}")
        return answer["result"]

    def search(self, model, domain, order="id desc"):
        """The id of the first record of `model` matching `domain` (fails when there is none)."""
        ids = self.call(
            "/web/dataset/call_kw",
            {"model": model, "method": "search", "args": [domain], "kwargs": {"limit": 1, "order": order}},
        )
        if not ids:
            raise Failure(f"the demo database has no {model} matching {domain}: was it built by ./setup/run.sh?")
        return ids[0]

    def get(self, path):
        return self.opener.open(self.url + path, timeout=300).read()


class Browser:
    """One headless Chromium page driven over the DevTools protocol."""

    def __init__(self):
        chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
        if not chromium:
            raise Failure("Chromium is not installed.")
        self.profile = tempfile.mkdtemp(prefix="o2c-shots-")
        self.process = subprocess.Popen(
            [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
             "--remote-debugging-port=0", f"--user-data-dir={self.profile}", f"--window-size={WIDTH},{HEIGHT}",
             "--lang=fr-FR", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        port = None
        deadline = time.time() + 60
        while time.time() < deadline and port is None:
            line = self.process.stderr.readline()
            found = re.search(r"ws://127\.0\.0\.1:(\d+)/", line)
            port = found and found.group(1)
        if not port:
            raise Failure("headless Chromium did not start.")
        pages = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list"))
        page = next(target for target in pages if target["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=120)
        self.next_id = 0
        self.send("Page.enable")
        self.send("Emulation.setDeviceMetricsOverride", width=WIDTH, height=HEIGHT, deviceScaleFactor=1, mobile=False)

    def send(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise Failure(f"Chromium refused {method}: {message['error']['message']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        return result.get("result", {}).get("value")

    def open(self, url, selector, what):
        """Open `url` and wait until `selector` shows and the page is quiet."""
        self.send("Page.navigate", url=url)
        check = (
            f"document.readyState === 'complete' && !!document.querySelector({json.dumps(selector)})"
            " && ![...document.querySelectorAll('.o_loading_indicator, .o_blockUI')].some((el) => el.offsetParent)"
        )
        deadline = time.time() + 90
        while time.time() < deadline:
            if self.evaluate(check):
                time.sleep(2)  # the last rendering (fonts, charts)
                return
            time.sleep(0.5)
        raise Failure(f"{what} did not show at {url} within 90 s.")

    def screenshot(self, path):
        data = base64.b64decode(self.send("Page.captureScreenshot", format="png")["data"])
        save_png(Image.open(io.BytesIO(data)), path)

    def close(self):
        self.process.terminate()
        self.process.wait(timeout=30)
        shutil.rmtree(self.profile, ignore_errors=True)


def save_png(image, path):
    """Save `image` with a 256-colour palette: screens of text stay sharp and small."""
    image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def story_records(rpc):
    """The ids of the records of the walkthrough, found by the story customers' names."""

    def customer(name):
        return rpc.search("res.partner", [("name", "=", name)])

    def invoice(name, extra=()):
        return rpc.search("account.move", [("partner_id", "=", customer(name)), ("move_type", "=", "out_invoice"),
                                           *extra], order="invoice_date desc, id desc")  # fmt: skip

    contested = invoice("Imprimerie de la Croix-Rousse SAS", [("o2c_dunning_level_id", "!=", False)])
    return {
        "held": rpc.search("sale.order", [("partner_id", "=", customer("Hôtel des Célestins SAS"))]),
        "deposited": invoice("Librairie du Passage SARL", [("o2c_pa_state", "=", "sent")]),
        "contested": contested,
        "contested_case": rpc.search("o2c.dispute", [("invoice_ids", "in", [contested])]),
        "resumed_case": rpc.search("o2c.dispute", [("partner_id", "=", customer("Menuiserie de la Guillotière SARL"))]),
        "promise": rpc.search("o2c.dunning.promise", [("partner_id", "=", customer("Transports Rhône Express SAS"))]),
        "partial": invoice("Pharmacie des Brotteaux SARL"),
        "cashed": invoice("Cabinet Confluence Conseil SAS"),
        "health_check": rpc.search("o2c.cockpit.health.check", [], order="date desc, id desc"),
    }


def shots(ids):
    """(file, login or None, path, selector) of each screen, in the walkthrough's order."""
    form, listing = ".o_form_view .o_form_sheet", ".o_list_view .o_data_row"
    return [
        ("01-login", None, "/web/login", ".oe_login_form #login"),
        ("02-credit-approvals", "claire.credit", "/odoo/action-o2c_credit.o2c_credit_approval_action", listing),
        ("03-held-order", "claire.credit", f"/odoo/sale.order/{ids['held']}", form),
        ("04-deposited-invoice", "julien.compta", f"/odoo/account.move/{ids['deposited']}", form),
        (
            "05-dunning-worklist",
            "julien.compta",
            "/odoo/action-o2c_dunning.o2c_dunning_communication_action_worklist",
            listing,
        ),  # fmt: skip
        ("06-portal-invoices", "compta.imprimerie", "/my/invoices", ".o_portal_my_doc_table, table"),
        ("07-portal-invoice", "compta.imprimerie", f"/my/invoices/{ids['contested']}", "#invoice_content, iframe"),
        ("08-contested-case", "nadia.adv", f"/odoo/o2c.dispute/{ids['contested_case']}", form),
        ("09-rejected-case", "nadia.adv", f"/odoo/o2c.dispute/{ids['resumed_case']}", form),
        ("10-promise", "julien.compta", f"/odoo/o2c.dunning.promise/{ids['promise']}", form),
        ("11-partly-paid", "julien.compta", f"/odoo/account.move/{ids['partial']}", form),
        ("12-cashed-212", "julien.compta", f"/odoo/account.move/{ids['cashed']}", form),
        ("13-cockpit-figures", "admin", "/odoo/action-o2c_cockpit.o2c_cockpit_figure_action", listing),
        ("14-health-check", "admin", f"/odoo/o2c.cockpit.health.check/{ids['health_check']}", form),
    ]


def invoice_pdf(rpc, invoice_id, path):
    """The first page of the invoice's PDF (its Factur-X, with the company's logo) as a PNG."""
    pdf = rpc.get(f"/my/invoices/{invoice_id}?report_type=pdf&download=true")
    if not pdf.startswith(b"%PDF"):
        raise Failure(f"invoice {invoice_id} did not download as a PDF.")
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "invoice.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile",
                        f"{folder}/invoice.pdf", f"{folder}/page"], check=True)  # fmt: skip
        save_png(Image.open(f"{folder}/page.png"), path)


def main(url, db, outdir):
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    ids = story_records(Rpc(url, db, "admin"))
    browser = Browser()
    try:
        user = None
        for name, login, path, selector in shots(ids):
            if login != user:  # a fresh browser profile per user: no session left over
                browser.close()
                browser = Browser()
                browser.open(f"{url}/web/login", ".oe_login_form #login", "the login page")
                if login:
                    browser.evaluate(
                        f"document.querySelector('#login').value = {json.dumps(login)};"
                        f"document.querySelector('#password').value = {json.dumps(login)};"
                        "document.querySelector('.oe_login_form').submit();"
                    )
                    deadline = time.time() + 90
                    while "/web/login" in (browser.evaluate("location.href") or "/web/login"):
                        if time.time() > deadline:
                            raise Failure(f"{login} could not log in (password: the login).")
                        time.sleep(0.5)
                user = login
            browser.open(url + path, selector, name)
            browser.screenshot(out / f"{name}.png")
            print(f"o2c screenshots: {name}.png")
        invoice_pdf(Rpc(url, db, "compta.imprimerie"), ids["contested"], out / "15-invoice-pdf.png")
        print("o2c screenshots: 15-invoice-pdf.png")
    finally:
        browser.close()


if __name__ == "__main__":
    try:
        main(*sys.argv[1:4])
    except Failure as failure:
        print(f"o2c screenshots: {failure}", file=sys.stderr)
        sys.exit(1)
    except OSError as error:
        print(f"o2c screenshots: the demo server did not answer ({error}).", file=sys.stderr)
        sys.exit(1)
    sys.exit(os.EX_OK)
