import Diagnostics
import Foundation
import Testing
import TestSupport
@testable import Site

/// Content written to do harm, or simply broken, built on purpose.
///
/// Every case ends one of two ways: the build succeeds and its output is inert
/// (no markup, script, event handler or dangerous address from the content
/// reaches a page), or it fails with an error naming the file at fault, and
/// the output of the previous good build is left exactly as it was.
///
/// Where a case has many variants, each variant is a file of its own in one
/// build: every error must name one of them, and once the named files are
/// removed the rest must build, inert. That keeps `swift test` quick.
@Suite struct HostileInputTests {
    // MARK: Raw HTML and dangerous addresses in bodies

    @Test(arguments: Theme.allCases)
    func rawHTMLAndScriptsInBodiesAreDropped(theme: Theme) throws {
        let body = """
            <script>alert(1)</script>

            Text with <img src=x onerror=alert(2)> and <span onclick="alert(3)">a span</span>.

            <iframe src="javascript:alert(4)"></iframe>
            <kith-x f="body-block"></kith-x>
            <svg><script>alert(5)</script></svg>
            <style>body { background: url(javascript:alert(6)) }</style>
            <meta http-equiv="refresh" content="0; url=javascript:alert(7)">
            <base href="javascript:alert(8)//">
            <a href="javascript:alert(9)">raw link</a> and inline <kith-x f="body-inline">x</kith-x>
            <!-- <script>alert(10)</script> -->
            <![CDATA[<script>alert(11)</script>]]>
            <object data="data:text/html,alert(12)"></object><form action="javascript:alert(13)"><button>go</button></form>

            """
        let result = try Hostile.rebuild(theme: theme) { site in
            try site.write("content/assets/library.md", Hostile.asset(title: "Northside Library", body: body))
        }
        try result.expectBuiltAndInert()
        #expect(try result.site.read("assets/library/index.html").contains("a span"), "the text around raw HTML is kept")
    }

    static let dangerousLinks = [
        "[a](javascript:alert(1))", "[a](JaVaScRiPt:alert(1))", "[a](vbscript:msgbox(1))", "[a](VBSCRIPT:msgbox(1))",
        "[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "[a](DATA:text/html,<script>alert(1)</script>)",
        "[a](<javascript:alert(1)>)", "[a]( javascript:alert(1) )", "[a](&#106;avascript:alert(1))",
        "[a](javascript&#58;alert(1))", "[a](java&#x09;script:alert(1))", "[a](%6Aavascript:alert(1))",
        "[a](file:///etc/passwd)", "[a](javascript:alert(1) \"t\")",
        "<javascript:alert(1)>", "<JAVASCRIPT:alert(1)>", "<vbscript:msgbox(1)>", "<data:text/html,alert(1)>",
        "[a][r]\n\n[r]: javascript:alert(1)", "[a][r]\n\n[r]: <vbscript:msgbox(1)> \"t\"",
        "![a](javascript:alert(1))", "![a](data:text/html,alert(1))", "[![a](x.md)](javascript:alert(1))",
    ]

    @Test(arguments: Theme.allCases)
    func dangerousAddressesInBodiesAreInertOrRefused(theme: Theme) throws {
        var files: [String: String] = [:]
        for (index, link) in Self.dangerousLinks.enumerated() {
            files["content/pages/link-\(index).md"] = "---\ntitle: Link \(index)\n---\nSee \(link) here.\n"
        }
        let result = try Hostile.rebuild(theme: theme) { site in try site.write(files) }
        try result.expectEachInertOrNamed(Set(files.keys))
    }

    static let dangerousWebsites = [
        "javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)", "\\tjavascript:alert(1)",
        "java\\tscript:alert(1)", "java\\nscript:alert(1)", "\\u0000javascript:alert(1)", "\\u0001javascript:alert(1)",
        "vbscript:msgbox(1)", "data:text/html;base64,PHNjcmlwdD4=", "Data:text/html,<script>alert(1)</script>",
        "&#106;avascript:alert(1)", "javascript&colon;alert(1)", "javascript:alert(1)//https://ok.example",
        "\\\" onmouseover=\\\"alert(1)", "https://ok.example/\\\"><script>alert(1)</script>", "file:///etc/passwd",
    ]

    @Test(arguments: Theme.allCases)
    func dangerousWebsitesInFrontMatterAreInertOrRefused(theme: Theme) throws {
        var files: [String: String] = [:]
        for (index, website) in Self.dangerousWebsites.enumerated() {
            files["content/assets/web-\(index).md"] = Hostile.asset(
                title: "Web \(index)",
                extra: "contact:\n  website: \"\(website)\"\n  email: \"\(website)\"\n  phone: \"\(website)\"\n  other: \"\(website)\"\n")
        }
        let result = try Hostile.rebuild(theme: theme) { site in try site.write(files) }
        try result.expectEachInertOrNamed(Set(files.keys))
    }

