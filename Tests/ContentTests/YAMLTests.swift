import Testing
@testable import Content
import Diagnostics

@Suite struct YAMLPositionTests {
    /// Yams reports 1-based lines and columns, columns counted in Unicode scalars.
    @Test func marksAreOneBasedAndCountScalars() throws {
        let text = "---\ntitle: Café\nsummary: x\n---\n"
        let file = SourceFile(path: "a.md", text: text)
        let parts = try FrontMatter.split(text).get()
        let parsed = YAMLReader.parse(parts.yaml, at: parts.yamlStartOffset, in: file, what: "the front matter")
        let pairs = try #require(parsed.node?.map)
        #expect(pairs.map(\.key) == ["title", "summary"])
        #expect(file.location(of: pairs[0].keyStart) == SourceLocation(line: 2, column: 1))
        #expect(file.location(of: pairs[0].value.start) == SourceLocation(line: 2, column: 8))
        #expect(file.location(of: pairs[0].value.end) == SourceLocation(line: 2, column: 12))
        #expect(file.location(of: pairs[1].value.start) == SourceLocation(line: 3, column: 10))
    }

    @Test func everyYAMLLineBreakStartsALine() {
        // \r\n, \r, \n, U+0085, U+2028 and U+2029 all end a line for the YAML reader.
        var positions = YAMLPositions(yaml: "a\r\nb\rc\nd\u{85}e\u{2028}f\u{2029}g", base: 100)
        #expect(positions.lineStarts == [0, 3, 5, 7, 10, 14, 18])
        #expect(positions.offset(line: 1, column: 1) == 100)
        #expect(positions.offset(line: 2, column: 1) == 103)
        #expect(positions.offset(line: 7, column: 1) == 118)
        #expect(positions.offset(line: 7, column: 5) == 119)  // clamped to the end of the text
        #expect(positions.offset(line: 9, column: 1) == 119)
    }

    @Test func columnsStepOverMultiByteScalars() {
        var positions = YAMLPositions(yaml: "é€😀x", base: 0)
        #expect(positions.offset(line: 1, column: 2) == 2)
        #expect(positions.offset(line: 1, column: 3) == 5)
        #expect(positions.offset(line: 1, column: 4) == 9)
    }

    @Test func valueEndsCoverQuotesAndBrackets() throws {
        let text = "a: \"it's \\\"here\\\"\"\nb: 'it''s'\nc: [x, [y]]   # note\nd: plain text  # note\n"
        let file = SourceFile(path: "site.yml", text: text)
        let pairs = try #require(YAMLReader.parse(text, at: 0, in: file, what: "site.yml").node?.map)
        let widths = pairs.map { pair -> String in
            let bytes = Array(text.utf8)[pair.value.start..<pair.value.end]
            return String(decoding: bytes, as: UTF8.self)
        }
        #expect(widths == ["\"it's \\\"here\\\"\"", "'it''s'", "[x, [y]]", "plain text"])
    }
}

@Suite struct AliasTests {
    /// The "billion laughs": nine levels of nine aliases each.
    static func bomb(asKeys: Bool) -> String {
        var yaml = "title: x\nl0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...9 {
            let refs = Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ")
            yaml += "l\(level): &l\(level) [\(refs)]\n"
        }
        yaml += asKeys ? "? *l9\n: boom\n? *l8\n: boom\n" : "summary: *l9\n"
        return "---\n" + yaml + "---\n"
    }

    @Test(arguments: [false, true])
    func aliasBombIsRefusedBeforeParsing(asKeys: Bool) throws {
        let loaded = try Fixture.load(["content/assets/bomb.md": Self.bomb(asKeys: asKeys)])
        #expect(loaded.content == nil)
        #expect(loaded.firstLines == [
            "content/assets/bomb.md:4:10: error: YAML aliases such as `*l0` are not supported in Kith files [K014]",
        ])
    }

    @Test func guardFindsOnlyAliasesOfRealAnchors() {
        func find(_ text: String) -> AliasGuard.Found? { AliasGuard.firstResolvableAlias(in: Array(text.utf8)) }
        #expect(find("a: &x 1\nb: *x\n") == AliasGuard.Found(name: "x", offset: 11))
        #expect(find("title: Arts & Crafts\nsummary: *Free* and **bold**\n") == nil)
        #expect(find("title: R&D\nsummary: **bold**\n") == nil)
        #expect(find("a: *undefined\n") == nil)
    }

    @Test func aliasWithoutAnchorIsASyntaxErrorWithAHint() throws {
        let loaded = try Fixture.load([
            "content/assets/x.md": Fixture.file("title: X", "type: space", "summary: *Free* lunches"),
        ])
        #expect(loaded.firstLines == [
            "content/assets/x.md:4:10: error: the front matter has a value that starts with `*`, which YAML reads as an alias [K011]",
        ])
        #expect(loaded.diagnostics.first?.help?.contains("double quotes") == true)
    }

    @Test func tooManyValuesAreRefused() throws {
        let items = Array(repeating: "a", count: YAMLReader.nodeLimit).joined(separator: ", ")
        let loaded = try Fixture.load(["content/assets/x.md": "---\ntitle: X\ntags: [\(items)]\n---\n"])
        #expect(loaded.content == nil)
        #expect(loaded.errors.map(\.code) == ["K015"])
        #expect(loaded.errors.first?.location?.line == 3)
    }

    @Test(arguments: [100, 5000])
    func deepNestingIsRefusedWithoutCrashing(depth: Int) throws {
        let value = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let loaded = try Fixture.load(["content/assets/x.md": "---\ntitle: X\ntags: \(value)\n---\n"])
        #expect(loaded.content == nil)
        let error = try #require(loaded.errors.first)
        #expect(["K011", "K015"].contains(error.code))
        #expect(error.location?.line == 3)
    }
}

