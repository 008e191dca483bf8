import Diagnostics
import Testing
@testable import Templates

/// Templates stitched together from pieces at random (with a fixed seed, so
/// every run sees the same ones): whatever they are, reading and rendering
/// them gives output or diagnostics pointing into the file, never a crash.
@Suite struct RobustnessTests {
    static let pieces = [
        "{{", "}}", "{%", "%}", "{#", "#}", "{{-", "-}}", "{%-", "-%}", " ", "\n", "x", "items", ".", "[", "]", "(", ")",
        "|", "upper", "join(", "truncate(3)", "'s'", "\"", "'", "1", "2.5", "-", "+", "/", "%", "~", "==", "<", "not", "and",
        "in", "if", "elif", "else", "endif", "for", "endfor", "set", "=", "include", "\"p.html\"", "extends", "\"base.html\"",
        "block", "b", "endblock", "super()", "<a href=\"", "\">", "é", "\u{301}", "\\", ",", "loop.index", "null",
    ]

    /// A small deterministic generator (a linear congruential one).
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    @Test func randomTemplatesNeverCrash() throws {
        var generator = Generator(state: 2026)
        var rendered = 0
        var failed = 0
        for _ in 0..<3000 {
            var text = ""
            for _ in 0..<(1 + generator.next(24)) { text += Self.pieces[generator.next(Self.pieces.count)] }
            let sources = ["page.html": text, "p.html": "<p>{{ x }}</p>", "base.html": "{% block b %}base{% endblock %}"]
            do {
                let set = try TemplateSet(sources: sources)
                do {
                    _ = try set.render("page.html", context: ["items": [1, 2], "x": "<"], environment: RenderEnvironment())
                    rendered += 1
                } catch let diagnostic as Diagnostic {
                    failed += 1
                    #expect(diagnostic.location != nil, "\(text.debugDescription): \(diagnostic)")
                }
            } catch let list as DiagnosticList {
                failed += 1
                #expect(!list.diagnostics.isEmpty)
                for diagnostic in list.diagnostics {
                    let file = SourceFile(path: "", text: text)
                    #expect(diagnostic.location.map { $0.line >= 1 && $0.line <= max(1, file.lineCount) } ?? false,
                            "\(text.debugDescription): \(diagnostic)")
                }
            }
        }
        // Both kinds of outcome occur, so the test exercises both paths.
        #expect(rendered > 100)
        #expect(failed > 100)
    }
}
