import Content
import Diagnostics
import Foundation
import Templates
import Testing
import TestSupport

/// Inputs kept from fuzzing (scripts/fuzz.sh): the seeds in Fuzz/seeds/ and
/// every input that once crashed, saved in Fuzz/crashers/. Each is fed again
/// to what it was found in, so a fixed crash stays fixed.
@Suite struct FuzzCrasherTests {
    static func inputs(_ target: String) -> [String] {
        let fuzz = TestSupport.repositoryRoot.appendingPathComponent("Fuzz")
        var found: [String] = []
        for folder in ["seeds", "crashers"] {
            let url = fuzz.appendingPathComponent(folder).appendingPathComponent(target)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
            found += names.filter { !$0.hasPrefix(".") }.sorted().map { "\(folder)/\(target)/\($0)" }
        }
        return found
    }

    static func bytes(_ input: String) throws -> [UInt8] {
        let url = TestSupport.repositoryRoot.appendingPathComponent("Fuzz").appendingPathComponent(input)
        return Array(try Data(contentsOf: url))
    }

    @Test func thereAreInputsToReplay() {
        #expect(Self.inputs("frontmatter").count >= 5)
        #expect(Self.inputs("templates").count >= 5)
    }

    @Test(arguments: inputs("frontmatter"))
    func frontMatterSplitterSurvives(input: String) throws {
        let text = String(decoding: try Self.bytes(input), as: UTF8.self)
        guard case .success(let parts) = FrontMatter.split(text) else { return }
        let utf8 = Array(text.utf8)
        #expect(parts.yamlStartOffset <= parts.closingOffset && parts.closingOffset < utf8.count)
        #expect(Array(parts.yaml.utf8) == Array(utf8[parts.yamlStartOffset..<parts.closingOffset]))
        #expect(Array(parts.body.utf8) == Array(utf8[parts.bodyStartOffset...]))
        #expect(parts.bodyStartLine == parts.closingLine + 1)
    }

    @Test(arguments: inputs("templates"))
    func templateParserSurvives(input: String) throws {
        let text = String(decoding: try Self.bytes(input), as: UTF8.self)
        let theme = [
            "page.html": text,
            "base.html": "<main>{% block content %}{% endblock %}</main>{% include \"partial.html\" %}",
            "partial.html": "<p>{{ site.title | default(\"x\") }}</p>",
        ]
        do {
            _ = try TemplateSet(sources: theme)
        } catch let list as DiagnosticList {
            // Every problem can be printed, pointing into the template.
            for diagnostic in list.diagnostics {
                #expect(DiagnosticRenderer().render(diagnostic).contains("error"))
            }
        }
    }
}
