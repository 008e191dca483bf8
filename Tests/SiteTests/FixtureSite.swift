import Foundation
import TestSupport

/// A small site written into a temporary folder: content plus a minimal theme
/// whose templates print just enough to assert on.
struct FixtureSite {
    let root: URL

    static let minimalTemplates: [String: String] = [
        "templates/base.html": """
            <!doctype html><html lang="{{ site.language }}"><head><title>{{ page.title }}</title>\
            <link rel="stylesheet" href="{{ "static/style.css" | relative }}"></head>\
            <body>{% block content %}{% endblock %}</body></html>

            """,
        "templates/home.html": """
            {% extends "base.html" %}{% block content %}<h1>{{ site.title }}</h1>\
            {% for t in site.types %}<a href="{{ t.url | relative }}">{{ t.label }} {{ t.count }}</a>{% endfor %}\
            {% for a in site.assets %}<a href="{{ a.url | relative }}">{{ a.title }}</a>{% endfor %}{% endblock %}
            """,
        "templates/asset.html": """
            {% extends "base.html" %}{% block content %}<h1>{{ asset.title }}</h1><p>{{ asset.summary }}</p>\
            {% if asset.contact.website %}<a class="web" href="{{ asset.contact.website }}">web</a>{% endif %}\
            {% if asset.contact.email %}<a class="email" href="mailto:{{ asset.contact.email }}">email</a>{% endif %}\
            <div class="body">{{ asset.body }}</div>\
            {% for c in asset.connections %}<a class="to" href="{{ c.asset.url | relative }}">{{ c.kind }}: {{ c.asset.title }}</a>{% endfor %}\
            {% for c in asset.connected_from %}<a class="from" href="{{ c.asset.url | relative }}">{{ c.kind }}: {{ c.asset.title }}</a>{% endfor %}\
            {% for s in asset.stories %}<a class="story" href="{{ s.url | relative }}">{{ s.title }}</a>{% endfor %}\
            {% endblock %}
            """,
        "templates/story.html": """
            {% extends "base.html" %}{% block content %}<h1>{{ story.title }}</h1><time>{{ story.date | date }}</time>\
            {% for a in story.assets %}<a href="{{ a.url | relative }}">{{ a.title }}</a>{% endfor %}{{ story.body }}{% endblock %}
            """,
        "templates/stories.html": """
            {% extends "base.html" %}{% block content %}{% for s in site.stories %}<a href="{{ s.url | relative }}">{{ s.title }}</a>{% endfor %}{% endblock %}
            """,
        "templates/terms.html": """
            {% extends "base.html" %}{% block content %}<h1>{{ taxonomy.title }}</h1>{% for t in taxonomy.items %}<a href="{{ t.url | relative }}">{{ t.name }} ({{ t.count }})</a>{% endfor %}{% endblock %}
            """,
        "templates/term.html": """
            {% extends "base.html" %}{% block content %}<h1>{{ term.name }}</h1>{% for a in assets %}<a href="{{ a.url | relative }}">{{ a.title }}</a>{% endfor %}{% for s in stories %}<a href="{{ s.url | relative }}">{{ s.title }}</a>{% endfor %}{% endblock %}
            """,
        "templates/page.html": """
            {% extends "base.html" %}{% block content %}<h1>{{ content.title }}</h1>{{ content.body }}{% endblock %}
            """,
        "templates/404.html": """
            {% extends "base.html" %}{% block content %}<h1>Not found</h1><a href="{{ "" | relative }}">home</a>{% endblock %}
            """,
        "templates/search.html": """
            {% extends "base.html" %}{% block content %}<h1>Search</h1><form action="{{ site.search.url | relative }}" data-search-index="{{ site.search.index | relative }}"><input name="q"></form>{% endblock %}
            """,
        "templates/print.html": """
            {% extends "base.html" %}{% block content %}{% for g in print.groups %}<h2>{{ g.type.label }}</h2>{% for a in g.areas %}<h3>{{ a.name }}</h3>\
            {% for item in a.assets %}<p class="entry"><a href="{{ item.url | relative }}">{{ item.title }}</a>|{{ item.address }}|{{ item.contact.email }}|{{ item.contact.phone }}</p>{% endfor %}{% endfor %}{% endfor %}{% endblock %}
            """,
        "templates/places.html": """
            {% extends "base.html" %}{% block content %}<svg viewBox="0 0 {{ places.width }} {{ places.height }}">\
            {% for p in places.points %}<a href="{{ p.asset.url | relative }}"><title>{{ p.asset.title }}</title><circle cx="{{ p.x }}" cy="{{ p.y }}" r="5"/></a>{% endfor %}</svg>{% endblock %}
            """,
        "templates/map.html": """
            {% extends "base.html" %}{% block content %}<h1>{{ map.title }}</h1>{{ map.svg }}\
            {% for e in map.edges %}<p class="edge">{{ e.from.title }} {{ e.type }} {{ e.to.title }}</p>{% endfor %}{% endblock %}
            """,
        "templates/insights.html": """
            {% extends "base.html" %}{% block content %}<h1>Insights</h1>{% for c in insights.connectors %}<p class="connector">{{ c.asset.title }}</p>{% endfor %}\
            {% for a in insights.isolated %}<p class="isolated">{{ a.title }}</p>{% endfor %}{% endblock %}
            """,
        "templates/static/style.css": "body { font-family: sans-serif; }\n",
    ]

