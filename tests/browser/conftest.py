"""Shared set-up of the browser, validity and link suites.

The sample site of this repository (content/ and templates/) is built once
per test session with the kith binary into a temporary folder, and served on
127.0.0.1 under the sub-path /northside/, the way a host serving several
sites would publish it. site.yml's base_url is pointed at that address, as
anyone deploying the site would do, so the 404 page's <base> leads back to
the local server instead of the network (these machines have none).

Environment:
  KITH          the kith binary (default: .build/release/kith)
  CHROMIUM      the browser (default: /usr/bin/chromium)
  CHROMEDRIVER  its driver (default: /usr/bin/chromedriver)
"""

import functools
import http.server
import os
import re
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
SUB_PATH = "/northside/"


@dataclass
class ServedSite:
    """A built site and the local address it is served at."""

    root: Path          # the site folder (content/, templates/)
    output: Path        # the built output, served at `url`
    url: str            # http://127.0.0.1:PORT/northside/

    def exists(self, path):
        return (self.output / path).is_file()

    def page_url(self, path):
        return self.url + path


def kith_binary():
    path = Path(os.environ.get("KITH", REPO / ".build" / "release" / "kith"))
    if not path.is_file():
        pytest.exit(
            f"no kith binary at {path}: run `swift build -c release --product kith` or set KITH",
            returncode=2,
        )
    return path


class SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the output folder's parent, and answers a missing page with
    the site's own 404.html and status 404, as static hosts do."""

    def __init__(self, *args, not_found_page=None, **kwargs):
        self.not_found_page = not_found_page
        super().__init__(*args, **kwargs)

    def send_error(self, code, message=None, explain=None):
        if code == 404 and self.not_found_page and self.not_found_page.is_file():
            body = self.not_found_page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def end_headers(self):
        # Lets linkchecker lift its limit of a few requests per second.
        self.send_header("LinkChecker", "local test server")
        super().end_headers()

    def log_message(self, format, *args):
        pass


def copy_site(source, target, base_url):
    """Copies the site's inputs, pointing base_url at `base_url`."""
    for folder in ("content", "templates"):
        shutil.copytree(source / folder, target / folder, symlinks=True)
    settings = target / "content" / "site.yml"
    text = settings.read_text(encoding="utf-8")
    line = f"base_url: {base_url}"
    if re.search(r"^base_url:.*$", text, flags=re.M):
        text = re.sub(r"^base_url:.*$", line, text, count=1, flags=re.M)
    else:
        text = text.rstrip("\n") + "\n" + line + "\n"
    settings.write_text(text, encoding="utf-8")


def build_and_serve(sub_path, change=None):
    """Copies the sample site, lets `change(root)` alter it, builds it and
    serves the output at http://127.0.0.1:PORT/SUB_PATH/. A generator: the
    server stops and the folder is removed when the caller resumes it."""
    # A world-readable folder: linkchecker, started as root, drops to `nobody`.
    work = Path(tempfile.mkdtemp(prefix="kith-browser-"))
    work.chmod(0o755)
    www = work / "www"
    www.mkdir()
    output = www / sub_path.strip("/")
    handler = functools.partial(
        SubPathHandler, directory=str(www), not_found_page=output / "404.html")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    url = f"http://127.0.0.1:{server.server_address[1]}{sub_path}"
    try:
        root = work / "site"
        copy_site(REPO, root, url)
        if change:
            change(root)
        result = subprocess.run(
            [str(kith_binary()), "build", "--root", str(root), "--out", str(output)],
            capture_output=True, text=True)
        if result.returncode != 0:
            pytest.fail(f"the site for {sub_path} does not build:\n" + result.stdout + result.stderr)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield ServedSite(root=root, output=output, url=url)
        server.shutdown()
    finally:
        server.server_close()
        shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="session")
def site():
    """The sample site, served under /northside/."""
    yield from build_and_serve(SUB_PATH)


@pytest.fixture(scope="session")
def artifacts():
    """The git-ignored folder that keeps screenshots of each page kind."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--disable-gpu", "--window-size=1280,900", "--lang=en-GB",
                     "--disable-extensions", "--no-first-run",
                     # Instant scrolling: smooth scrolling moves elements while the driver clicks them.
                     "--force-prefers-reduced-motion"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(60)
    yield driver
    driver.quit()
