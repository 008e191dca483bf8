"""Every kind of page, as a person sees it in Chromium: no accessibility
violations (axe-core), nothing wider than a 375 px phone screen, no errors
in the console. Screenshots of each kind are kept in artifacts/."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from browsing import (NARROW, axe_violations, console_errors, open_page,
                      overflowing_elements, screenshot, wait_until)
from site_pages import KIND_NAMES, MISSING_ADDRESS, locate


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_no_accessibility_violations(browser, site, artifacts, kind):
    url = locate(site, kind)
    open_page(browser, url)
    screenshot(browser, artifacts / f"{kind}-desktop.png")
    violations, report = axe_violations(browser)
    assert not violations, f"{url}\n{report}"


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_fits_a_375px_screen(browser, site, artifacts, kind):
    url = locate(site, kind)
    open_page(browser, url, size=NARROW, mobile=True)
    screenshot(browser, artifacts / f"{kind}-375px.png", size=NARROW, mobile=True)
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= NARROW[0], (
        f"{url} scrolls sideways on a {NARROW[0]} px screen: it is {width} px wide; too wide:\n  "
        + "\n  ".join(overflowing_elements(browser, NARROW[0])))


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_no_errors_in_the_console(browser, site, kind):
    url = locate(site, kind)
    open_page(browser, url)
    # The missing address itself is answered with status 404, on purpose.
    ignore = [url] if kind == "not-found" else []
    assert console_errors(browser, ignore=ignore) == [], url


def test_skip_link_comes_first_and_moves_focus_to_the_content(browser, site):
    open_page(browser, site.page_url("index.html"))
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    first = browser.switch_to.active_element
    assert first.tag_name == "a" and first.is_displayed(), "the first Tab stop is not a visible link"
    assert (first.get_attribute("href") or "").endswith("#main"), first.get_attribute("outerHTML")
    first.send_keys(Keys.ENTER)
    focused = wait_until(browser, lambda: browser.switch_to.active_element.get_attribute("id") == "main", timeout=3)
    assert focused, "after the skip link, focus is not on the main content"


def test_not_found_page_leads_back_into_the_site_from_a_deep_address(browser, site):
    open_page(browser, site.page_url(MISSING_ADDRESS + "deeper/still/"))
    stylesheet_loaded = browser.execute_script(
        "return [...document.styleSheets].some(s => { try { return s.cssRules.length > 0 } catch (e) { return false } })")
    assert stylesheet_loaded, "the 404 page at a deep address has no styles"
    # The first link of the page header that is not the skip link: the site's title.
    home = browser.find_element(By.CSS_SELECTOR, "header a[href]:not([href*='#'])")
    home.click()
    wait_until(browser, lambda: browser.current_url != site.page_url(MISSING_ADDRESS + "deeper/still/"))
    assert browser.current_url in (site.url, site.page_url("index.html")), browser.current_url
    assert browser.find_element(By.TAG_NAME, "h1").is_displayed()


def test_print_styles_keep_the_profile_readable(browser, site, artifacts):
    url = locate(site, "profile")
    open_page(browser, url)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        screenshot(browser, artifacts / "profile-print.png")
        heading = browser.find_element(By.TAG_NAME, "h1")
        assert heading.is_displayed() and heading.text.strip(), "the profile's title is hidden in print"
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
