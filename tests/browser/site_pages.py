"""Which page of the built site stands for each kind of page.

For kinds with many pages (profiles, stories, index pages) the largest file
is taken: it has the most content, so the most that can go wrong. Kinds the
core theme always has are required, and a missing one is a failure. The map
(with its insights page and the map of places), the print page and search are
being added to Kith; their tests run as soon as the build has them and are
skipped, saying why, until then.
"""

from dataclasses import dataclass
from pathlib import Path

import pytest

MISSING_ADDRESS = "no/such/page/"


@dataclass(frozen=True)
class Kind:
    name: str
    # A path inside the output, or a glob whose largest match is taken.
    pattern: str
    required: bool = True
    # Excluded from glob matches (the list page beside its children).
    exclude: str = ""


KINDS = [
    Kind("home", "index.html"),
    Kind("profile", "assets/*/index.html"),
    Kind("story", "stories/*/index.html"),
    Kind("story-list", "stories/index.html"),
    Kind("types", "types/index.html"),
    Kind("type", "types/*/index.html"),
    Kind("areas", "areas/index.html"),
    Kind("area", "areas/*/index.html"),
    Kind("tags", "tags/index.html"),
    Kind("tag", "tags/*/index.html"),
    Kind("free-page", "pages/*/index.html"),
    Kind("not-found", "404.html"),
    Kind("map", "map/index.html", required=False),
    Kind("map-insights", "map/insights/index.html", required=False),
    Kind("places", "places/index.html", required=False),
    Kind("print", "print/index.html", required=False),
    Kind("search", "search/index.html", required=False),
]

KIND_NAMES = [kind.name for kind in KINDS]


def largest(output: Path, pattern: str):
    matches = sorted(output.glob(pattern), key=lambda p: (-p.stat().st_size, str(p)))
    return matches[0] if matches else None


def locate(site, name):
    """The address to open for a kind of page; fails or skips when it is missing."""
    kind = next(k for k in KINDS if k.name == name)
    found = largest(site.output, kind.pattern)
    if found is None:
        if kind.required:
            pytest.fail(f"the build has no {kind.pattern}, which every Kith site has")
        pytest.skip(f"{kind.pattern} is not in the build yet ({kind.name} is being added to Kith)")
    if kind.name == "not-found":
        # A host answers any missing address with 404.html, at any depth.
        return site.page_url(MISSING_ADDRESS)
    return site.page_url(found.relative_to(site.output).as_posix())
