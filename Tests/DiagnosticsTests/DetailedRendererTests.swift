import Testing
@testable import Diagnostics

/// The detailed style of `kith check`: code first, position on its own line.
@Suite struct DetailedRendererTests {
    let renderer = DiagnosticRenderer(style: .detailed)

    func garden(lines: Int = 0) -> SourceFile {
        SourceFile(path: "content/assets/garden.md",
                   text: String(repeating: "x\n", count: lines) + "---\nconnections:\n  - to: nrthside-library\n---\n")
    }

    @Test func rendersCodeArrowQuoteCaretAndHelp() {
        let file = garden(lines: 10)
        let start = file.offset(line: 13, column: 9)
        let d = Diagnostic(
            code: "K012", message: "unknown connection target `nrthside-library`", file: file,
            start: start, end: start + 16, label: "did you mean `northside-library`?",
            help: "use the file name of the profile, without .md")
        #expect(renderer.render(d) == """
            error[K012]: unknown connection target `nrthside-library`
              --> content/assets/garden.md:13:9
               |
            13 |   - to: nrthside-library
               |         ^^^^^^^^^^^^^^^^ did you mean `northside-library`?
               |
               = help: use the file name of the profile, without .md

            """)
    }

    @Test func warningsNotesAndNoHelp() {
        let file = garden()
        let d = Diagnostic(code: "K084", severity: .warning, message: "same title", file: file, line: 1, column: 1,
                           width: 3, label: "here", notes: ["content/assets/a.md:2: the same title"])
        #expect(renderer.render(d) == """
            warning[K084]: same title
             --> content/assets/garden.md:1:1
              |
            1 | ---
              | ^^^ here
              |
              = note: content/assets/a.md:2: the same title

            """)
    }

    @Test func noSeparatorLineWhenThereIsNothingAfterTheQuote() {
        let d = Diagnostic(code: "K001", message: "m", file: garden(), line: 2, column: 1, width: 11)
        #expect(renderer.render(d) == """
            error[K001]: m
             --> content/assets/garden.md:2:1
              |
            2 | connections:
              | ^^^^^^^^^^^

            """)
    }

    @Test func aWholeFileHasAnArrowButNoQuote() {
        let d = Diagnostic(code: "K007", message: "`content/site.yml` is missing", path: "content/site.yml",
                           help: "create it")
        #expect(renderer.render(d) == """
            error[K007]: `content/site.yml` is missing
             --> content/site.yml
              = help: create it

            """)
    }

    @Test func aProblemWithNoFileHasNoArrow() {
        let d = Diagnostic(code: "K076", message: "there is no templates/ folder", help: "copy it")
        #expect(renderer.render(d) == "error[K076]: there is no templates/ folder\n  = help: copy it\n")
    }

    @Test func tabsAndWideCharactersLineUp() {
        let file = SourceFile(path: "t.html", text: "\t<p>é {{ x }}</p>")
        let d = Diagnostic(code: "T003", message: "m", file: file, line: 1, column: 7, width: 2)
        let lines = renderer.render(d).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[3] == "1 |     <p>é {{ x }}</p>")
        #expect(lines[4] == "  |          ^^")
    }

    @Test func theDefaultStyleIsUnchanged() {
        #expect(DiagnosticRenderer().style == .compact)
        let d = Diagnostic(code: "K007", message: "missing", path: "content/site.yml", help: "create it")
        #expect(DiagnosticRenderer().render(d) == "content/site.yml: error: missing [K007]\n  = help: create it\n")
        #expect(d.description == DiagnosticRenderer(style: .compact).render(d))
    }

    @Test func listsAreSortedAndCounted() {
        let list = [
            Diagnostic(code: "K1", message: "b", path: "b.md"),
            Diagnostic(code: "K2", severity: .warning, message: "a", path: "a.md"),
            Diagnostic(code: "K3", severity: .warning, message: "c", path: "c.md"),
        ]
        let text = renderer.render(all: list)
        #expect(text.hasPrefix("warning[K2]: a\n --> a.md\n\nerror[K1]: b\n"))
        #expect(text.hasSuffix("1 error, 2 warnings\n"))
        #expect(DiagnosticRenderer.counts([]) == "")
    }
}
