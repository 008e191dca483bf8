import Diagnostics
import Foundation
import Testing
import TestSupport
@testable import Site

@Suite struct BuildTests {
    func build(_ site: FixtureSite, drafts: Bool = false, out: URL? = nil) throws -> BuildReport {
        try SiteBuilder(options: BuildOptions(root: site.root, output: out, includeDrafts: drafts)).build()
    }

    /// The diagnostics of a build expected to fail.
    func failures(_ site: FixtureSite, out: URL? = nil) -> [Diagnostic] {
        do {
            _ = try build(site, out: out)
            Issue.record("the build should have failed")
            return []
        } catch let list as DiagnosticList {
            return list.diagnostics
        } catch let diagnostic as Diagnostic {
            return [diagnostic]
        } catch {
            Issue.record("unexpected error \(error)")
            return []
        }
    }

    @Test func writesEveryPageOfTheContract() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let report = try build(site)
        for path in [
            "index.html", "assets/garden/index.html", "assets/library/index.html", "assets/ann/index.html",
            "stories/index.html", "stories/seed-swap/index.html", "pages/about/index.html", "404.html",
            "types/index.html", "types/space/index.html", "types/individual/index.html",
            "areas/index.html", "areas/north-end/index.html", "areas/canal-side/index.html",
            "tags/index.html", "tags/food/index.html", "tags/gardening/index.html", "static/style.css",
            "map/index.html", "map/insights/index.html", "map/graph.json",
        ] {
            #expect(site.exists(path), "missing \(path)")
        }
        #expect(!site.exists("assets/secret/index.html"))
        #expect(report.pages == 27)
        #expect(report.summary.hasPrefix("27 pages written to "))
    }

    @Test func draftsAreBuiltOnRequest() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        _ = try build(site, drafts: true)
        #expect(site.exists("assets/secret/index.html"))
    }

    @Test func connectionsShowOnBothEnds() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        _ = try build(site)
        let garden = try site.read("assets/garden/index.html")
        #expect(garden.contains(#"<a class="to" href="../library/index.html">partners with: Northside Library</a>"#))
        #expect(garden.contains(#"<a class="from" href="../ann/index.html">volunteers at: Ann Baker</a>"#))
        #expect(garden.contains(#"<a class="story" href="../../stories/seed-swap/index.html">The seed swap</a>"#))
        let library = try site.read("assets/library/index.html")
        #expect(library.contains(#"<a class="from" href="../garden/index.html">partners with: Community Garden</a>"#))
    }

    @Test func bodyLinksToContentFilesBecomeRelativeURLs() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        _ = try build(site)
        let garden = try site.read("assets/garden/index.html")
        #expect(garden.contains(#"<a href="../library/index.html">the library</a>"#))
        #expect(garden.contains(#"<a href="../../stories/seed-swap/index.html">our story</a>"#))
        let story = try site.read("stories/seed-swap/index.html")
        #expect(story.contains(#"<a href="../../assets/garden/index.html">the garden</a>"#))
        #expect(story.contains("14 March 2026"))
        let home = try site.read("index.html")
        #expect(home.contains(#"<link rel="stylesheet" href="static/style.css">"#))
        #expect(home.contains(#"<a href="types/space/index.html">"#))
    }

    @Test func pageAddressLinksRelativeToThePageAreAccepted() throws {
        var files = FixtureSite.basicContent
        files["content/assets/library.md"] = files["content/assets/library.md"]! + "Next door: [garden](../garden/).\n"
        let site = try FixtureSite(files: files)
        defer { site.remove() }
        _ = try build(site)
        #expect(try site.read("assets/library/index.html").contains(#"<a href="../garden/index.html">garden</a>"#))
    }

    @Test func contentFolderMayBeALinkChosenByTheSiteOwner() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let elsewhere = try TestSupport.temporaryDirectory("kith-content")
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        let moved = elsewhere.appendingPathComponent("content")
        try FileManager.default.moveItem(at: site.root.appendingPathComponent("content"), to: moved)
        try FileManager.default.createSymbolicLink(at: site.root.appendingPathComponent("content"), withDestinationURL: moved)
        _ = try build(site)
        #expect(site.exists("assets/garden/index.html"))
    }

    @Test func individualsContactIsHiddenUnlessPublic() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        _ = try build(site)
        #expect(!(try site.read("assets/ann/index.html")).contains("ann@example.org"))
        var withAddress = FixtureSite.basicContent
        withAddress["content/assets/ann.md"] = withAddress["content/assets/ann.md"]!.replacingOccurrences(
            of: "type: individual\n", with: "type: individual\naddress: 12 Home Lane\ngeo: {lat: 53.8, lon: -1.5}\n")
        let home = try FixtureSite(files: withAddress, templates: FixtureSite.minimalTemplates.merging(
            ["templates/asset.html": "{{ asset.address }}{{ asset.geo.lat }}{{ asset.contact.email }}"]) { _, new in new })
        defer { home.remove() }
        _ = try build(home)
        #expect(try home.read("assets/ann/index.html") == "")
        var files = FixtureSite.basicContent
        files["content/assets/ann.md"] = files["content/assets/ann.md"]!.replacingOccurrences(
            of: "type: individual\n", with: "type: individual\npublic_contact: true\n")
        let open = try FixtureSite(files: files)
        defer { open.remove() }
        _ = try build(open)
        #expect((try open.read("assets/ann/index.html")).contains("mailto:ann@example.org"))
    }

    @Test func twoBuildsAreByteIdentical() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        _ = try build(site)
        let first = try site.snapshot()
        _ = try build(site)
        let second = try site.snapshot()
        #expect(first == second)
        #expect(first.count > 10)
    }

    @Test func brokenLinkFailsAtItsLineAndKeepsTheOldOutput() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        _ = try build(site)
        let before = try site.snapshot()
        let garden = site.root.appendingPathComponent("content/assets/garden.md")
        let text = try String(contentsOf: garden, encoding: .utf8).replacingOccurrences(of: "(library.md)", with: "(librari.md)")
        try Data(text.utf8).write(to: garden)
        let problems = failures(site)
        let rendered = problems.map { DiagnosticRenderer().render($0) }.joined()
        #expect(rendered.contains("content/assets/garden.md:14:44: error: link to a missing file `librari.md` [K061]"))
        #expect(rendered.contains("did you mean `library.md`?"))
        #expect(try site.snapshot() == before)
    }

    @Test func brokenTemplateFailsNamingItsLineAndKeepsTheOldOutput() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        _ = try build(site)
        let before = try site.snapshot()
        try TestSupport.write(["templates/story.html": "{% extends \"base.html\" %}\n{% block content %}\n{% if story.title %}<h1>{{ story.title }}</h1>\n{% endblock %}\n"], under: site.root)
        let problems = failures(site)
        #expect(problems.contains { $0.path == "templates/story.html" && $0.location?.line != nil && $0.severity == .error })
        #expect(try site.snapshot() == before)
    }

    @Test func leftoverStagingFoldersAreNotCreatedOnFailure() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        try TestSupport.write(["content/assets/library.md": "---\ntitle: [unclosed\n---\n"], under: site.root)
        _ = failures(site)
        let names = try FileManager.default.contentsOfDirectory(atPath: site.root.path)
        #expect(!names.contains { $0.contains("building") })
        #expect(!names.contains("public"))
    }

    /// The staging folder is begun once the content is read, so that page
    /// folders can be made ahead; a build that fails later still makes no
    /// folder that was not there, and leaves nothing beside the output.
    @Test func aBuildFailingAfterTheContentMakesNoFolders() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        try TestSupport.write(["templates/story.html": "{% if story.title %}unclosed"], under: site.root)
        let deep = site.root.appendingPathComponent("deep/er/public")
        #expect(failures(site, out: deep).contains { $0.path == "templates/story.html" })
        #expect(!FileManager.default.fileExists(atPath: site.root.appendingPathComponent("deep").path))
        #expect(failures(site).contains { $0.path == "templates/story.html" })
        let names = try FileManager.default.contentsOfDirectory(atPath: site.root.path)
        #expect(!names.contains { $0.contains("building") || $0 == "public" })
    }

    @Test func refusesDangerousOutputFolders() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        for out in ["/", site.root.path, site.root.appendingPathComponent("content").path,
                    site.root.appendingPathComponent("content/media/out").path,
                    site.root.appendingPathComponent("templates").path,
                    site.root.deletingLastPathComponent().path] {
            let problems = failures(site, out: URL(fileURLWithPath: out))
            #expect(problems.contains { $0.code == "K070" || $0.code == "K071" }, "accepted \(out)")
        }
        #expect(FileManager.default.fileExists(atPath: site.root.appendingPathComponent("content/site.yml").path))
    }

    @Test func refusesAnOutputFolderThatIsALink() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let elsewhere = try TestSupport.temporaryDirectory("kith-elsewhere")
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        try TestSupport.write(["keep.txt": "mine"], under: elsewhere)
        try FileManager.default.createSymbolicLink(at: site.output, withDestinationURL: elsewhere)
        #expect(failures(site).contains { $0.code == "K072" })
        #expect(try String(contentsOf: elsewhere.appendingPathComponent("keep.txt"), encoding: .utf8) == "mine")
    }

    @Test func aLinkInsideTheOldOutputIsReplacedNotFollowed() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        _ = try build(site)
        let elsewhere = try TestSupport.temporaryDirectory("kith-elsewhere")
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        try TestSupport.write(["index.html": "outside"], under: elsewhere)
        try FileManager.default.removeItem(at: site.output.appendingPathComponent("assets"))
        try FileManager.default.createSymbolicLink(at: site.output.appendingPathComponent("assets"), withDestinationURL: elsewhere)
        _ = try build(site)
        #expect(try String(contentsOf: elsewhere.appendingPathComponent("index.html"), encoding: .utf8) == "outside")
        #expect(site.exists("assets/garden/index.html"))
    }

    @Test func mediaAndImagesAreCopiedAndLinked() throws {
        var files = FixtureSite.basicContent
        files["content/media/hall.jpg"] = "not really a jpeg"
        files["content/pages/about.md"] = "---\ntitle: About\n---\n![The hall at night](../media/hall.jpg)\n"
        let site = try FixtureSite(files: files)
        defer { site.remove() }
        _ = try build(site)
        #expect(try site.read("media/hall.jpg") == "not really a jpeg")
        #expect(try site.read("pages/about/index.html").contains(#"<img src="../../media/hall.jpg" alt="The hall at night" />"#))
    }

    @Test func imageWithoutAltTextIsAnError() throws {
        var files = FixtureSite.basicContent
        files["content/media/hall.jpg"] = "x"
        files["content/pages/about.md"] = "---\ntitle: About\n---\nText.\n\n![](../media/hall.jpg)\n"
        let site = try FixtureSite(files: files)
        defer { site.remove() }
        let problems = failures(site)
        #expect(problems.contains { $0.code == "K065" && $0.position == "content/pages/about.md:6:5" })
    }

    @Test func linkToADraftIsReported() throws {
        var files = FixtureSite.basicContent
        files["content/assets/library.md"] = files["content/assets/library.md"]! + "See [secret](secret.md).\n"
        let site = try FixtureSite(files: files)
        defer { site.remove() }
        #expect(failures(site).contains { $0.code == "K062" && $0.path == "content/assets/library.md" })
    }

    @Test func hostileValuesAreInert() throws {
        var files = FixtureSite.basicContent
        files["content/assets/library.md"] = """
            ---
            title: "<script>alert(1)</script> Library"
            type: institution
            summary: "\\" onmouseover=\\"alert(1)"
            contact:
              website: "javascript:alert(1)"
            ---
            <script>alert(2)</script>

            [click](javascript:alert(3)) and <img src=x onerror=alert(4)>

            """
        let site = try FixtureSite(files: files)
        defer { site.remove() }
        _ = try build(site)
        let html = try site.read("assets/library/index.html")
        #expect(!html.contains("<script>"))
        #expect(!html.contains("javascript:"))
        #expect(!html.contains("onerror="))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; Library"))
        #expect(html.contains(##"<a class="web" href="#">"##))
        #expect(html.contains("&quot; onmouseover=&quot;alert(1)"))
    }

    @Test func missingTemplatesAreNamed() throws {
        var templates = FixtureSite.minimalTemplates
        templates.removeValue(forKey: "templates/term.html")
        let site = try FixtureSite(templates: templates)
        defer { site.remove() }
        #expect(failures(site).contains { $0.code == "K077" && $0.path == "templates/term.html" })
    }

    @Test func staticLinkOutOfTheSiteIsRefused() throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let elsewhere = try TestSupport.temporaryDirectory("kith-secret")
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        try TestSupport.write(["passwords.txt": "hunter2"], under: elsewhere)
        try FileManager.default.createSymbolicLink(
            at: site.root.appendingPathComponent("templates/static/leak.txt"),
            withDestinationURL: elsewhere.appendingPathComponent("passwords.txt"))
        #expect(failures(site).contains { $0.code == "K075" })
    }
}

@Suite struct SitePathTests {
    @Test(arguments: [
        ("", "assets/garden/", "assets/garden/index.html"),
        ("assets/garden/", "assets/library/", "../library/index.html"),
        ("assets/garden/", "stories/x/", "../../stories/x/index.html"),
        ("assets/garden/", "", "../../index.html"),
        ("assets/garden/", "static/style.css", "../../static/style.css"),
        ("404.html", "static/style.css", "static/style.css"),
        ("stories/", "stories/x/#part", "x/index.html#part"),
        ("assets/garden/", "assets/garden/", "index.html"),
        ("", "", "index.html"),
    ])
    func relative(from: String, to: String, expected: String) {
        #expect(SitePaths.relative(from: from, to: to) == expected)
    }

    @Test(arguments: ["a/b.html", "static/css/x.css", "..a/b", "a/...", ".well-known/x.txt", "é/ü.html", "x"])
    func safePaths(path: String) { #expect(OutputWriter.isSafeRelativePath(path)) }

    @Test(arguments: ["", "/etc/passwd", "../x", "a/../../x", "a//b", "a/./b", "a\\b", "a\u{0}b", "a/", ".", "..", "a/..", "a/.", "/"])
    func unsafePaths(path: String) { #expect(!OutputWriter.isSafeRelativePath(path)) }
}
