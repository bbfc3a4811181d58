"""The browser extension (extension/) in a real Chromium, for its browser test and scripts/extension_demo.py.

- `build_for_tests` copies the extension and adds http://127.0.0.1/* to its content-script matches: the fixture pages
  (extension/test/fixtures, written for the tests, reproducing the structure of LinkedIn's pages) are served from
  loopback under LinkedIn's own paths (/messaging/thread/<name>/, /in/<slug>/). The shipped manifest and zip
  never name 127.0.0.1 in their matches (decision 0075).
- `fixture_site` serves those pages; `launch` opens a persistent context with the unpacked extension loaded;
  `Panel` reads and clicks the verdict panel inside its closed shadow root through the DevTools protocol (no
  page script can reach it, nor can Playwright's selectors).

Every person and message in the fixtures is invented.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXTENSION = ROOT / "extension"
FIXTURES = EXTENSION / "test" / "fixtures"
#: What the extension ships: everything else under extension/ is for development (tests, lint, node_modules).
SHIPPED = ("manifest.json", "src", "options.html", "options.js", "result.html", "result.js", "pages.css")
CONVERSATIONS = (
    "conversation",
    "conversation-benign",
    "conversation-xss",
    "conversation-classes",
    "inmail",
    "unreadable",
)
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def build_for_tests(dest: Path) -> Path:
    """A copy of the extension whose content script also runs on http://127.0.0.1 (any port)."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name in SHIPPED:
        src = EXTENSION / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        else:
            shutil.copy2(src, dest / name)
    manifest = json.loads((dest / "manifest.json").read_text("utf-8"))
    manifest["name"] += " (test build)"
    for script in manifest["content_scripts"]:
        script["matches"].append("http://127.0.0.1/*")
    (dest / "manifest.json").write_text(json.dumps(manifest, indent=2), "utf-8")
    return dest


class _Pages(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        name = ""
        if path.startswith("/messaging/thread/"):
            name = path.removeprefix("/messaging/thread/").strip("/")
        elif path.startswith("/in/") and path.strip("/").count("/") == 1:
            name = "profile"
        if name not in (*CONVERSATIONS, "profile"):
            self.send_error(404)
            return
        body = (FIXTURES / f"{name}.html").read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return


@contextmanager
def fixture_site() -> Iterator[str]:
    """The fixture pages on a free loopback port; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def launch(playwright: Any, executable: str, extension: Path, profile: Path) -> Iterator[tuple[Any, str]]:
    """A Chromium profile with the unpacked extension; yields the context and the extension's id."""
    context = playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=executable,
        headless=False,  # --headless=new below: the old headless mode cannot load extensions
        args=[*FLAGS, f"--disable-extensions-except={extension}", f"--load-extension={extension}"],
        viewport={"width": 1280, "height": 860},
    )
    try:
        workers = context.service_workers
        worker = workers[0] if workers else context.wait_for_event("serviceworker", timeout=30_000)
        yield context, worker.url.split("/")[2]
    finally:
        context.close()


def worker_of(context: Any) -> Any:
    workers = context.service_workers
    return workers[0] if workers else context.wait_for_event("serviceworker", timeout=30_000)


def configure(context: Any, service_url: str, token: str) -> None:
    """What the options page saves, set in the extension's storage (empty strings: no service)."""
    worker_of(context).evaluate(
        "([url, token]) => url ? chrome.storage.local.set({serviceUrl: url, token}) "
        ": chrome.storage.local.remove(['serviceUrl', 'token'])",
        [service_url, token],
    )


class Panel:
    """The extension's button and panel on one page, inside a closed shadow root, via the DevTools protocol."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.cdp = page.context.new_cdp_session(page)

    def _host(self) -> dict[str, Any] | None:
        root = self.cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]
        stack = [root]
        while stack:
            node = stack.pop()
            attrs = node.get("attributes") or []
            if dict(zip(attrs[::2], attrs[1::2], strict=True)).get("data-counterpitch") == "host":
                return dict(node)
            stack.extend(node.get("children") or [])
            stack.extend(node.get("shadowRoots") or [])
            if node.get("contentDocument"):
                stack.append(node["contentDocument"])
        return None

    def present(self, seconds: float = 15.0) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self._host() is not None:
                return True
            time.sleep(0.2)
        return False

    def shadow_mode(self) -> str:
        host = self._host()
        assert host is not None, "no Counterpitch host element on the page"
        return str(host["shadowRoots"][0]["shadowRootType"])

    def text(self) -> str:
        """The visible text of the shadow root (style sheets left out)."""
        host = self._host()
        if host is None:
            return ""
        out: list[str] = []

        def walk(node: dict[str, Any]) -> None:
            if node.get("nodeName") in ("STYLE", "SCRIPT"):
                return
            if node.get("nodeType") == 3:
                out.append(str(node.get("nodeValue", "")))
            for child in node.get("children") or []:
                walk(child)
            for shadow in node.get("shadowRoots") or []:
                walk(shadow)

        walk(host)
        return " ".join(" ".join(out).split())

    def wait_for(self, words: str, seconds: float = 60.0) -> str:
        deadline = time.monotonic() + seconds
        text = ""
        while time.monotonic() < deadline:
            text = self.text()
            if words in text:
                return text
            time.sleep(0.25)
        raise AssertionError(f"the panel never said {words!r}; it says: {text!r}")

    def _find(self, node: dict[str, Any], action: str) -> int | None:
        attrs = node.get("attributes") or []
        if dict(zip(attrs[::2], attrs[1::2], strict=True)).get("data-action") == action:
            return int(node["backendNodeId"])
        for child in [*(node.get("children") or []), *(node.get("shadowRoots") or [])]:
            found = self._find(child, action)
            if found is not None:
                return found
        return None

    def click(self, action: str) -> None:
        """Click the panel's button `action` (check, report, options, close) as a person would, at its place."""
        host = self._host()
        assert host is not None, "no Counterpitch host element on the page"
        node = self._find(host, action)
        assert node is not None, f"no {action!r} button in the panel: {self.text()!r}"
        self.cdp.send("DOM.scrollIntoViewIfNeeded", {"backendNodeId": node})
        quad = self.cdp.send("DOM.getBoxModel", {"backendNodeId": node})["model"]["content"]
        x = sum(quad[0::2]) / 4
        y = sum(quad[1::2]) / 4
        self.page.mouse.click(x, y)
