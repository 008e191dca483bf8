import Foundation
import Testing
@testable import Content
import Diagnostics
import TestSupport

/// Small sites written to a temporary folder, loaded, and removed again.
enum Fixture {
    static let siteYML = """
        title: Test Directory
        areas: [Canal End, Brook Street]

        """

    /// Two valid assets that cases may connect to.
    static let neighbours: [String: String] = [
        "content/assets/library.md": """
            ---
            title: Northside Library
            type: institution
            summary: Books, computers and a warm room.
            ---
            """,
        "content/assets/northside-library.md": """
            ---
            title: Northside Library (old profile)
            type: institution
            summary: The same library, written twice on purpose for suggestions.
            ---
            """,
    ]

    struct Loaded {
        var content: ContentSet?
        var diagnostics: [Diagnostic]

        /// The first line of every rendered diagnostic (`path:line:column: severity: message [code]`).
        var firstLines: [String] {
            diagnostics.map { String(DiagnosticRenderer().render($0).split(separator: "\n").first ?? "") }
        }

        var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    }

    /// Writes `files` (plus a site.yml unless one is given) and loads the site.
    static func load(_ files: [String: String], includeDrafts: Bool = false,
                     setUp: (URL) throws -> Void = { _ in }) throws -> Loaded {
        let root = try TestSupport.temporaryDirectory("kith-content")
        defer { try? FileManager.default.removeItem(at: root) }
        var all = files
        if all["content/site.yml"] == nil { all["content/site.yml"] = siteYML }
        try TestSupport.write(all, under: root)
        try setUp(root)
        let result = ContentLoader.load(root: root, includeDrafts: includeDrafts)
        return Loaded(content: result.content, diagnostics: result.diagnostics)
    }

    /// Front matter lines wrapped into a content file.
    static func file(_ lines: String...) -> String { file(lines) }

    static func file(_ lines: [String]) -> String {
        "---\n" + lines.joined(separator: "\n") + "\n---\nBody text.\n"
    }
}
