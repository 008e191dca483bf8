import Diagnostics
import Testing
@testable import Templates

/// Rendering into a sink a piece at a time gives the bytes `renderBytes`
/// gives, whatever the blocks, `super()` and includes do in between.
@Suite struct StreamingRenderTests {
    /// A layout, a page that extends it and overrides a block with `super()`,
    /// and an include inside a long loop: together far more than one flush.
    static let sources: [String: String] = [
        "base.html": """
            <html><head>{% block head %}<title>{{ title }}</title>{% endblock %}</head>
            <body>{% block body %}{% for row in rows %}<p class="base">{{ row.name }} &amp; {{ row.note }}</p>
            {% endfor %}{% endblock %}</body></html>
            """,
        "page.html": """
            {% extends "base.html" %}
            {% block head %}{{ super() }}<meta name="rows" content="{{ rows | length }}">{% endblock %}
            {% block body %}<main>{% for row in rows %}{% include "row.html" %}{% endfor %}</main>
            <aside>{{ super() }}</aside>{% endblock %}
            """,
        "row.html": """
            <article id="r{{ loop.index }}"><h2>{{ row.name | upper }}</h2><p>{{ row.note }}</p></article>

            """,
    ]

    static func rows(_ count: Int) -> Value {
        .array((0..<count).map { number in
            .object(["name": .string("Row \(number) <café>"), "note": .string("Note \"\(number)\" & more text to fill the page")])
        })
    }

    /// The pieces a streamed render hands on, in order.
    static func pieces(_ set: TemplateSet, _ name: String, _ context: [String: Value], threshold: Int) throws -> [[UInt8]] {
        var pieces: [[UInt8]] = []
        try set.render(name, context: context, environment: RenderEnvironment(), flushingEvery: threshold) { pieces.append(Array($0)) }
        return pieces
    }

    @Test(arguments: [1, 1000, TemplateSet.flushSize])
    func streamedBytesEqualRenderBytes(threshold: Int) throws {
        let set = try TemplateSet(sources: Self.sources)
        let context: [String: Value] = ["title": "Big <page>", "rows": Self.rows(3000)]
        let whole = try set.renderBytes("page.html", context: context, environment: RenderEnvironment())
        // The page, and the block text `super()` captures, are each longer than the default threshold.
        #expect(whole.count > 3 * TemplateSet.flushSize)
        let pieces = try Self.pieces(set, "page.html", context, threshold: threshold)
        let joined = Array(pieces.joined())
        let same = joined == whole
        #expect(same, "the pieces differ from byte \(Self.firstDifference(joined, whole))")
        #expect(pieces.count > 1)
        #expect(pieces.dropLast().allSatisfy { $0.count >= threshold })
    }

    @Test func aSmallPageIsOnePiece() throws {
        let set = try TemplateSet(sources: Self.sources)
        let context: [String: Value] = ["title": "Small", "rows": Self.rows(2)]
        let pieces = try Self.pieces(set, "page.html", context, threshold: TemplateSet.flushSize)
        #expect(pieces == [try set.renderBytes("page.html", context: context, environment: RenderEnvironment())])
    }

    @Test func anErrorMidwayIsTheSameDiagnosticAsRenderBytes() throws {
        var sources = Self.sources
        sources["row.html"] = "<p>{{ row.name }}</p>{% if loop.index == 2500 %}{{ row.name - 1 }}{% endif %}\n"
        let set = try TemplateSet(sources: sources)
        let context: [String: Value] = ["title": "Broken", "rows": Self.rows(3000)]
        var expected: Diagnostic?
        do {
            _ = try set.renderBytes("page.html", context: context, environment: RenderEnvironment())
        } catch let diagnostic as Diagnostic {
            expected = diagnostic
        }
        let expectedDiagnostic = try #require(expected)
        #expect(expectedDiagnostic.notes.contains { $0.hasPrefix("included from templates/page.html") })

        var handedOn = 0
        do {
            try set.render("page.html", context: context, environment: RenderEnvironment(), flushingEvery: 1000) { handedOn += $0.count }
            Issue.record("expected a render error")
        } catch let diagnostic as Diagnostic {
            #expect(diagnostic == expectedDiagnostic)
        }
        // Part of the page had already been handed on when the error came.
        #expect(handedOn > 0)
    }

    @Test func aSinkErrorIsPassedOnUnchanged() throws {
        struct Full: Error, Equatable {}
        let set = try TemplateSet(sources: Self.sources)
        let context: [String: Value] = ["title": "Big", "rows": Self.rows(100)]
        #expect(throws: Full()) {
            try set.render("page.html", context: context, environment: RenderEnvironment(), flushingEvery: 100) { _ in throw Full() }
        }
    }

    @Test func aMissingTemplateIsReportedAsByRenderBytes() throws {
        let set = try TemplateSet(sources: Self.sources)
        var calls = 0
        #expect(throws: Diagnostic.self) {
            try set.render("pag.html", context: [:], environment: RenderEnvironment()) { _ in calls += 1 }
        }
        #expect(calls == 0)
    }

    /// Where two byte strings first differ (the shorter one's length when one begins the other).
    static func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> Int {
        let shorter = min(a.count, b.count)
        return (0..<shorter).first { a[$0] != b[$0] } ?? shorter
    }
}