    @Test(arguments: Theme.allCases)
    func attributeBreakoutsThroughLinkTitlesAndFenceInfoStrings(theme: Theme) throws {
        let body = #"""
            [titled](library.md "x\" onmouseover=\"alert(1)") and [single](library.md 'y\' onfocus=\'alert(2)')
            and [paren](library.md (z" autofocus onfocus="alert(3))) and ![image](library.md "i\" onerror=\"alert(4)").

            ```" onmouseover="alert(4)" x="
            code
            ```

            ~~~ javascript:alert(5) "><kith-x f="fence">
            more code
            ~~~

            ``` <kith-x f="fence2">
            ```

            [ref]

            [ref]: library.md "r\" onmouseover=\"alert(6)"

            """#
        let result = try Hostile.rebuild(theme: theme) { site in
            try site.write("content/assets/garden.md", Hostile.asset(title: "Community Garden", type: "space", body: body))
        }
        try result.expectBuiltAndInert()
    }

    // MARK: Markup in every front-matter field

    @Test(arguments: Theme.allCases)
    func markupInEveryFieldStaysText(theme: Theme) throws {
        func q(_ field: String) -> String { Hostile.yaml(Hostile.payload(field)) }
        let result = try Hostile.rebuild(theme: theme) { site in
            try site.write([
                "content/site.yml": """
                    title: \(q("site-title"))
                    description: \(q("site-description"))
                    language: en-GB
                    areas:
                      - name: North End
                      - name: Canal Side
                      - name: \(q("area"))
                        description: \(q("area-description"))
                    types:
                      hostile: {label: \(q("type-label")), colour: "#123456"}

                    """,
                "content/media/x.jpg": "not a picture",
                "content/assets/hostile.md": """
                    ---
                    title: \(q("title"))
                    type: hostile
                    summary: \(q("summary"))
                    area: \(q("area"))
                    tags: [\(q("tag")), food]
                    address: \(q("address"))
                    geo: {lat: 53.79, lon: -1.54}
                    hours: \(q("hours"))
                    cost: \(q("cost"))
                    audience: \(q("audience"))
                    accessibility: \(q("accessibility"))
                    languages: [\(q("language"))]
                    gifts: [\(q("gift"))]
                    needs: [\(q("need"))]
                    contact:
                      email: \(q("email"))
                      phone: \(q("phone"))
                      website: \(q("website"))
                      instagram: \(q("contact-other"))
                    connections:
                      - to: garden
                        kind: \(q("connection-kind"))
                        note: \(q("connection-note"))
                    image: {src: media/x.jpg, alt: \(q("image-alt"))}
                    updated: 2026-05-01
                    ---
                    Body of [the garden](garden.md).

                    """,
                "content/stories/hostile-story.md": """
                    ---
                    title: \(q("story-title"))
                    date: 2026-04-01
                    author: \(q("story-author"))
                    summary: \(q("story-summary"))
                    assets: [hostile, garden]
                    tags: [\(q("story-tag"))]
                    image: {src: media/x.jpg, alt: \(q("story-image-alt"))}
                    ---
                    Story about [it](../assets/hostile.md).

                    """,
                "content/pages/hostile-page.md": """
                    ---
                    title: \(q("page-title"))
                    summary: \(q("page-summary"))
                    ---
                    Page.

                    """,
            ])
        }
        try result.expectBuiltAndInert()
        #expect(try result.site.read("assets/hostile/index.html").contains("&lt;kith-x f=title&gt;"), "the title is printed, escaped")
        if theme == .repository {
            // Every field reaches some page of the real theme, escaped.
            let everything = try result.site.snapshot().values.map { String(decoding: $0, as: UTF8.self) }.joined()
            let missing = Self.fields.filter { !everything.contains("&lt;kith-x f=\($0)&gt;") }
            #expect(missing.isEmpty, "not printed by the theme: \(missing)")
        }
    }

    static let fields = [
        "site-title", "site-description", "area", "area-description", "type-label", "title", "summary", "tag", "address",
        "hours", "cost", "audience", "accessibility", "language", "gift", "need", "email", "phone", "website",
        "contact-other", "connection-kind", "connection-note", "image-alt", "story-title", "story-author",
        "story-summary", "story-tag", "story-image-alt", "page-title", "page-summary",
    ]

    /// HTML escaping keeps a value inside quotes, but a theme may leave an
    /// attribute unquoted (`<h1 title={{ asset.title }}>`): then a space in the
    /// value starts a new attribute, such as an event handler. The engine knows
    /// the unquoted state (AttributeTracker) and writes white space, `=` and
    /// backticks as character references there.
    @Test func fieldsInUnquotedAttributesOfAThemeStayOneValue() throws {
        var templates = FixtureSite.minimalTemplates
        templates["templates/asset.html"] = """
            {% extends "base.html" %}{% block content %}<h1 title={{ asset.title }} class=name>{{ asset.title }}</h1>\
            <p data-summary={{ asset.summary }}>{{ asset.summary }}</p>{% endblock %}
            """
        let result = try Hostile.rebuild(templates: templates) { site in
            try site.write("content/assets/library.md", """
                ---
                title: "Library onmouseover=alert(1) autofocus onfocus=alert(2)"
                type: institution
                summary: "x/onclick=alert(3)"
                ---
                Text.

                """)
        }
        try result.expectPreviousOutputKeptIfFailed()
        try result.expectEachInertOrNamed(["templates/asset.html"])
    }

    // MARK: Slugs and references

    static let badTargets = [
        "../library", "library/..", "..", "%2e%2e", "%2E%2E/library", "lib\\u0000rary", "Library", "LIBRARY", "library.md",
        "../assets/library.md", "/etc/passwd", "library/", "library\\\\..", " ", "lib rary", "library#x", "library?x", "café",
    ]

    @Test func connectionTargetsMustBeSlugs() throws {
        var files: [String: String] = [:]
        for (index, target) in Self.badTargets.enumerated() {
            files["content/assets/to-\(index).md"] = Hostile.asset(
                title: "To \(index)", extra: "connections:\n  - to: \"\(target)\"\n    kind: next to\n")
        }
        let result = try Hostile.rebuild { site in try site.write(files) }
        try result.expectEachNamed(Set(files.keys), codes: ["K012", "K030", "K031"])
    }

    @Test func storyAssetsMustBeSlugs() throws {
        var files: [String: String] = [:]
        // A blank entry (" ") is skipped, as blank list items are everywhere.
        for (index, target) in (Self.badTargets.filter { $0 != " " } + ["../../public/index"]).enumerated() {
            files["content/stories/about-\(index).md"] = "---\ntitle: About \(index)\ndate: 2026-03-14\nassets: [\"\(target)\"]\n---\nText.\n"
        }
        let result = try Hostile.rebuild { site in try site.write(files) }
        try result.expectEachNamed(Set(files.keys), codes: ["K012", "K031"])
    }

    @Test func fileNamesThatAreNotSlugsAreRefused() throws {
        let names = ["Garden.md", "GARDEN.md", "%2e%2e.md", "%2Fetc.md", "gar den.md", "garden-.md", "-garden.md",
                     "gar--den.md", "garden\u{0301}.md", "gärden.md", "garden\n.md", "garden\\x.md", "garden:x.md", "<b>.md"]
        var files: [String: String] = [:]
        for name in names { files["content/assets/\(name)"] = Hostile.asset(title: "Another garden", type: "space") }
        files["content/stories/Seed-Swap.md"] = "---\ntitle: Seeds\ndate: 2026-03-14\n---\n"
        files["content/pages/ABOUT.md"] = "---\ntitle: About\n---\n"
        let result = try Hostile.rebuild { site in try site.write(files) }
        try result.expectEachNamed(Set(files.keys), codes: ["K005"])
    }

    @Test func twoFilesWhoseSlugsCollide() throws {
        let result = try Hostile.rebuild { site in
            try site.write("content/assets/Garden.md", Hostile.asset(title: "Garden, capitalised", type: "space"))
        }
        try result.expectEachNamed(["content/assets/Garden.md"], codes: ["K005"])
        try result.expectPreviousOutputKeptIfFailed()
    }

    @Test func hiddenAndDotFilesAreLeftOut() throws {
        let result = try Hostile.rebuild { site in
            try site.write([
                "content/assets/..md": Hostile.asset(title: "Dot dot"),
                "content/assets/.garden.md": Hostile.asset(title: "Hidden garden"),
                "content/pages/.#about.md": "---\ntitle: Editor lock file\n---\n",
            ])
        }
        try result.expectBuiltAndInert()
        let home = try result.site.read("index.html")
        #expect(!home.contains("Dot dot") && !home.contains("Hidden garden"))
        #expect(!result.site.exists("assets/./index.html") && !result.site.exists("assets/.garden/index.html"))
    }

    @Test func linkPathsClimbingOutOfContentAreRefused() throws {
        var files: [String: String] = [:]
        for (index, path) in ["../etc", "..", "%2e%2e", "a/../../b", "..%2f..", "%2e%2e%2f%2e%2e", "..\\.."].enumerated() {
            files["content/pages/up-\(index).md"] = "---\ntitle: Up \(index)\n---\n[up](\(path)/passwd.md) and [deep](../../../../\(path)/x.md)\n"
        }
        let result = try Hostile.rebuild { site in try site.write(files) }
        try result.expectEachNamed(Set(files.keys), codes: ["K060", "K061", "K064"])
    }

    /// A tag made only of letters Slug.make cannot fold (Arabic, Chinese,
    /// emoji, punctuation) has an empty slug; it gets a hashed one instead of
    /// the page `tags//`.
    @Test func tagsWithoutLettersSlugMakeKnows() throws {
        let result = try Hostile.rebuild { site in
            try site.write("content/assets/library.md", Hostile.asset(
                title: "Northside Library", extra: "tags: [\"!!!\", \"..\", \"حديقة\", \"花园\", \"🌱\"]\n"))
        }
        try result.expectPreviousOutputKeptIfFailed()
        try result.expectEachInertOrNamed(["content/assets/library.md"])
        if case .built = result.outcome {
            let tags = try result.site.read("tags/index.html")
            for tag in ["!!!", "حديقة", "花园", "🌱"] {
                #expect(tags.contains(tag), "the tag \(tag) is not listed on tags/index.html")
            }
        }
    }

    // MARK: Links on disk

    @Test func contentFilesLinkingOutOfTheSiteAreRefused() throws {
        let outside = try TestSupport.temporaryDirectory("kith-outside")
        defer { try? FileManager.default.removeItem(at: outside) }
        try TestSupport.write([
            "secret.md": Hostile.asset(title: "SECRET-OUTSIDE-THE-SITE"), "secret.jpg": "SECRET-OUTSIDE-THE-SITE",
        ], under: outside)
        let result = try Hostile.rebuild { site in
            try site.link("content/assets/leak.md", to: outside.appendingPathComponent("secret.md"))
            try site.link("content/media/leak.jpg", to: outside.appendingPathComponent("secret.jpg"))
            try site.link("content/stories/dangling.md", to: outside.appendingPathComponent("missing.md"))
        }
        try result.expectEachNamed(["content/assets/leak.md", "content/media/leak.jpg", "content/stories/dangling.md"], codes: ["K004"])
    }

    @Test func aContentFolderLinkingOutOfTheSiteIsRefused() throws {
        let outside = try TestSupport.temporaryDirectory("kith-outside")
        defer { try? FileManager.default.removeItem(at: outside) }
        try TestSupport.write(["secret.md": Hostile.asset(title: "SECRET-OUTSIDE-THE-SITE")], under: outside)
        let result = try Hostile.rebuild { site in
            try FileManager.default.removeItem(at: site.fixture.root.appendingPathComponent("content/pages"))
            try site.link("content/pages", to: outside)
        }
        try result.expectEachNamed(["content/pages"], codes: ["K004"])
    }

    @Test func linksAlreadyInsideTheOutputAreReplacedNotFollowed() throws {
        let outside = try TestSupport.temporaryDirectory("kith-outside")
        defer { try? FileManager.default.removeItem(at: outside) }
        try TestSupport.write(["file.html": "outside file", "folder/index.html": "outside folder", "keep": "outside keep"], under: outside)
        let site = try FixtureSite()
        defer { site.remove() }
        _ = try Hostile.build(site)
        let manager = FileManager.default
        for (path, target) in [("index.html", "file.html"), ("stories", "folder"), (".gitkeep", "keep"), ("extra.html", "file.html")] {
            let url = site.output.appendingPathComponent(path)
            try? manager.removeItem(at: url)
            try manager.createSymbolicLink(at: url, withDestinationURL: outside.appendingPathComponent(target))
        }
        _ = try Hostile.build(site)
        #expect(try String(contentsOf: outside.appendingPathComponent("file.html"), encoding: .utf8) == "outside file")
        #expect(try String(contentsOf: outside.appendingPathComponent("folder/index.html"), encoding: .utf8) == "outside folder")
        #expect(try String(contentsOf: outside.appendingPathComponent("keep"), encoding: .utf8) == "outside keep")
        for path in ["index.html", "stories", "stories/index.html", "extra.html", ".gitkeep"] {
            #expect(!FileSystem.isSymbolicLink(site.output.appendingPathComponent(path)), "\(path) is still a link")
        }
        #expect(try site.read("index.html").contains("Testside"))
        #expect(!site.exists("extra.html"))
    }

    // MARK: YAML

    @Test func yamlAliasBombsAreRefusedQuickly() throws {
        var bomb = "lol0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
        for level in 1...9 {
            bomb += "lol\(level): &a\(level) [\(Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", "))]\n"
        }
        let clock = ContinuousClock()
        let started = clock.now
        let result = try Hostile.rebuild { site in
            try site.write([
                "content/assets/library.md": "---\ntitle: Bomb\ntype: institution\nsummary: x\n\(bomb)---\nText.\n",
                "content/stories/seed-swap.md": "---\ntitle: Bomb\ndate: 2026-01-01\ntags: &t [a, b]\nmore: *t\n---\n",
                "content/pages/about.md": "---\ntitle: &t About\nsummary: *t\n---\n",
            ])
        }
        #expect(clock.now - started < .seconds(30))
        try result.expectEachNamed(["content/assets/library.md", "content/stories/seed-swap.md", "content/pages/about.md"],
                                   codes: ["K014", "K015"])
    }

    @Test func yamlAliasInSiteSettingsIsRefused() throws {
        let result = try Hostile.rebuild { site in
            try site.write("content/site.yml", "title: &t Testside\ndescription: *t\nlanguage: en-GB\nareas: [North End, Canal Side]\n")
        }
        try result.expectEachNamed(["content/site.yml"], codes: ["K014"])
    }

    // MARK: Broken files

    @Test func unclosedFrontMatterIsNamed() throws {
        let result = try Hostile.rebuild { site in
            try site.write([
                "content/assets/library.md": "---\ntitle: Northside Library\ntype: institution\nsummary: Books.\n\nOpen six days.\n",
                "content/pages/about.md": "\u{FEFF}---\r\ntitle: About\r\n",
                "content/stories/seed-swap.md": "---",
            ])
        }
        try result.expectEachNamed(["content/assets/library.md", "content/pages/about.md", "content/stories/seed-swap.md"], codes: ["K010"])
    }

    @Test func emptyFilesAreNamed() throws {
        var files: [String: String] = [:]
        for (index, text) in ["", " ", "\n\n", "\u{FEFF}", "\u{FEFF}\r\n", "\t\r\n"].enumerated() {
            files["content/assets/empty-\(index).md"] = text
        }
        let result = try Hostile.rebuild { site in try site.write(files) }
        try result.expectEachNamed(Set(files.keys), codes: ["K008"])
    }

    @Test func invalidUTF8IsNamed() throws {
        let sequences: [[UInt8]] = [[0xFF, 0xFE], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x80]]
        var paths: Set<String> = []
        let result = try Hostile.rebuild { site in
            for (index, bytes) in sequences.enumerated() {
                var data = Data("---\ntitle: Bad ".utf8)
                data.append(contentsOf: bytes)
                data.append(contentsOf: Data(" bytes\ntype: institution\nsummary: Books.\n---\nText.\n".utf8))
                let path = "content/assets/bad-\(index).md"
                try site.writeData(path, data)
                paths.insert(path)
            }
            try site.writeData("content/pages/about.md", Data("---\ntitle: About\n---\nLatin-1 caf\u{E9}".utf8.dropLast(2)) + Data([0xE9, 0x0A]))
            paths.insert("content/pages/about.md")
            try site.writeData("content/site.yml", Data("title: Test\u{FF}".utf8.dropLast(2)) + Data([0xFF, 0x0A]))
            paths.insert("content/site.yml")
        }
        try result.expectEachNamed(paths, codes: ["K003"])
    }

    @Test func byteOrderMarksAndWindowsLineEndingsAreRead() throws {
        let crlf = { (text: String) in text.replacingOccurrences(of: "\n", with: "\r\n") }
        let result = try Hostile.rebuild { site in
            try site.write([
                "content/assets/library.md": "\u{FEFF}" + crlf(Hostile.asset(title: "Northside Library", body: "Line one.\nSee [the garden](garden.md).\n")),
                "content/stories/seed-swap.md": crlf("---\ntitle: The seed swap\ndate: 2026-03-14\nassets: [garden, library]\n---\nSeeds.\n"),
                "content/pages/about.md": "\u{FEFF}---\ntitle: About\n---\nWe do.\n",
                "content/site.yml": "\u{FEFF}" + crlf(FixtureSite.basicContent["content/site.yml"]!),
            ])
        }
        try result.expectBuiltAndInert()
        let library = try result.site.read("assets/library/index.html")
        #expect(library.contains("<h1>Northside Library</h1>"))
        #expect(library.contains(#"<a href="../garden/index.html">the garden</a>"#))
        #expect(try result.site.read("pages/about/index.html").contains("<h1>About</h1>"))
        for (path, data) in try result.site.snapshot() where path.hasSuffix(".html") {
            let text = String(decoding: data, as: UTF8.self)
            #expect(!text.contains("\u{FEFF}"), "\(path) has a byte order mark in it")
            #expect(!text.contains("Library\r") && !text.contains("swap\r"), "\(path) keeps a carriage return in a title")
        }
    }

    /// YAML escapes (`\0`, `\x01`, `\e`) put control characters into fields;
    /// they should be refused with the file's position or dropped, not written
    /// into pages (a NUL makes the HTML invalid, and the Nu checker reports it).
    @Test func controlCharactersInFieldsDoNotReachPages() throws {
        let result = try Hostile.rebuild { site in
            try site.write("content/assets/library.md", Hostile.asset(
                title: "North\\0side\\x01 Library\\e", extra: "hours: \"Mon\\0day\"\n", body: "Body with a NUL \u{0} here.\n"))
        }
        try result.expectPreviousOutputKeptIfFailed()
        guard case .built = result.outcome else { return }
        for (path, data) in try result.site.snapshot() where path.hasSuffix(".html") {
            let controls = data.filter { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
            #expect(controls.isEmpty, "\(path) contains the control bytes \(Array(Set(controls)).sorted())")
        }
    }

    // MARK: Pathological Markdown

    static let pathologicalBodies: [String] = [
        String(repeating: "[", count: 50_000),
        String(repeating: ">", count: 50_000),
        String(repeating: "[", count: 50_000) + "a" + String(repeating: "](x.md)", count: 5),
        String(repeating: "- ", count: 50_000) + "x",
        String(repeating: "*a", count: 50_000),
        String(repeating: "`", count: 50_000) + "a" + String(repeating: "``", count: 20_000),
        String(repeating: "<a", count: 50_000),
        String(repeating: "![", count: 50_000),
        String(repeating: "[a](<", count: 20_000),
        String(repeating: "&#", count: 50_000),
        String(repeating: "a\n", count: 50_000),
        String(repeating: "[a](missing.md) ", count: 10_000),
    ]

    @Test func pathologicalMarkdownFinishesAndStaysInert() throws {
        var files: [String: String] = [:]
        for (index, body) in Self.pathologicalBodies.enumerated() {
            files["content/pages/deep-\(index).md"] = "---\ntitle: Deep \(index)\n---\n\(body)\n"
        }
        let clock = ContinuousClock()
        let started = clock.now
        let result = try Hostile.rebuild { site in try site.write(files) }
        let elapsed = clock.now - started
        #expect(elapsed < .seconds(60), "the builds took \(elapsed)")
        try result.expectEachInertOrNamed(Set(files.keys))
    }

    // MARK: The checker itself

    @Test func theInertnessCheckFindsWhatItLooksFor() {
        let page = """
            <p title="x">ok</p><kith-x f=title><a href=" java&#x09;script:alert(1)">a</a><img src=x onerror=alert(1)>
            <a href="&#106;avascript&colon;x">b</a><a href="data:text/html,x">c</a><img src="data:image/png;base64,AA">
            <script>alert(1)</script><script type="application/ld+json">{"a": "<\\/script><script>"}</script>
            <script type="application/json">{not json}</script><p style="background: url(javascript:x)">s</p>
            <!-- <kith-x> in a comment is fine --><iframe src="https://example.org"></iframe>
            """
        let problems = Inertness.problems(in: Data(page.utf8), path: "index.html")
        let expected = ["<kith-x>", "javascript address in a href", "event handler onerror", "javascript address in a href",
                        "data address in a href", "script running content", "holding <script", "that is not JSON",
                        "style with", "<iframe>"]
        for text in expected {
            #expect(problems.contains { $0.contains(text) }, "not found: \(text) in \(problems)")
        }
        #expect(problems.count == expected.count, "\(problems)")
        #expect(Inertness.problems(in: Data("<p>&lt;script&gt;alert(1)&lt;/script&gt; \" onmouseover=</p>".utf8), path: "a.html").isEmpty)
    }

    // MARK: Output folders

    @Test func outputFoldersThatWouldDestroyInputAreRefused() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        _ = try Hostile.build(site)
        let output = try site.snapshot()
        let content = site.root.appendingPathComponent("content")
        let input = try site.snapshot(content)
        for out in ["/", ".", "content", "content/", "content/assets", "content/media/x", "templates", "templates/static",
                    "public/..", "..", "content/../content", "./content/./assets/.."] {
            let target = out == "/" ? URL(fileURLWithPath: "/") : site.root.appendingPathComponent(out)
            let problems = Hostile.failures { try Hostile.build(site, out: target) }
            #expect(problems.contains { ["K070", "K071"].contains($0.code) }, "accepted --out \(out)")
            #expect(try site.snapshot() == output, "--out \(out) changed the previous output")
            #expect(try site.snapshot(content) == input, "--out \(out) changed content/")
        }
    }

    @Test func anOutputFolderLinkingIntoContentIsRefused() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let content = site.root.appendingPathComponent("content")
        let input = try site.snapshot(content)
        let link = site.root.appendingPathComponent("out")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: content)
        let problems = Hostile.failures { try Hostile.build(site, out: link) }
        #expect(problems.contains { ["K071", "K072"].contains($0.code) })
        #expect(try site.snapshot(content) == input)
    }
}

// MARK: - Support

extension HostileInputTests {
    /// The themes hostile content is built with: the small fixture theme, and the
    /// theme of this repository, which prints every field in real HTML contexts.
    enum Theme: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case fixture, repository

        var testDescription: String { rawValue }

        var templates: [String: String] {
            switch self {
            case .fixture: return FixtureSite.minimalTemplates
            case .repository: return Self.repositoryTemplates
            }
        }

        static let repositoryTemplates: [String: String] = {
            let folder = TestSupport.repositoryRoot.appendingPathComponent("templates")
            var files: [String: String] = [:]
            let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
            while let url = enumerator?.nextObject() as? URL {
                guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true,
                      let data = FileManager.default.contents(atPath: url.path) else { continue }
                let relative = String(url.standardizedFileURL.path.dropFirst(folder.standardizedFileURL.path.count + 1))
                files["templates/" + relative] = String(decoding: data, as: UTF8.self)
            }
            return files
        }()
    }

    /// A fixture site to change between two builds.
    struct HostileSite {
        let fixture: FixtureSite

        func write(_ path: String, _ text: String) throws {
            try writeData(path, Data(text.utf8))
        }

        func write(_ files: [String: String]) throws {
            for (path, text) in files { try write(path, text) }
        }

        func writeData(_ path: String, _ data: Data) throws {
            let url = fixture.root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }

        func link(_ path: String, to target: URL) throws {
            let url = fixture.root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(at: url, withDestinationURL: target)
        }
    }

    enum Outcome {
        case built(BuildReport)
        case failed([Diagnostic])
    }

    /// The second build of a site, after a hostile change, and the output of the first.
    final class Rebuild {
        let site: FixtureSite
        let outcome: Outcome
        let before: [String: Data]

        init(site: FixtureSite, outcome: Outcome, before: [String: Data]) {
            self.site = site
            self.outcome = outcome
            self.before = before
        }

        deinit { site.remove() }

        var rendered: String {
            guard case .failed(let problems) = outcome else { return "" }
            return DiagnosticRenderer().render(all: problems)
        }

        /// A failed build has left the previous output exactly as it was.
        func expectPreviousOutputKeptIfFailed(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
            guard case .failed = outcome else { return }
            #expect(try site.snapshot() == before, "a failed build changed the output", sourceLocation: sourceLocation)
            let names = try FileManager.default.contentsOfDirectory(atPath: site.root.path)
            #expect(!names.contains { $0.contains(".building-") || $0.contains(".old-") },
                    "a staging folder was left behind", sourceLocation: sourceLocation)
        }

        func expectBuiltAndInert(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
            guard case .built = outcome else {
                Issue.record("the build failed:\n\(rendered)", sourceLocation: sourceLocation)
                return
            }
            try expectInert(sourceLocation: sourceLocation)
        }

        func expectInert(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
            for (path, data) in try site.snapshot().sorted(by: { $0.key < $1.key }) {
                for problem in Inertness.problems(in: data, path: path) {
                    Issue.record("\(path): \(problem)", sourceLocation: sourceLocation)
                }
            }
        }

        /// The build failed, every file of `paths` is named by an error with one of
        /// `codes`, no error is about anything else, and the old output is kept.
        func expectEachNamed(_ paths: Set<String>, codes: Set<String>,
                             sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
            guard case .failed(let problems) = outcome else {
                Issue.record("the build should have failed naming \(paths.sorted())", sourceLocation: sourceLocation)
                return
            }
            let errors = problems.filter { $0.severity == .error }
            for path in paths.sorted() {
                let named = errors.filter { $0.path == path }
                #expect(!named.isEmpty, "no error names \(path):\n\(rendered)", sourceLocation: sourceLocation)
                #expect(named.isEmpty || named.contains { codes.contains($0.code) },
                        "expected \(codes.sorted()) for \(path):\n\(rendered)", sourceLocation: sourceLocation)
            }
            let stray = errors.filter { !paths.contains($0.path ?? "") }
            #expect(stray.isEmpty, "errors about other files:\n\(DiagnosticRenderer().render(all: stray))", sourceLocation: sourceLocation)
            try expectPreviousOutputKeptIfFailed(sourceLocation: sourceLocation)
        }

        /// Each file of `paths` either builds, inert, or is named by an error.
        /// When the build failed, every error must name one of them, the old
        /// output must be kept, and once the named files are gone the rest
        /// must build, inert.
        func expectEachInertOrNamed(_ paths: Set<String>, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
            guard case .failed(let problems) = outcome else {
                try expectInert(sourceLocation: sourceLocation)
                return
            }
            let errors = problems.filter { $0.severity == .error }
            let stray = errors.filter { !paths.contains($0.path ?? "") }
            #expect(stray.isEmpty, "the build failed without naming a file at fault:\n\(DiagnosticRenderer().render(all: stray))",
                    sourceLocation: sourceLocation)
            try expectPreviousOutputKeptIfFailed(sourceLocation: sourceLocation)
            guard stray.isEmpty else { return }
            for path in Set(errors.compactMap(\.path)) {
                try FileManager.default.removeItem(at: site.root.appendingPathComponent(path))
            }
            do {
                _ = try Hostile.build(site)
            } catch {
                Issue.record("without the files named, the build still fails:\n\(error)", sourceLocation: sourceLocation)
                return
            }
            try expectInert(sourceLocation: sourceLocation)
        }
    }

    enum Hostile {
        static func build(_ site: FixtureSite, out: URL? = nil) throws -> BuildReport {
            try SiteBuilder(options: BuildOptions(root: site.root, output: out)).build()
        }

        static func failures(_ work: () throws -> BuildReport) -> [Diagnostic] {
            do {
                _ = try work()
                return []
            } catch let list as DiagnosticList {
                return list.diagnostics
            } catch let diagnostic as Diagnostic {
                return [diagnostic]
            } catch {
                return [Diagnostic(code: "?", message: "\(error)")]
            }
        }

        /// Builds the fixture site, applies `change`, and builds it again.
        static func rebuild(theme: Theme = .fixture, templates: [String: String]? = nil,
                            _ change: (HostileSite) throws -> Void) throws -> Rebuild {
            let site = try FixtureSite(templates: templates ?? theme.templates)
            do {
                _ = try build(site)
                let before = try site.snapshot()
                try change(HostileSite(fixture: site))
                let outcome: Outcome
                do {
                    outcome = .built(try build(site))
                } catch let list as DiagnosticList {
                    outcome = .failed(list.diagnostics)
                } catch let diagnostic as Diagnostic {
                    outcome = .failed([diagnostic])
                }
                return Rebuild(site: site, outcome: outcome, before: before)
            } catch {
                site.remove()
                throw error
            }
        }

        /// A profile; `extra` is more YAML, `body` the Markdown.
        static func asset(title: String, type: String = "institution", extra: String = "", body: String = "Text.\n") -> String {
            "---\ntitle: \"\(title)\"\ntype: \(type)\nsummary: Something useful.\n\(extra)---\n\(body)"
        }

        /// Markup that must stay text wherever a field is printed: an element of
        /// its own, breakouts from double- and single-quoted attributes, event
        /// handlers and a script. Short enough for a summary.
        static func payload(_ field: String) -> String {
            "<kith-x f=\(field)>\"'><kith-x f=\(field)-attr> \" onmouseover=\"alert(1)\" ' onfocus='alert(1)' <script>alert(1)</script>"
        }

        /// `text` as a double-quoted YAML scalar.
        static func yaml(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
    }

    /// Checks built files for anything content could have smuggled in.
    enum Inertness {
        static let urlAttributes: Set<String> = ["href", "src", "action", "formaction", "poster", "cite", "xlink:href",
                                                 "background", "data", "srcset", "manifest", "ping", "longdesc"]
        static let forbiddenElements: Set<String> = ["kith-x", "iframe", "object", "embed", "frame", "frameset", "applet"]

        static func problems(in data: Data, path: String) -> [String] {
            if path.hasSuffix(".json") {
                return (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) == nil
                    ? ["is not valid JSON"] : []
            }
            guard path.hasSuffix(".html") else { return [] }
            var found: [String] = []
            for element in HTMLScanner.scan(String(decoding: data, as: UTF8.self)) {
                let name = element.name
                if forbiddenElements.contains(name) {
                    found.append("<\(name)> element \(element.attributes)")
                }
                if name == "script" {
                    found += scriptProblems(element)
                }
                if name == "meta", element.attributes.contains(where: { $0.name == "http-equiv" }) {
                    found.append("<meta http-equiv>")
                }
                if name == "base", path != "404.html" {
                    found.append("<base> outside 404.html")
                }
                for attribute in element.attributes {
                    if attribute.name.hasPrefix("on") {
                        found.append("event handler \(attribute.name)=\"\(attribute.value)\" on <\(name)>")
                    }
                    if urlAttributes.contains(attribute.name), let scheme = dangerousScheme(attribute.value) {
                        found.append("\(scheme) address in \(name) \(attribute.name)=\"\(attribute.value.prefix(80))\"")
                    }
                    if attribute.name == "style" {
                        let style = attribute.value.lowercased()
                        if let bad = ["expression(", "javascript:", "url(", "@import", "behavior:"].first(where: style.contains) {
                            found.append("style with \(bad) on <\(name)>: \(attribute.value.prefix(80))")
                        }
                    }
                }
            }
            return found
        }

        /// An inline script is either data (`type` ending in `json`), which must
        /// parse and hold nothing that changes where the HTML parser ends the
        /// element, or code, which must hold nothing that came from content.
        static func scriptProblems(_ element: HTMLScanner.Element) -> [String] {
            let type = element.attributes.first { $0.name == "type" }?.value.lowercased() ?? ""
            let text = element.text
            guard type.hasSuffix("json") else {
                return text.contains("alert(") ? ["script running content: \(text.prefix(120))"] : []
            }
            var found: [String] = []
            if !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
               (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) == nil {
                found.append("<script type=\"\(type)\"> that is not JSON: \(text.prefix(120))")
            }
            let lower = text.lowercased()
            for marker in ["<!--", "<script", "</script"] where lower.contains(marker) {
                found.append("<script type=\"\(type)\"> holding \(marker)")
            }
            return found
        }

        /// The scheme of an address a browser would run or render as a document:
        /// `javascript:`, `vbscript:`, `data:` (except common images), `file:`.
        static func dangerousScheme(_ value: String) -> String? {
            var scheme = ""
            var started = false
            for scalar in value.unicodeScalars {
                if !started {
                    if scalar.value <= 0x20 { continue }
                    started = true
                }
                if scalar == "\t" || scalar == "\n" || scalar == "\r" { continue }
                if scalar == ":" { break }
                if scalar == "/" || scalar == "?" || scalar == "#" { return nil }
                scheme.unicodeScalars.append(scalar)
            }
            guard value.contains(":") else { return nil }
            switch scheme.lowercased() {
            case "javascript", "vbscript", "file", "livescript":
                return scheme.lowercased()
            case "data":
                let lower = value.lowercased().filter { !$0.isWhitespace }
                let images = ["data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp"]
                return images.contains { lower.hasPrefix($0) } ? nil : "data"
            default:
                return nil
            }
        }
    }

    /// A small HTML tokenizer, enough to list the elements of a generated page
    /// with their attributes (entities decoded, as a browser reads them) and the
    /// text of `<script>` and `<style>`.
    enum HTMLScanner {
        struct Element: CustomStringConvertible {
            var name: String
            var attributes: [(name: String, value: String)] = []
            /// For `<script>` and `<style>`: their raw text.
            var text = ""

            var description: String { "<\(name) \(attributes.map { "\($0.name)=\"\($0.value)\"" }.joined(separator: " "))>" }
        }

        static func scan(_ html: String) -> [Element] {
            let s = Array(html.unicodeScalars)
            var elements: [Element] = []
            var i = 0
            func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0C}" }
            func isLetter(_ c: Unicode.Scalar) -> Bool { (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") }
            func find(_ needle: String, from start: Int) -> Int? {
                let n = Array(needle.unicodeScalars)
                var j = start
                while j + n.count <= s.count {
                    var k = 0
                    while k < n.count, String(s[j + k]).lowercased() == String(n[k]) { k += 1 }
                    if k == n.count { return j }
                    j += 1
                }
                return nil
            }
            while i < s.count {
                guard s[i] == "<", i + 1 < s.count else { i += 1; continue }
                let next = s[i + 1]
                if next == "!" {
                    if i + 3 < s.count, s[i + 2] == "-", s[i + 3] == "-" {
                        i = (find("-->", from: i + 4) ?? s.count - 3) + 3
                    } else {
                        i = (find(">", from: i + 2) ?? s.count - 1) + 1
                    }
                    continue
                }
                if next == "/" || next == "?" {
                    i = (find(">", from: i + 2) ?? s.count - 1) + 1
                    continue
                }
                guard isLetter(next) else { i += 1; continue }
                var j = i + 1
                var name = ""
                while j < s.count, !isSpace(s[j]), s[j] != ">", s[j] != "/" { name.unicodeScalars.append(s[j]); j += 1 }
                var element = Element(name: name.lowercased())
                // Attributes, up to `>`.
                while j < s.count, s[j] != ">" {
                    if isSpace(s[j]) || s[j] == "/" { j += 1; continue }
                    var attributeName = ""
                    while j < s.count, !isSpace(s[j]), s[j] != ">", s[j] != "=", !(s[j] == "/" && !attributeName.isEmpty) {
                        attributeName.unicodeScalars.append(s[j]); j += 1
                    }
                    while j < s.count, isSpace(s[j]) { j += 1 }
                    var value = ""
                    if j < s.count, s[j] == "=" {
                        j += 1
                        while j < s.count, isSpace(s[j]) { j += 1 }
                        if j < s.count, s[j] == "\"" || s[j] == "'" {
                            let quote = s[j]
                            j += 1
                            while j < s.count, s[j] != quote { value.unicodeScalars.append(s[j]); j += 1 }
                            j += 1
                        } else {
                            while j < s.count, !isSpace(s[j]), s[j] != ">" { value.unicodeScalars.append(s[j]); j += 1 }
                        }
                    }
                    if !attributeName.isEmpty {
                        element.attributes.append((attributeName.lowercased(), decodeEntities(value)))
                    }
                }
                i = j + 1
                if element.name == "script" || element.name == "style" {
                    let end = find("</\(element.name)", from: i) ?? s.count
                    element.text = String(String.UnicodeScalarView(s[i..<end]))
                    i = end
                }
                elements.append(element)
            }
            return elements
        }

        /// Character references, as a browser decodes them in attribute values.
        static func decodeEntities(_ text: String) -> String {
            guard text.contains("&") else { return text }
            let named: [String: String] = [
                "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "colon": ":", "tab": "\t",
                "newline": "\n", "sol": "/", "lpar": "(", "rpar": ")", "nbsp": "\u{A0}", "semi": ";",
            ]
            var out = ""
            var rest = Substring(text)
            while let amp = rest.firstIndex(of: "&") {
                out += rest[..<amp]
                let after = rest[rest.index(after: amp)...]
                let body = after.prefix { $0.isLetter || $0.isNumber || $0 == "#" }
                var consumed = body.endIndex
                var replacement: String?
                if body.hasPrefix("#x") || body.hasPrefix("#X") {
                    replacement = UInt32(body.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String($0) }
                } else if body.hasPrefix("#") {
                    replacement = UInt32(body.dropFirst(1)).flatMap(Unicode.Scalar.init).map { String($0) }
                } else {
                    replacement = named[body.lowercased()]
                }
                if let replacement {
                    out += replacement
                    if consumed < after.endIndex, after[consumed] == ";" { consumed = after.index(after: consumed) }
                    rest = after[consumed...]
                } else {
                    out += "&"
                    rest = after
                }
            }
            return out + rest
        }
    }
}
