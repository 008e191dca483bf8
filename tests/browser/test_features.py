"""Search, the connection map and the print page, used the way a person
uses them. These features are being added to Kith: each test runs as soon
as the build has the feature, and is skipped, saying why, until then."""

import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from browsing import (DESKTOP, NARROW, axe_violations, open_page, overflowing_elements, screenshot,
                      visible_links, wait_until)

SEARCH_BOX = "input[type=search], [role=search] input[type=text], form[action*=search] input[type=text]"


def published_assets(site, listed_only=False):
    """slug → title of every profile in the build, titles read from the content
    files; `listed_only` leaves out assets whose status is closed."""
    assets = {}
    for page in sorted(site.output.glob("assets/*/index.html")):
        slug = page.parent.name
        source = site.root / "content" / "assets" / f"{slug}.md"
        text = source.read_text(encoding="utf-8")
        if listed_only and re.search(r"^status:\s*closed\s*$", text, flags=re.M):
            continue
        match = re.search(r"^title:\s*(.+?)\s*$", text, flags=re.M)
        title = match.group(1) if match else slug
        if len(title) > 1 and title[0] == title[-1] and title[0] in "'\"":
            title = title[1:-1]
        assets[slug] = title
    return assets


def connected_assets(site):
    """Slugs at either end of a `connections` entry of a published profile."""
    published = set(published_assets(site))
    ends = set()
    for slug in published:
        text = (site.root / "content" / "assets" / f"{slug}.md").read_text(encoding="utf-8")
        targets = set(re.findall(r"^\s*-?\s*to:\s*([a-z0-9-]+)\s*$", text, flags=re.M)) & published
        if targets:
            ends |= targets | {slug}
    return ends


def unique_word(assets):
    """An asset, and a word of its title found in no other title."""
    for slug, title in sorted(assets.items()):
        for word in re.findall(r"[A-Za-z]{5,}", title):
            if sum(word.lower() in other.lower() for other in assets.values()) == 1:
                return slug, word
    pytest.fail("no asset title has a word of its own to search for")


def find_search_box(browser, site):
    """Opens the page with the search box; skips when no page has one."""
    candidates = ["index.html"] + (["search/index.html"] if site.exists("search/index.html") else [])
    for path in candidates:
        open_page(browser, site.page_url(path))
        boxes = [box for box in browser.find_elements(By.CSS_SELECTOR, SEARCH_BOX) if box.is_displayed()]
        if boxes:
            return boxes[0]
    pytest.skip("no search box yet: the home page has no <input type=search> and there is no search/index.html")


def search_for(browser, site, word, slug):
    """Types `word` and waits for a result linking to the profile `slug`;
    presses Enter when results do not appear as one types."""
    box = find_search_box(browser, site)
    before = visible_links(browser, "assets/")
    target = site.page_url(f"assets/{slug}/")
    box.send_keys(word)

    def shows_result():
        links = visible_links(browser, "assets/")
        return links != before and any(link.startswith(target) for link in links)

    if not wait_until(browser, shows_result, timeout=3):
        start = browser.current_url
        box.send_keys(Keys.ENTER)
        wait_until(browser, lambda: browser.current_url != start, timeout=5)
        wait_until(browser, lambda: any(l.startswith(target) for l in visible_links(browser, "assets/")), timeout=5)
    return [link for link in visible_links(browser, "assets/") if link.startswith(target)]


def test_search_finds_a_profile_by_a_word_of_its_title(browser, site, artifacts):
    slug, word = unique_word(published_assets(site))
    results = search_for(browser, site, word, slug)
    screenshot(browser, artifacts / "search-results-desktop.png")
    assert results, f"searching for {word!r} shows no link to {slug}"