@Suite struct YAMLErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var text: String
        var firstLine: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "colon inside a value",
             text: "---\ntitle: X\ntype: space\nsummary: Open: Tuesdays\n---\n",
             firstLine: "content/assets/x.md:4:14: error: the front matter has a `: ` that YAML reads as the start of another field [K011]"),
        Case(name: "unclosed quote points at the quote",
             text: "---\ntitle: X\nsummary: \"Open all day\ntype: space\n---\n",
             firstLine: "content/assets/x.md:3:10: error: the front matter has a quoted value that is never closed [K011]"),
        Case(name: "tab indentation",
             text: "---\ntitle: X\ntags:\n\t- food\n---\n",
             firstLine: "content/assets/x.md:4:1: error: the front matter uses a tab character for indentation [K011]"),
        Case(name: "reserved first character",
             text: "---\ntitle: X\ncontact: {website: @garden}\n---\n",
             firstLine: "content/assets/x.md:3:20: error: the front matter has a value that starts with a character YAML reserves `@` [K011]"),
        Case(name: "line without colon",
             text: "---\ntitle: X\ntype: space\nsummary here\nhours: x\n---\n",
             firstLine: "content/assets/x.md:4:1: error: the front matter has a line without `:` between a field name and its value [K011]"),
        Case(name: "misaligned list",
             text: "---\ntitle: X\ntags:\n  - a\n - b\n---\n",
             firstLine: "content/assets/x.md:5:2: error: the front matter has a line that does not line up with the lines around it [K011]"),
        Case(name: "CRLF line endings",
             text: "---\r\ntitle: X\r\ntype: space\r\nsummary: Open: Tuesdays\r\n---\r\n",
             firstLine: "content/assets/x.md:4:14: error: the front matter has a `: ` that YAML reads as the start of another field [K011]"),
        Case(name: "byte order mark",
             text: "\u{FEFF}---\ntitle: a: b\n---\n",
             firstLine: "content/assets/x.md:2:9: error: the front matter has a `: ` that YAML reads as the start of another field [K011]"),
        Case(name: "control character",
             text: "---\ntitle: a\u{1}b\n---\n",
             firstLine: "content/assets/x.md:2:9: error: the front matter contains a character that YAML does not allow (U+0001) [K011]"),
        Case(name: "field given twice",
             text: "---\ntitle: A\ntype: space\nsummary: S\ntitle: B\n---\n",
             firstLine: "content/assets/x.md:2:1: error: the field `title` is given more than once in the same group [K016]"),
        Case(name: "front matter that is a list",
             text: "---\n- title: X\n---\n",
             firstLine: "content/assets/x.md:2:1: error: the front matter must be fields written `name: value`, not a list [K013]"),
        Case(name: "front matter that is text",
             text: "---\njust some words\n---\n",
             firstLine: "content/assets/x.md:2:1: error: the front matter must be fields written `name: value`, not text [K013]"),
        Case(name: "field name that is a list",
             text: "---\ntitle: X\ntype: space\nsummary: S\n[a, b]: c\n---\n",
             firstLine: "content/assets/x.md:5:1: error: a field name must be plain text, not a list or group of fields [K017]"),
    ]

    @Test(arguments: cases)
    func reportsAtTheRealLine(_ c: Case) throws {
        let loaded = try Fixture.load(["content/assets/x.md": c.text])
        #expect(loaded.content == nil)
        #expect(loaded.firstLines.first == c.firstLine)
    }

    @Test func siteConfigErrorsUseItsOwnLines() throws {
        let loaded = try Fixture.load(["content/site.yml": "title: Test\ndescription: Open: daily\n"])
        #expect(loaded.firstLines == [
            "content/site.yml:2:18: error: site.yml has a `: ` that YAML reads as the start of another field [K011]",
        ])
    }

    @Test func renderedErrorQuotesTheLineWithACaret() throws {
        let loaded = try Fixture.load(["content/assets/x.md": "---\ntitle: X\ntype: space\nsummary: Open: Tuesdays\n---\n"])
        let diagnostic = try #require(loaded.diagnostics.first)
        #expect(DiagnosticRenderer().render(diagnostic) == """
            content/assets/x.md:4:14: error: the front matter has a `: ` that YAML reads as the start of another field [K011]
              |
            4 | summary: Open: Tuesdays
              |              ^ unexpected `:`
              = help: put the whole value in double quotes, such as: summary: "Open: Tuesdays and Fridays"; or check the indentation of this line

            """)
    }
}

@Suite struct AliasGuardTests {
    @Test func anAliasNeedsBothMarks() {
        func find(_ text: String) -> AliasGuard.Found? { AliasGuard.firstResolvableAlias(in: Array(text.utf8)) }
        #expect(find("") == nil)
        #expect(find("&x") == nil)
        #expect(find("*x") == nil)
        #expect(find("a: &x\n") == nil)
        #expect(find("*x &x") == AliasGuard.Found(name: "x", offset: 0))
        #expect(find("&x *x") == AliasGuard.Found(name: "x", offset: 3))
        #expect(find("&x-1_Y *x-1_Y") == AliasGuard.Found(name: "x-1_Y", offset: 7))
    }
}
