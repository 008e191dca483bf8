"""Helpers for driving Chromium: opening pages at a given screen size,
full-page screenshots, accessibility checks with axe, console errors."""

import base64
import time

from axe_selenium_python import Axe

DESKTOP = (1280, 900)
NARROW = (375, 812)


def set_screen(browser, size, mobile=False):
    """Emulates a screen of `size` CSS pixels; `mobile` also honours the
    viewport meta tag the way a phone does."""
    width, height = size
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile,
    })


def open_page(browser, url, size=DESKTOP, mobile=False):
    set_screen(browser, size, mobile)
    browser.get_log("browser")  # forget messages of earlier pages
    browser.get(url)
    wait_until(browser, lambda: browser.execute_script("return document.readyState") == "complete")
    # Web fonts and images settle before anything is measured.
    browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "(document.fonts ? document.fonts.ready : Promise.resolve()).then(() => done(true));")


def wait_until(browser, condition, timeout=10.0, interval=0.1):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            return value
        time.sleep(interval)


def screenshot(browser, path, size=DESKTOP, mobile=False):
    """Saves the whole page, not only the part in view."""
    height = browser.execute_script(
        "return Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0)")
    set_screen(browser, (size[0], max(size[1], min(int(height), 12000))), mobile)
    data = browser.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
    path.write_bytes(base64.b64decode(data["data"]))
    set_screen(browser, size, mobile)


def axe_violations(browser, context=None):
    """Runs axe-core on the page as it is now; returns (violations, report)."""
    axe = Axe(browser)
    axe.inject()
    results = axe.run(context=context, options={"resultTypes": ["violations"]})
    violations = without_known_false_positives(browser, results["violations"])
    return violations, axe.report(violations)


# axe-selenium-python bundles axe-core 3.1 (2018), which has two false
# positives that later versions of axe-core fixed. Each is left out only in
# exactly the shape the fix covers; anything else about the node still fails.
FALSE_POSITIVE_CHECKS = {
    # autocomplete="off" (or "on") on <input type=search>: valid HTML; axe-core
    # now accepts the state words on every input type.
    ("autocomplete-valid", "autocomplete-appropriate"): """
        const tokens = (arguments[0].getAttribute('autocomplete') || '').trim().toLowerCase().split(/\\s+/);
        return ['on', 'off'].includes(tokens[tokens.length - 1]);""",
    # A <label for> hidden visually but read by screen readers (the usual
    # visually-hidden pattern): axe-core 3.1 took it for a hidden label; it
    # now asks whether screen readers see it and the field has a name.
    ("label", "hidden-explicit-label"): """
        const field = arguments[0];
        const label = field.id && document.querySelector('label[for="' + CSS.escape(field.id) + '"]');
        return !!label && axe.commons.dom.isVisible(label, true) && label.textContent.trim() !== '';""",
}


def without_known_false_positives(browser, violations):
    kept = []
    for violation in violations:
        nodes = []
        for node in violation["nodes"]:
            # A node lists the checks that failed it: its `any` checks when none
            # of them passed, and each failing `all` and `none` check.
            failed = [check["id"] for group in ("any", "all", "none") for check in node.get(group, [])]
            script = FALSE_POSITIVE_CHECKS.get((violation["id"], failed[0])) if len(failed) == 1 else None
            element = browser.execute_script("return document.querySelector(arguments[0])", node["target"][0]) \
                if script and len(node["target"]) == 1 else None
            if element is not None and browser.execute_script(script, element):
                continue
            nodes.append(node)
        if nodes:
            kept.append(dict(violation, nodes=nodes))
    return kept



def overflowing_elements(browser, width):
    """Describes the elements that reach past the right edge of a `width` wide screen."""
    return browser.execute_script("""
        const width = arguments[0];
        const found = [];
        for (const el of document.querySelectorAll('body *')) {
            const box = el.getBoundingClientRect();
            if (box.width > 0 && box.right > width + 0.5) {
                let name = el.tagName.toLowerCase();
                if (el.id) name += '#' + el.id;
                if (typeof el.className === 'string' && el.className.trim())
                    name += '.' + el.className.trim().split(/\\s+/).join('.');
                found.push(name + ' (right edge at ' + Math.round(box.right) + ' px)');
            }
        }
        return found.slice(0, 15);
    """, width)


def console_errors(browser, ignore=()):
    """Errors the page logged: script errors, resources that failed to load."""
    return [
        entry["message"] for entry in browser.get_log("browser")
        if entry["level"] == "SEVERE" and not any(text in entry["message"] for text in ignore)
    ]


def visible_links(browser, fragment):
    """The href attribute of every link that can be seen and contains `fragment`."""
    return browser.execute_script("""
        const fragment = arguments[0];
        const out = [];
        for (const a of document.querySelectorAll('a')) {
            const href = a.getAttribute('href') || a.getAttribute('xlink:href') || '';
            if (!href.includes(fragment)) continue;
            const style = getComputedStyle(a);
            if (a.getClientRects().length === 0 || style.visibility === 'hidden') continue;
            out.push(new URL(href, document.baseURI).href);
        }
        return out;
    """, fragment)
