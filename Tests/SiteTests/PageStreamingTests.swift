import Diagnostics
import Foundation
import Testing
import TestSupport
import Templates
@testable import Site

/// Pages written into the staging folder as they render, a chunk at a time.
@Suite struct PageStreamingTests {
    static let sources: [String: String] = [
        "base.html": "<html><body>{% block body %}<p>base</p>{% endblock %}</body></html>\n",
        "list.html": """
            {% extends "base.html" %}{% block body %}<ul>{% for item in items %}{% include "item.html" %}{% endfor %}</ul>
            <footer>{{ super() }}</footer>{% endblock %}
            """,
        "item.html": "<li id=\"i{{ loop.index }}\">{{ item.name }} <small>{{ item.note }}</small></li>\n",
        "broken.html": """
            {% extends "base.html" %}{% block body %}{% for item in items %}<p>{{ item.name }}</p>
            {% if loop.index == 3000 %}{{ item.name * 2 }}{% endif %}{% endfor %}{% endblock %}
            """,
    ]

    static let items: Value = .array((0..<4000).map { number in
        .object(["name": .string("Item \(number) & <co>"), "note": .string("a note long enough to make the page span several chunks")])
    })

    static let jobs = [
        PageJob(template: "list.html", path: "big/", context: ["items": items]),
        PageJob(template: "broken.html", path: "broken/", context: ["items": items]),
        PageJob(template: "list.html", path: "small.html", context: ["items": [["name": "one"]]]),
    ]

    /// Renders the jobs kept in memory and streamed into a fresh staging
    /// folder, and hands both results and the folder to `check`.
    private func renderBothWays(
        _ check: (_ kept: PageRenderer.Rendered, _ streamed: PageRenderer.Rendered, _ staging: OutputWriter.Staging) throws -> Void
    ) throws {
        let templates = try TemplateSet(sources: Self.sources)
        let kept = PageRenderer(templates: templates).render(Self.jobs)
        let root = try TestSupport.temporaryDirectory("kith-stream")
        defer { try? FileManager.default.removeItem(at: root) }
        let staging = try OutputWriter(root: root, output: root.appendingPathComponent("public")).begin()
        defer { staging.discard() }
        let streamed = PageRenderer(templates: templates).render(Self.jobs, into: staging)
        try check(kept, streamed, staging)
    }

    @Test func streamedPagesMatchThePagesKeptInMemory() throws {
        try renderBothWays { kept, streamed, staging in
            #expect(streamed.files.isEmpty)
            #expect(streamed.writeError == nil)
            #expect(streamed.pageCount == kept.pageCount)
            #expect(kept.pageCount == 2)
            #expect(kept.files.map(\.path) == ["big/index.html", "small.html"])
            for file in kept.files {
                let written = Array(try Data(contentsOf: staging.folder.appendingPathComponent(file.path)))
                let same = written == (try file.bytes())
                #expect(same, "\(file.path) differs from the page kept in memory")
            }
            let big = try #require(kept.files.first).bytes()
            #expect(big.count > 4 * OutputBuffer.chunkSize)
        }
    }

    @Test func aTemplateErrorMidwayLeavesNoFileAndTheSameDiagnostic() throws {
        try renderBothWays { kept, streamed, staging in
            #expect(kept.diagnostics.count == 1)
            #expect(kept.diagnostics.first?.path == "templates/broken.html")
            #expect(streamed.diagnostics == kept.diagnostics)
            #expect(streamed.writeError == nil)
            // Several chunks were written before the error; none of them stays.
            let broken = staging.folder.appendingPathComponent("broken/index.html")
            #expect(!FileManager.default.fileExists(atPath: broken.path))
        }
    }

    @Test func aStreamThatFailsRemovesItsFile() throws {
        struct Broken: Error {}
        let root = try TestSupport.temporaryDirectory("kith-stream")
        defer { try? FileManager.default.removeItem(at: root) }
        let staging = try OutputWriter(root: root, output: root.appendingPathComponent("public")).begin()
        defer { staging.discard() }
        let file = OutputFile(path: "data/large.txt", source: .stream { buffer in
            for _ in 0..<(4 * OutputBuffer.chunkSize / 8) {
                buffer.append("12345678")
                try buffer.flushIfFull()
            }
            throw Broken()
        })
        #expect(throws: Broken.self) { try staging.add(file) }
        #expect(!FileManager.default.fileExists(atPath: staging.folder.appendingPathComponent("data/large.txt").path))
    }
}