def test_search_results_are_accessible_and_fit_a_375px_screen(browser, site, artifacts):
    slug, word = unique_word(published_assets(site))
    assert search_for(browser, site, word, slug), f"searching for {word!r} shows no link to {slug}"
    violations, report = axe_violations(browser)
    assert not violations, f"search results for {word!r}\n{report}"
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": NARROW[0], "height": NARROW[1], "deviceScaleFactor": 1, "mobile": True})
    screenshot(browser, artifacts / "search-results-375px.png", size=NARROW, mobile=True)
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= NARROW[0], "search results scroll sideways:\n  " + "\n  ".join(
        overflowing_elements(browser, NARROW[0]))


def test_search_result_leads_to_the_profile(browser, site):
    slug, word = unique_word(published_assets(site))
    assert search_for(browser, site, word, slug), f"searching for {word!r} shows no link to {slug}"
    target = site.page_url(f"assets/{slug}/")
    link = next(a for a in browser.find_elements(By.CSS_SELECTOR, f"a[href*='assets/{slug}/']") if a.is_displayed())
    link.click()
    assert wait_until(browser, lambda: browser.current_url.startswith(target), timeout=5), browser.current_url


def test_search_page_with_a_query_is_accessible_and_fits_a_375px_screen(browser, site, artifacts):
    if not site.exists("search/index.html"):
        pytest.skip("search/index.html is not in the build yet (search is being added to Kith)")
    slug, word = unique_word(published_assets(site))
    target = site.page_url(f"assets/{slug}/")
    for size, mobile, name in ((DESKTOP, False, "desktop"), (NARROW, True, "375px")):
        open_page(browser, site.page_url(f"search/index.html?q={word}"), size=size, mobile=mobile)
        found = wait_until(browser, lambda: any(l.startswith(target) for l in visible_links(browser, "assets/")), timeout=5)
        screenshot(browser, artifacts / f"search-page-{name}.png", size=size, mobile=mobile)
        assert found, f"search/index.html?q={word} shows no link to {slug}"
        violations, report = axe_violations(browser)
        assert not violations, f"search page for {word!r} at {name}\n{report}"
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= size[0], f"the search page is {width} px wide at {name}:\n  " + "\n  ".join(
            overflowing_elements(browser, size[0]))


def require_map(site):
    if not site.exists("map/index.html"):
        pytest.skip("map/index.html is not in the build yet (the connection map is being added to Kith)")
    return site.page_url("map/index.html")


def test_map_links_every_connected_asset(browser, site):
    open_page(browser, require_map(site))
    linked = {re.sub(r".*/assets/([^/]+)/.*", r"\1", href) for href in visible_links(browser, "assets/")}
    missing = sorted(connected_assets(site) - linked)
    assert not missing, "the map has no visible link to these connected assets:\n  " + "\n  ".join(missing)


def test_map_node_leads_to_its_profile(browser, site):
    open_page(browser, require_map(site))

    def profile_links(selector):
        return [a for a in browser.find_elements(By.CSS_SELECTOR, selector)
                if a.is_displayed() and "assets/" in (a.get_attribute("href") or "")]

    # A node of the drawn map if there is one, else any link of the page.
    links = profile_links("main svg a") or profile_links("main a")
    assert links, "the map has no visible link to a profile"
    href = links[0].get_attribute("href")
    links[0].click()
    assert wait_until(browser, lambda: browser.current_url.split("#")[0] == href.split("#")[0], timeout=5), (
        f"clicking {href} on the map led to {browser.current_url}")
    assert browser.find_element(By.TAG_NAME, "h1").text.strip()


def test_print_page_holds_every_profile(browser, site, artifacts):
    if not site.exists("print/index.html"):
        pytest.skip("print/index.html is not in the build yet (the printable directory is being added to Kith)")
    open_page(browser, site.page_url("print/index.html"))
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        screenshot(browser, artifacts / "print-as-printed.png")
        # As printed: hidden parts left out; letter case may be changed by the styles.
        text = " ".join(browser.execute_script("return document.body.innerText").split()).lower()
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    # Closed assets stay on their profile pages, for the record, but are not printed.
    listed = published_assets(site, listed_only=True).values()
    missing = [title for title in listed if " ".join(title.split()).lower() not in text]
    assert not missing, "the printed directory lacks:\n  " + "\n  ".join(missing)
