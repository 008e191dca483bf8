"""Hostile content in a real browser: a profile and a story whose every field
carries markup and script are added to the sample site. On every page that
shows them, and in the search results and the map drawn by scripts, the
markup must stay text: no element of it appears in the page and no script
of it runs."""

import time

import pytest
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from browsing import open_page, wait_until
from conftest import build_and_serve

MARK = "kithmark"


def payload(field):
    """Markup that would show up as a <kith-x> element, or set window.kithHit, if it got through."""
    return (f"{MARK} {field} <kith-x></kith-x><img src=x onerror=\"window.kithHit='{field}'\">"
            f"\"'><img src=x onerror=window.kithHit='{field}-attr'> <script>window.kithHit='{field}-script'</script>")


def quoted(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def add_hostile_content(root):
    q = lambda field: quoted(payload(field))
    (root / "content" / "assets" / "zz-hostile.md").write_text(f"""---
title: {q("title")}
type: association
summary: {q("summary")}
tags: [{q("tag")}]
address: {q("address")}
hours: {q("hours")}
cost: {q("cost")}
audience: {q("audience")}
accessibility: {q("accessibility")}
languages: [{q("language")}]
gifts: [{q("gift")}]
needs: [{q("need")}]
contact:
  email: {q("email")}
  phone: {q("phone")}
  website: {quoted("javascript:window.kithHit='website'")}
connections:
  - to: northside-library
    kind: {q("kind")}
    note: {q("note")}
---
A body with <script>window.kithHit='body'</script> and [a link](javascript:window.kithHit='link').
""", encoding="utf-8")
    (root / "content" / "stories" / "zz-hostile-story.md").write_text(f"""---
title: {q("story-title")}
date: 2026-05-01
author: {q("author")}
summary: {q("story-summary")}
assets: [zz-hostile, northside-library]
tags: [{q("story-tag")}]
---
Story text.
""", encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_site():
    yield from build_and_serve("/hostile/", change=add_hostile_content)


def pages_showing_the_content(site):
    pages = []
    for page in sorted(site.output.rglob("*.html")):
        if MARK in page.read_text(encoding="utf-8", errors="replace"):
            pages.append(page.relative_to(site.output).as_posix())
    return pages


def assert_nothing_got_through(browser, where):
    try:
        alert = browser.switch_to.alert
        text = alert.text
        alert.dismiss()
        pytest.fail(f"{where}: a script from the content opened an alert: {text}")
    except NoAlertPresentException:
        pass
    # Give scripts of the page (search, map) a moment to draw.
    found = wait_until(browser, lambda: browser.execute_script(
        "return document.querySelectorAll('kith-x').length > 0 || window.kithHit !== undefined"), timeout=0.5)
    if found:
        hit = browser.execute_script("return window.kithHit === undefined ? null : String(window.kithHit)")
        elements = browser.execute_script("return document.querySelectorAll('kith-x').length")
        pytest.fail(f"{where}: content markup became part of the page ({elements} <kith-x> elements; script ran: {hit})")


def test_the_hostile_content_is_shown(hostile_site):
    pages = pages_showing_the_content(hostile_site)
    assert "assets/zz-hostile/index.html" in pages and "stories/zz-hostile-story/index.html" in pages, pages


def test_no_page_lets_content_markup_through(browser, hostile_site):
    pages = pages_showing_the_content(hostile_site)
    assert len(pages) >= 5, pages
    for path in pages:
        open_page(browser, hostile_site.page_url(path))
        assert_nothing_got_through(browser, path)


def test_search_results_keep_content_markup_as_text(browser, hostile_site):
    boxes = []
    for path in ["index.html", "search/index.html"]:
        if not hostile_site.exists(path):
            continue
        open_page(browser, hostile_site.page_url(path))
        boxes = [b for b in browser.find_elements(By.CSS_SELECTOR, "input[type=search], [role=search] input[type=text]")
                 if b.is_displayed()]
        if boxes:
            break
    if not boxes:
        pytest.skip("no search box yet: the home page has no <input type=search> and there is no search/index.html")
    boxes[0].send_keys(MARK)
    time.sleep(1)
    assert_nothing_got_through(browser, "search results as one types")
    start = browser.current_url
    boxes[0].send_keys(Keys.ENTER)
    wait_until(browser, lambda: browser.current_url != start, timeout=3)
    time.sleep(1)
    assert_nothing_got_through(browser, f"search results at {browser.current_url}")
    assert MARK in browser.find_element(By.TAG_NAME, "body").text, "searching for the hostile title finds nothing"