    static let basicContent: [String: String] = [
        "content/site.yml": """
            title: Testside
            description: A test neighbourhood
            language: en-GB
            areas:
              - name: North End
              - name: Canal Side

            """,
        "content/assets/garden.md": """
            ---
            title: Community Garden
            type: space
            summary: Raised beds and a polytunnel open to all.
            area: North End
            tags: [food, gardening]
            contact:
              website: https://garden.example.org
            connections:
              - to: library
                kind: partners with
                note: Seed swap every spring.
            ---
            The garden shares seeds with [the library](library.md) and wrote about it in
            [our story](../stories/seed-swap.md).

            """,
        "content/assets/library.md": """
            ---
            title: Northside Library
            type: institution
            summary: Books, computers and a warm room.
            area: Canal Side
            tags: [learning]
            ---
            Open six days a week.

            """,
        "content/assets/ann.md": """
            ---
            title: Ann Baker
            type: individual
            summary: Bakes bread and teaches it.
            contact:
              email: ann@example.org
            connections:
              - to: garden
                kind: volunteers at
            ---
            Ann bakes.

            """,
        "content/assets/secret.md": """
            ---
            title: Secret Project
            type: association
            summary: Not ready yet.
            draft: true
            ---
            Hidden.

            """,
        "content/stories/seed-swap.md": """
            ---
            title: The seed swap
            date: 2026-03-14
            author: Sam
            summary: How seeds travel.
            assets: [garden, library]
            tags: [food]
            ---
            Seeds went from [the garden](../assets/garden.md) to the shelves.

            """,
        "content/pages/about.md": """
            ---
            title: About
            summary: Who keeps this directory.
            ---
            We do.

            """,
    ]

    init(files: [String: String] = FixtureSite.basicContent, templates: [String: String] = FixtureSite.minimalTemplates) throws {
        root = try TestSupport.temporaryDirectory("kith-site")
        try TestSupport.write(templates, under: root)
        try TestSupport.write(files, under: root)
    }

    var output: URL { root.appendingPathComponent("public") }

    func read(_ path: String) throws -> String {
        try String(contentsOf: output.appendingPathComponent(path), encoding: .utf8)
    }

    func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: output.appendingPathComponent(path).path)
    }

    /// Every file under the output, relative path → bytes.
    func snapshot(_ folder: URL? = nil) throws -> [String: Data] {
        let base = folder ?? output
        var result: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            let values = try url.resourceValues(forKeys: [.isRegularFileKey])
            if values.isRegularFile == true {
                let relative = String(url.standardizedFileURL.path.dropFirst(base.standardizedFileURL.path.count + 1))
                result[relative] = try Data(contentsOf: url)
            }
        }
        return result
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}
