import Diagnostics
import Foundation
import Testing
import TestSupport
@testable import Templates

/// Golden files in `Golden/`: each `NAME.case` holds the context as JSON, a
/// line `---`, then templates, each after a line `=== name.html` (the first
/// one is rendered). `NAME.expected` beside it holds the exact output, or the
/// full rendered error. `RECORD_GOLDEN=1` rewrites the expected files and
/// fails, so a recording run is never mistaken for a passing one.
@Suite struct GoldenTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static var caseNames: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".case") }.map { String($0.dropLast(5)) }.sorted()
    }

    struct GoldenCase {
        var context: [String: Value]
        var templates: [(name: String, text: String)]
    }

    static func read(_ name: String) throws -> GoldenCase {
        let text = try String(contentsOf: folder.appendingPathComponent(name + ".case"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let separator = lines.firstIndex(of: "---") else { throw GoldenError.malformed("no `---` line") }
        let json = lines[..<separator].joined(separator: "\n")
        let context = try JSONDecoder().decode([String: JSONValue].self, from: Data(json.utf8)).mapValues(\.value)
        var templates: [(name: String, text: String)] = []
        var current: (name: String, lines: [Substring])?
        for line in lines[(separator + 1)...] {
            if line.hasPrefix("=== ") {
                if let current { templates.append((current.name, current.lines.joined(separator: "\n"))) }
                current = (String(line.dropFirst(4)), [])
            } else if current != nil {
                current!.lines.append(line)
            } else if !line.isEmpty {
                throw GoldenError.malformed("text before the first `=== name.html` line")
            }
        }
        if let current { templates.append((current.name, current.lines.joined(separator: "\n"))) }
        // The line break before each `===` line (and at the end of the file) separates; it is not part of the template.
        templates = templates.map { ($0.name, $0.text.hasSuffix("\n") ? String($0.text.dropLast()) : $0.text) }
        guard !templates.isEmpty else { throw GoldenError.malformed("no templates") }
        return GoldenCase(context: context, templates: templates)
    }

    enum GoldenError: Error {
        case malformed(String)
    }

    /// The output of a case: the rendered page, or the rendered diagnostics.
    static func actual(_ golden: GoldenCase) -> String {
        let sources = Dictionary(golden.templates.map { ($0.name, $0.text) }, uniquingKeysWith: { $1 })
        let environment = RenderEnvironment(currentPath: "assets/garden/", markdown: { "<p>" + $0 + "</p>" })
        do {
            let set = try TemplateSet(sources: sources)
            return try set.render(golden.templates[0].name, context: golden.context, environment: environment)
        } catch let list as DiagnosticList {
            return DiagnosticRenderer().render(all: list.diagnostics)
        } catch let diagnostic as Diagnostic {
            return DiagnosticRenderer().render(diagnostic)
        } catch {
            return "unexpected error: \(error)"
        }
    }

    @Test func thereAreGoldenFiles() {
        #expect(Self.caseNames.count >= 7)
    }

    @Test(arguments: caseNames)
    func golden(_ name: String) throws {
        let golden = try Self.read(name)
        let output = Self.actual(golden)
        let expectedURL = Self.folder.appendingPathComponent(name + ".expected")
        if TestSupport.recording {
            try Data(output.utf8).write(to: expectedURL)
            Issue.record("recorded \(name).expected; run again without RECORD_GOLDEN=1")
            return
        }
        let expected = try String(contentsOf: expectedURL, encoding: .utf8)
        #expect(output == expected)
    }
}
