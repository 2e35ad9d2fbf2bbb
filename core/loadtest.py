"""The load test of `make bench` (issue 14): simulated users of every role reading and writing at
a fixed rate against the production server, with no server error and no lost write.

Each simulated user logs in through the login form with its own session, then acts every
`interval` seconds on a fixed schedule (an action that falls behind runs at once, and the
delay is counted): mostly the pages its login has in the benchmark, sometimes one of the writes
the apps register (`core.hooks.LoadWrite`). A write GETs its form, keeps what the form offers
(hidden fields, defaults, ticked boxes, selected options), sets the write's own fields, among
them a marker, and POSTs; a redirect is a saved write. Afterwards the rows carrying the markers
are counted: every saved write must be stored exactly once.

The HTTP client is the standard library's: one connection per request, cookies kept per user.
"""

from __future__ import annotations

import http.client
import random
import re
import statistics
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from core.hooks import LoadWrite


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (p95: share=0.95) of at least one value."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))  # ceiling
    return ordered[int(rank) - 1]


class FormFields(HTMLParser):
    """The fields a browser would submit from each POST form of a page, as it was served."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._form: list[tuple[str, str]] | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._select_multiple = False
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = [] if a.get("method", "get").lower() == "post" else None
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = a.get("type", "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self._form.append((name, a.get("value", "on")))
            elif kind not in {"submit", "button", "file", "image", "reset"}:
                self._form.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
            self._select_multiple = "multiple" in a
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None and value:
                self._select_first = value
            if "selected" in a:
                self._form.append((self._select, value))
                self._select_chosen = True
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if self._form is None:
            return
        if tag == "select" and self._select:
            if not self._select_chosen and self._select_first is not None and not self._select_multiple:
                self._form.append((self._select, self._select_first))  # what a browser shows first
            self._select = None
        elif tag == "textarea" and self._textarea:
            self._form.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None
        elif tag == "form":
            self.forms.append(self._form)
            self._form = None


def form_fields(html: str) -> list[tuple[str, str]]:
    """The page's main form: its POST form with the most fields (not the menu's logout form)."""
    parser = FormFields()
    parser.feed(html)
    return max(parser.forms, key=len) if parser.forms else []


class Client:
    """One simulated user's browser: its cookies, the CSRF token the pages carry."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, fields: list[tuple[str, str]] | None = None):
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, content.decode("utf-8", "replace"), response.getheader("Location") or ""
        finally:
            conn.close()

    def download(self, path: str, file) -> int:
        """GET `path` into `file` (a path), read in chunks as a browser saves a download: the status."""
        headers = {"Host": "127.0.0.1", "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=3600)
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            with open(file, "wb") as output:
                while chunk := response.read(1 << 16):
                    output.write(chunk)
            return response.status
        finally:
            conn.close()

    def login(self, login_path: str, username: str, password: str) -> None:
        _status, html, _ = self.request("GET", login_path)
        fields = dict(form_fields(html)) | {"username": username, "password": password}
        status, _html, location = self.request("POST", login_path, list(fields.items()))
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"{username} could not log in (status {status}, to {location})")


@dataclass
class Outcome:
    """What the load run saw, per kind of request, and what was stored."""

    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    server_errors: list[str] = field(default_factory=list)
    refused_writes: list[str] = field(default_factory=list)
    saved: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # write label → saved
    stored: dict[str, int] = field(default_factory=dict)  # write label → rows found afterwards
    late: int = 0  # actions that started after their slot
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, ms: float, status: int, what: str) -> None:
        with self.lock:
            self.timings[kind].append(ms)
            self.statuses[status] += 1
            if status >= 500:
                self.server_errors.append(f"{status} {what}")

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    @property
    def lost_writes(self) -> dict[str, tuple[int, int]]:
        return {
            label: (saved, self.stored.get(label, 0))
            for label, saved in self.saved.items()
            if saved != self.stored.get(label, 0)
        }

    def p95(self, kind: str) -> float:
        return percentile(self.timings[kind], 0.95) if self.timings[kind] else 0.0

    def median(self, kind: str) -> float:
        return statistics.median(self.timings[kind]) if self.timings[kind] else 0.0


@dataclass
class SimulatedUser:
    login: str
    user: object  # the demo User whose login this is
    reads: list[str]  # paths
    writes: list[LoadWrite]
    write_share: float


def _write(client: Client, sim: SimulatedUser, write: LoadWrite, run: str, outcome: Outcome) -> None:
    path = write.page(sim.user)
    start = time.perf_counter()
    status, html, _ = client.request("GET", path)
    outcome.add("write", (time.perf_counter() - start) * 1000, status, f"GET {path}")
    if status != 200:
        return
    marker = f"{run}-{uuid.uuid4().hex[:8]}"
    fields = dict(form_fields(html))
    fields.update({k: str(v) for k, v in write.fields(sim.user, marker).items()})
    start = time.perf_counter()
    status, html, location = client.request("POST", path, list(fields.items()))
    outcome.add("write", (time.perf_counter() - start) * 1000, status, f"POST {path}")
    if status == 302 and "/login/" not in location:
        with outcome.lock:
            outcome.saved[write.label] += 1
    elif status < 500:
        errors = re.findall(r'class="invalid-feedback[^"]*"[^>]*>\s*([^<]+)', html)
        with outcome.lock:
            outcome.refused_writes.append(f"{sim.login} {write.label}: {status} {'; '.join(errors[:3])}")


def run_load(
    port: int,
    users: list[SimulatedUser],
    *,
    seconds: float,
    interval: float,
    login_path: str,
    password: str,
    run: str,
    seed: int = 1,
) -> Outcome:
    """Every simulated user acts every `interval` seconds for `seconds`; returns what was seen.

    The caller counts what was stored (`Outcome.stored`) once the run is over."""
    outcome = Outcome()
    clients = []
    for sim in users:
        client = Client(port)
        client.login(login_path, sim.user.get_username(), password)
        clients.append(client)
    start = time.monotonic() + 0.5

    def act(index: int) -> None:
        sim, client = users[index], clients[index]
        rng = random.Random(seed * 1000 + index)  # noqa: S311 (a repeatable schedule, not a secret)
        slot = start + rng.random() * interval  # users spread over the first interval
        while slot < start + seconds:
            wait = slot - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            else:
                with outcome.lock:
                    outcome.late += 1
            if sim.writes and rng.random() < sim.write_share:
                _write(client, sim, rng.choice(sim.writes), run, outcome)
            else:
                path = rng.choice(sim.reads)
                began = time.perf_counter()
                status, _html, location = client.request("GET", path)
                if status == 302 and "/login/" in location:
                    status = 401  # logged out mid-run: counted, not hidden as a fast page
                outcome.add("read", (time.perf_counter() - began) * 1000, status, f"GET {path}")
            slot += interval

    threads = [threading.Thread(target=act, args=(i,), daemon=True) for i in range(len(users))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcome
