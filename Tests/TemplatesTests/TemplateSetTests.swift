import Diagnostics
import Foundation
import Testing
import TestSupport
@testable import Templates

@Suite struct TemplateSetTests {
    @Test func namesAreSortedAndKnown() throws {
        let set = try TemplateSet(sources: ["b.html": "", "a.html": "", "partials/c.html": ""])
        #expect(set.names == ["a.html", "b.html", "partials/c.html"])
        #expect(set.contains("partials/c.html"))
        #expect(!set.contains("c.html"))
    }

    @Test func readsAFolderRecursivelySkippingStatic() throws {
        let root = try TestSupport.temporaryDirectory("kith-templates")
        defer { try? FileManager.default.removeItem(at: root) }
        try TestSupport.write([
            "base.html": "<main>{% block content %}{% endblock %}</main>",
            "page.html": "{% extends \"base.html\" %}{% block content %}{% include \"partials/card.html\" %}{% endblock %}",
            "partials/card.html": "<p>{{ title }}</p>",
            "static/broken.html": "{% if %}",
            "notes.txt": "{% if %}",
            ".hidden.html": "{% if %}",
        ], under: root)
        let set = try TemplateSet(directory: root)
        #expect(set.names == ["base.html", "page.html", "partials/card.html"])
        #expect(try set.render("page.html", context: ["title": "Hi"], environment: RenderEnvironment()) == "<main><p>Hi</p></main>")
    }

    @Test func reportsEveryErrorOfEveryFileWithTheDisplayPath() throws {
        let root = try TestSupport.temporaryDirectory("kith-templates")
        defer { try? FileManager.default.removeItem(at: root) }
        try TestSupport.write([
            "a.html": "{% if x %}\n{{ y | uper }}",
            "sub/b.html": "{% endfor %}{% include \"partials/crad.html\" %}",
            "partials/card.html": "",
        ], under: root)
        do {
            _ = try TemplateSet(directory: root, displayPath: "theme/templates")
            Issue.record("expected errors")
        } catch let list as DiagnosticList {
            #expect(list.diagnostics.map { "\($0.position) \($0.code)" } == [
                "theme/templates/a.html:1:1 T007",
                "theme/templates/a.html:2:8 T006",
                "theme/templates/sub/b.html:1:1 T008",
                "theme/templates/sub/b.html:1:24 T015",
            ])
            #expect(list.diagnostics[3].label == "did you mean `partials/card.html`?")
        }
    }

    @Test func aMissingFolderIsAnError() {
        let missing = URL(fileURLWithPath: "/nonexistent-kith-folder/templates")
        #expect(throws: DiagnosticList.self) { try TemplateSet(directory: missing) }
    }

    @Test func invalidUTF8IsAnError() throws {
        let root = try TestSupport.temporaryDirectory("kith-templates")
        defer { try? FileManager.default.removeItem(at: root) }
        try Data([0x3C, 0x70, 0xFF, 0xFE]).write(to: root.appendingPathComponent("bad.html"))
        do {
            _ = try TemplateSet(directory: root)
            Issue.record("expected an error")
        } catch let list as DiagnosticList {
            #expect(list.diagnostics.map(\.code) == ["T017"])
            #expect(list.diagnostics.first?.path == "templates/bad.html")
        }
    }

    @Test func extendsAndIncludeOfMissingTemplatesAreReported() {
        let errors = loadErrors([
            "page.html": "{% extends \"bse.html\" %}",
            "other.html": "{% include \"nothing-like-it.html\" %}",
            "base.html": "",
        ])
        #expect(errors.map(summary) == ["T015 1:12 22", "T015 1:12 10"])
        #expect(errors.map(\.path) == ["templates/other.html", "templates/page.html"])
        #expect(errors.map(\.label) == [nil, "did you mean `base.html`?"])
    }

    @Test func extendsCyclesAreReportedOnceWithTheWholeChain() {
        let errors = loadErrors([
            "a.html": "{% extends \"b.html\" %}",
            "b.html": "{% extends \"c.html\" %}",
            "c.html": "{% extends \"a.html\" %}",
            "d.html": "{% extends \"a.html\" %}",
            "self.html": "{% extends \"self.html\" %}",
        ])
        #expect(errors.map(\.message) == [
            "templates extend each other in a circle: a.html → b.html → c.html → a.html",
            "templates extend each other in a circle: self.html → self.html",
        ])
        #expect(errors.map(\.code) == ["T016", "T016"])
        #expect(errors.first?.path == "templates/a.html")
    }

    @Test func theThemeInTheRepositoryParses() throws {
        let folder = TestSupport.repositoryRoot.appendingPathComponent("templates")
        guard FileManager.default.fileExists(atPath: folder.path) else { return }
        let set = try TemplateSet(directory: folder)
        #expect(set.contains("base.html"))
        #expect(!set.names.contains { $0.hasPrefix("static/") })
    }
}
