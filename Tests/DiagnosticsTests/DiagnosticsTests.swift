import Testing
@testable import Diagnostics

@Suite struct SourceFileTests {
    @Test func locationsCountLinesAndScalars() {
        let file = SourceFile(path: "a.md", text: "one\ntwo é x\r\nthree")
        #expect(file.location(of: 0) == SourceLocation(line: 1, column: 1))
        #expect(file.location(of: 4) == SourceLocation(line: 2, column: 1))
        // "two é " is 7 bytes (é is two) but 6 scalars: x is column 7.
        let x = file.offset(line: 2, column: 7)
        #expect(file.location(of: x) == SourceLocation(line: 2, column: 7))
        #expect(file.line(2) == "two é x")
        #expect(file.line(3) == "three")
        #expect(file.line(9) == "")
        #expect(file.lineCount == 3)
    }

    @Test func trailingNewlineIsNotALine() {
        #expect(SourceFile(path: "a", text: "a\nb\n").lineCount == 2)
    }

    @Test(arguments: ["", "x", "\n", "\n\n\n", "a\nb", "a\r\nb\r\n", "é\n☃\n\nz", String(repeating: "word ", count: 300) + "\n" + String(repeating: "\n", count: 70) + "end"])
    func lineStartsFollowEveryNewline(_ text: String) {
        var expected = [0]
        for (offset, byte) in text.utf8.enumerated() where byte == UInt8(ascii: "\n") { expected.append(offset + 1) }
        #expect(SourceFile(path: "a", text: text).lineStarts == expected)
    }
}

@Suite struct RendererTests {
    @Test func rendersPathLineColumnQuoteAndCaret() {
        let file = SourceFile(path: "content/assets/garden.md", text: "---\nconnections:\n  - to: nrthside\n---\n")
        let start = file.offset(line: 3, column: 9)
        let d = Diagnostic(
            code: "K012", message: "unknown connection target `nrthside`", file: file,
            start: start, end: start + 8, label: "did you mean `northside`?",
            help: "use the file name of the profile, without .md")
        let text = DiagnosticRenderer().render(d)
        #expect(text == """
            content/assets/garden.md:3:9: error: unknown connection target `nrthside` [K012]
              |
            3 |   - to: nrthside
              |         ^^^^^^^^ did you mean `northside`?
              = help: use the file name of the profile, without .md

            """)
    }

    @Test func tabsAreExpandedConsistently() {
        let file = SourceFile(path: "t.html", text: "\t{{ x }}")
        let d = Diagnostic(code: "T001", message: "m", file: file, line: 1, column: 2, width: 2)
        let lines = DiagnosticRenderer().render(d).split(separator: "\n")
        #expect(lines[2] == "1 |     {{ x }}")
        #expect(lines[3] == "  |     ^^")
    }

    @Test func summaryCountsErrorsAndWarnings() {
        let list = [
            Diagnostic(code: "K1", message: "b", path: "b.md"),
            Diagnostic(code: "K2", severity: .warning, message: "a", path: "a.md"),
        ]
        let text = DiagnosticRenderer().render(all: list)
        #expect(text.hasPrefix("a.md: warning: a [K2]"))
        #expect(text.hasSuffix("1 error, 1 warning\n"))
    }
}

@Suite struct SuggestionTests {
    @Test(arguments: [
        ("nrthside-library", "northside-library"),
        ("sumary", "summary"),
        ("uper", "upper"),
        ("gardn", "garden"),
        ("zzzzzz", nil as String?),
    ])
    func closest(word: String, expected: String?) {
        let names = ["northside-library", "summary", "upper", "garden", "lower", "title"]
        #expect(Suggestions.closest(to: word, in: names) == expected)
    }

    @Test func transpositionIsOneEdit() {
        #expect(Suggestions.editDistance(Array("tilte".unicodeScalars), Array("title".unicodeScalars)) == 1)
    }
}

@Suite struct SlugTests {
    @Test(arguments: [
        ("Northside Library", "northside-library"),
        ("Café & Bistro – Öst", "cafe-bistro-ost"),
        ("  --Young people!! ", "young-people"),
        ("Straße 5", "strasse-5"),
        ("St Aidan's", "st-aidans"),
        ("St Aidan\u{2019}s Hall", "st-aidans-hall"),
        ("e\u{301}te\u{301}", "ete"),
        ("日本", ""),
    ])
    func make(input: String, expected: String) {
        #expect(Slug.make(input) == expected)
    }

    @Test(arguments: [("garden", true), ("tool-library-2", true), ("Garden", false), ("a--b", false), ("-a", false), ("a-", false), ("", false), ("a/b", false), ("%2e", false)])
    func isValid(input: String, expected: Bool) {
        #expect(Slug.isValid(input) == expected)
    }
}
