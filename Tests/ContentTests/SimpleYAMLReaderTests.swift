import Foundation
import Testing
@testable import Content
import Diagnostics
import TestSupport

/// The quick YAML reader must give up, or build exactly the tree the full
/// (Yams) reader builds: the same values, styles and offsets.
@Suite struct SimpleYAMLReaderTests {
    /// The folder holding Package.swift.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A node written out in full, offsets included, so that two trees compare as text.
    static func describe(_ node: YAMLNode) -> String {
        let head = "\(node.style)@\(node.start)-\(node.end)"
        switch node.value {
        case .scalar(let text):
            return "\(head) \(String(reflecting: text))"
        case .list(let items):
            return "\(head) [" + items.map(describe).joined(separator: ", ") + "]"
        case .map(let pairs):
            let inner = pairs.map { pair in
                "\(String(reflecting: pair.key))@\(pair.keyStart)-\(pair.keyEnd): \(describe(pair.value))"
            }
            return "\(head) {" + inner.joined(separator: ", ") + "}"
        }
    }

    enum Comparison: Equatable {
        /// The quick reader gave up.
        case leftToYams
        /// Both readers agree.
        case same
        /// The readers disagree; what each produced.
        case different(quick: String, full: String)
    }

    /// Reads `yaml`, placed after a `---` line, with both readers.
    static func compare(_ yaml: String) -> Comparison {
        let text = "---\n" + yaml
        let offset = 4
        let file = SourceFile(path: "content/assets/x.md", text: text)
        let quick = Array(yaml.utf8).withUnsafeBufferPointer { SimpleYAMLReader.read($0, base: offset) }
        guard let quick else { return .leftToYams }
        let full = YAMLReader.parse(yaml, at: offset, in: file, what: "the front matter", quickly: false)
        let fullText = full.diagnostics.isEmpty
            ? full.node.map(describe) ?? "empty"
            : "problems: " + full.diagnostics.map(\.message).joined(separator: "; ")
        let quickText: String
        switch quick {
        case .empty: quickText = "empty"
        case .node(let node): quickText = describe(node)
        }
        return quickText == fullText ? .same : .different(quick: quickText, full: fullText)
    }

    // MARK: Hand-written cases

    static let tricky: [String] = [
        // Plain fields.
        "title: Hello\n", "title: Hello world   \n", "title: Hello # comment\n", "title: Hello#no comment\n",
        "title:    spaced\n", "title : x\n", "title   :   x  \n", "title:\n", "title:\nsummary: x\n",
        "title: # only a comment\nsummary: x\n", "title:  \nsummary: x\n", "a: 1", "a:", "a: x\n\n\nb: y\n\n",
        "a: null\nb: ~\nc: true\nd: 1.5\ne: 2026-01-02\nf: yes\n", "key with spaces: v\n", "a.b: c\n",
        "a-b: c\n", "a/b: c\n", "-a: b\n", "-: b\n", "a: x\\y\n", "a: 'x\\y'\n", "hours: 18:00-20:00\n",
        "a: http://x.org/a:b\n", "a: x  :y\n", "a: x?\n", "a: x]\n", "a: x, y\n", "a: -1\n", "a: -x\n", "a: ---\n",
        "a: ...\n", "a: b #c: d\n", "a #b: c\n", "a:b\n", "a: x:\n", "a: b: c\n", "a: b:\n",
        // Unicode.
        "a: é\nb: 😀 text\nc: ünïcödé # x\n", "ключ: значение\n", "a: \u{A0}b\n", "\u{A0}a: b\n", "a: b\u{A0}\n",
        "a: x\u{3000}\n", "é: 1\ne\u{301}: 2\n", "a: e\u{301}\n", "a: 中文 # 注\n",
        // Nesting over lines.
        "a:\n  b: 1\n  c: 2\nd: 3\n", "a:\n  - x\n  - y\n", "a:\n- x\n- y\nb: 1\n", "a:\n-\n- y\n", "a:\n  -\n  - y\n",
        "- a\n- b\n", "- a: 1\n  b: 2\n- c: 3\n", "-   a: 1\n    b: 2\n", "-\n  a: 1\n", "- \n- a\n", "- - a\n",
        "- a: 1\n  - b\n", "a:\n  -\n    b: 1\n", "a:\n  # comment\n  b: 1\n", "a: 1\n   # indented comment\nb: 2\n",
        "a: 1 #c\n#c2\nb: 2", "- ", "-", "a:\n-", "a:\n  b:\n    c:\n      d: deep\n", "a:\n- b:\n  - c\n  - d\n",
        "connections:\n  - to: a\n    kind: b\n    note: c\n  - to: d\n", "a:\n  - x\nb:\n  - y\n",
        "a:\n  b: 1\nc:\n  - d\n  - e: f\n    g: h\n", "- a:\n  - x\n  b: 1\n", "- a: 1\n  b:\n    - x\n",
        "a: x\n b: y\n", "- -x\n", "- [a, b]\n- {to: x}\n", "a: [\"a\",\"b\"]\n", "a: {x: b c}\n", "a: [x:?]\n", "a:\n - x\n - y\n", "a:\n    - x\n    - y\n",
        "  a: 1\n  b: 2\n", "  a: 1\nb: 2\n", "a: 1\n  b: 2\n", "a:\n  b: 1\n c: 2\n", "a:\n    b: 1\n  c: 2\n",
        "a: 1\n- b\n", "- a\nb: 1\n", "a:\n  - x\n  y: 1\n", "a:\n  b\n", "a:\n  [x]\n", "a:\n  'x'\n",
        // Quoted text.
        "a: 'it''s'\n", "a: ''\n", "a: \"\"\n", "a: ''''\n", "a: '\"'\n", "a: \"'\"\n", "a: '#not a comment'\n",
        "a: \"x # y\"\n", "a: \"x\\ty\\n\\\"q\\\" \\\\ \\/ \\u00e9 \\x41 \\U0001F600\"\n", "a: \"\\0\"\n",
        "a: \"\\e\\a\\b\\v\\f\\r\\N\\_\\L\\P\\ \"\n", "a: \"\\uD800\"\n", "a: \"\\q\"\n", "a: \"\\'\"\n", "a: \"\\x4\"\n",
        "a: \"\\U00110000\"\n", "a: \"\\u00E9\\u00e9\"\n", "a: 'x' 'y'\n", "a: \"x\"y\n", "a: \"x\"#c\n", "a: \"x\" # c\n",
        "\"quoted key\": v\n", "'k''ey': v\n", "\"k\" : v\n", "\"k\"x: v\n", "\"k\":v\n", "- \"a\": b\n", "- \"a\"\n",
        "- 'a' # c\n", "a: 'multi\n  line'\n", "a: \"multi\n  line\"\n", "a: \"unclosed\n", "a: \"x\\\n  y\"\n",
        "\"a\": 1\na: 2\n", "1: a\n\"1\": b\n",
        // Brackets.
        "a: [x, y, z]\n", "a: []\n", "a: {}\n", "a: [ ]\n", "a: { }\n", "a: [x,y]\n", "a: [x , y]\n", "a: [  x  ,  y  ]\n",
        "geo: {lat: 53.1, lon: -1.5}\n", "a: {b: [1, 2], c: {d: e}}\n", "a: [{to: x, kind: y}, {to: z}]\n",
        "a: [x, 'y', \"z\"]\n", "a: ['it''s', \"q\\\"\"]\n", "a: [it's, b]\n", "a: [\"x, y\", 'z]']\n", "a: {k: \"v}\"}\n",
        "a: [x, y]  # c\n", "a: [x, y]#c\n", "a: [x, y] z\n", "a: [x, y,]\n", "a: {b: 1,}\n", "a: {b}\n", "a: {b: }\n",
        "a: {b:1}\n", "a: {\"b\":1}\n", "a: {\"b\": 1}\n", "a: {'b' : 1}\n", "a: [b: 1]\n", "a: [x\n, y]\n",
        "a: {  b  :  c  }\n", "a: [-1, -x]\n", "a: [- x]\n", "a: [-]\n", "a: [x:y]\n", "a: [x:, y]\n", "a: [x:]\n",
        "a: {u: http://x.org}\n", "a: [a b, c  d]\n", "a: [x # c\n]\n", "a: [[[[x]]]]\n", "a: [[], {}]\n",
        "a: [x, [y, [z]]] # c\n", "a: {b: 1, b: 2}\n", "a: {b: 1, c: {b: 2}}\n", "[a, b]\n", "{a: 1}\n",
        "a: [x]]\n", "a: [x}\n", "a: {b: c]\n", "a: [?x]\n", "a: [:x]\n", "a: [a, ,b]\n", "a: [,]\n",
        // Left to Yams on purpose.
        "a: ?x\n", "a: :x\n", "?x: 1\n", "? a\n: b\n", ": b\n", "a: &x 1\n", "a: *x\n", "a: !tag x\n",
        "a: |\n  text\n", "a: >-\n  folded\n  text\n", "a: @x\n", "a: `x\n", "a: %x\n", "a: -\n", "a: - b\n",
        "a: multi\n  line\n", "a: multi\n\n  line\n", "a: x # c\n  y\n", "---\na: 1\n", "a: 1\n---\n", "a: 1\n...\n",
        "%YAML 1.2\n---\na: 1\n", "--- a\n", "a:\tb\n", "\ta: b\n", "a: b\r\n", "a: b\u{85}c\n", "a: b\u{2028}\n",
        "a: \u{FEFF}b\n", "a: b\u{7F}\n", "a: b\u{1}\n", "a: 1\na: 2\n", "a: 1\nb:\n  c: 1\n  c: 2\n",
        // Empty documents and documents that are not mappings.
        "# only a comment\n", "\n\n", "", "   \n# c\n", "just text\n", "'quoted root'\n", "   # c\n  \n",
    ]

    @Test func trickyCasesAgree() {
        var quick = 0
        for yaml in Self.tricky {
            let result = Self.compare(yaml)
            if case .different(let quickTree, let fullTree) = result {
                Issue.record("\(String(reflecting: yaml)):\n  quick: \(quickTree)\n  full:  \(fullTree)")
            }
            if result == .same { quick += 1 }
        }
        // Most of these are plain enough to be read quickly.
        #expect(quick * 2 > Self.tricky.count)
    }

    @Test func longKeysAndDeepNestingAreLeftToYams() {
        let longKey = String(repeating: "k", count: 1100) + ": v\n"
        #expect(Self.compare(longKey) == .leftToYams)
        #expect(Self.compare(String(repeating: "k", count: 900) + ": v\n") == .same)
        let deepFlow = "a: " + String(repeating: "[", count: 45) + String(repeating: "]", count: 45) + "\n"
        #expect(Self.compare(deepFlow) == .leftToYams)
        let shallowFlow = "a: " + String(repeating: "[", count: 39) + "x" + String(repeating: "]", count: 39) + "\n"
        #expect(Self.compare(shallowFlow) == .same)
        // Long runs of '' and escapes are read in linear time.
        #expect(Self.compare("a: '" + String(repeating: "''", count: 100_000) + "'\n") == .same)
        #expect(Self.compare("a: \"" + String(repeating: "\\\"", count: 100_000) + "\"\n") == .same)
        var deepBlock = ""
        for level in 0..<45 { deepBlock += String(repeating: " ", count: level * 2) + "a:\n" }
        #expect(Self.compare(deepBlock) == .leftToYams)
    }

    @Test func tooManyValuesAreLeftToYams() {
        let items = Array(repeating: "a", count: YAMLReader.nodeLimit).joined(separator: ", ")
        let yaml = "title: X\ntags: [\(items)]\n"
        let quick = Array(yaml.utf8).withUnsafeBufferPointer { SimpleYAMLReader.read($0, base: 0) }
        #expect(quick == nil)
        // The mapping, `title`, `tags` and the items: exactly the limit.
        let allowed = Array(repeating: "a", count: YAMLReader.nodeLimit - 3).joined(separator: ", ")
        let fewer = "title: X\ntags: [\(allowed)]\n"
        let read = Array(fewer.utf8).withUnsafeBufferPointer { SimpleYAMLReader.read($0, base: 0) }
        #expect(read != nil)
    }

    /// Compares the readers on every content file of a site named by the
    /// environment variable KITH_YAML_CORPUS (a site folder), and prints how
    /// many files the quick reader read; skipped when the variable is not set.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["KITH_YAML_CORPUS"] != nil))
    func corpusAgrees() throws {
        let root = URL(fileURLWithPath: try #require(ProcessInfo.processInfo.environment["KITH_YAML_CORPUS"]))
        var counts = (quick: 0, yams: 0)
        for folder in ["content/assets", "content/stories", "content/pages"] {
            let url = root.appendingPathComponent(folder)
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
            where name.hasSuffix(".md") {
                let text = try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)
                guard case .success(let parts) = FrontMatter.split(text) else { continue }
                switch Self.compare(parts.yaml) {
                case .same: counts.quick += 1
                case .leftToYams: counts.yams += 1
                case .different(let quick, let full): Issue.record("\(folder)/\(name):\n  quick: \(quick)\n  full:  \(full)")
                }
            }
        }
        print("front matter read quickly: \(counts.quick), left to Yams: \(counts.yams)")
    }

    // MARK: Files of the repository

    /// The front matter of every content file of the sample site, the fuzzing
    /// seeds, and the examples in the documentation.
    static func repositoryDocuments() throws -> [(name: String, yaml: String)] {
        var documents: [(String, String)] = []
        let manager = FileManager.default
        for folder in ["content/assets", "content/stories", "content/pages", "Fuzz/seeds/frontmatter"] {
            let url = packageRoot.appendingPathComponent(folder)
            guard let names = try? manager.contentsOfDirectory(atPath: url.path) else { continue }
            for name in names.sorted() where name.hasSuffix(".md") {
                let text = try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)
                if case .success(let parts) = FrontMatter.split(text) { documents.append(("\(folder)/\(name)", parts.yaml)) }
            }
        }
        if let site = try? String(contentsOf: packageRoot.appendingPathComponent("content/site.yml"), encoding: .utf8) {
            documents.append(("content/site.yml", site))
        }
        // Fenced examples in the documentation that are front matter or YAML.
        let docs = packageRoot.appendingPathComponent("docs")
        for name in ((try? manager.contentsOfDirectory(atPath: docs.path)) ?? []).sorted() where name.hasSuffix(".md") {
            let text = try String(contentsOf: docs.appendingPathComponent(name), encoding: .utf8)
            var block: [String]?
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("```") {
                    if let lines = block {
                        var yaml = lines.joined(separator: "\n") + "\n"
                        if case .success(let parts) = FrontMatter.split(yaml) { yaml = parts.yaml }
                        documents.append(("docs/\(name)", yaml))
                        block = nil
                    } else {
                        block = []
                    }
                } else {
                    block?.append(String(line))
                }
            }
        }
        return documents
    }

    @Test func repositoryFilesAgree() throws {
        let documents = try Self.repositoryDocuments()
        #expect(documents.count > 50)
        for (name, yaml) in documents {
            if case .different(let quick, let full) = Self.compare(yaml) {
                Issue.record("\(name):\n  quick: \(quick)\n  full:  \(full)")
            }
        }
    }

    /// The sample site's content files are all plain enough for the quick reader;
    /// this fails if it silently leaves everything to Yams.
    @Test func sampleContentIsReadQuickly() throws {
        let documents = try Self.repositoryDocuments().filter { $0.name.hasPrefix("content/") && $0.name.hasSuffix(".md") }
        #expect(documents.count >= 40)
        for (name, yaml) in documents {
            #expect(Self.compare(yaml) == .same, "\(name) was not read by the quick reader")
        }
    }

    @Test func typicalFrontMatterIsReadQuickly() throws {
        let text = """
            ---
            title: "Riverside Crafts Individual 0"
            type: individual
            summary: "Kitchen memory project garden neighbours."
            area: Riverside
            tags: [crafts]
            geo: {lat: 55.81230, lon: -4.20187}
            contact:
              email: hello0@example.org
              phone: "0141 303 9928"
            image: {src: media/garden.jpg, alt: Volunteers planting apple trees}
            updated: 2026-04-15
            connections:
              - to: asset-00250
                kind: meets-at
            ---
            Body.

            """
        let parts = try FrontMatter.split(text).get()
        #expect(Self.compare(parts.yaml) == .same)
        let quick = try #require(FrontMatter.fieldNames(in: text))
        let full = try #require(FrontMatter.fieldNames(in: text, reading: .yamsOnly))
        #expect(quick.names == ["title", "type", "summary", "area", "tags", "geo", "contact", "image", "updated", "connections"])
        #expect(quick.names == full.names)
        #expect(quick.diagnostics.isEmpty && full.diagnostics.isEmpty)
    }

    /// Small edits of the repository's files: inserted or removed characters
    /// that YAML treats specially. Either reader may refuse them, but when the
    /// quick reader reads one, it must agree. KITH_YAML_EDITS sets the number
    /// of edits per file (40 unless set).
    @Test func editedFilesAgree() throws {
        let editsPerFile = ProcessInfo.processInfo.environment["KITH_YAML_EDITS"].flatMap { Int($0) } ?? 40
        let documents = try Self.repositoryDocuments().filter { !$0.yaml.isEmpty }
        let inserts = [" ", "  ", "\n", ":", ": ", "#", " #", "-", "- ", "'", "\"", "[", "]", "{", "}", ",", "\\", "é", "?", "\n  "]
        var generator = SplitMix(seed: 0x6b697468)
        var quick = 0
        var total = 0
        for (name, yaml) in documents {
            let bytes = Array(yaml.utf8)
            for _ in 0..<editsPerFile {
                var edited = bytes
                // One to three edits.
                for _ in 0...(generator.next() % 3) {
                    let position = Int(generator.next() % UInt64(edited.count + 1))
                    if generator.next() % 4 == 0, position < edited.count {
                        edited.remove(at: position)
                    } else {
                        let insert = inserts[Int(generator.next() % UInt64(inserts.count))]
                        edited.insert(contentsOf: Array(insert.utf8), at: position)
                    }
                }
                let text = String(decoding: edited, as: UTF8.self)
                guard text.utf8.elementsEqual(edited) else { continue }
                total += 1
                switch Self.compare(text) {
                case .same: quick += 1
                case .leftToYams: break
                case .different(let quickTree, let fullTree):
                    Issue.record("\(name), edited: \(String(reflecting: text)):\n  quick: \(quickTree)\n  full:  \(fullTree)")
                }
            }
        }
        #expect(quick > total / 4)
        print("edited front matter: \(total), read quickly and the same: \(quick)")
    }
}

/// The trimming helpers give Foundation's results.
@Suite struct WhitespaceTests {
    @Test func setsMatchFoundation() {
        var differences: [String] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            if Whitespace.isSpace(scalar) != CharacterSet.whitespaces.contains(scalar)
                || Whitespace.isSpaceOrNewline(scalar) != CharacterSet.whitespacesAndNewlines.contains(scalar)
                || Whitespace.isNewline(scalar) != Character(scalar).isNewline {
                differences.append("U+" + String(value, radix: 16, uppercase: true))
            }
        }
        #expect(differences == [])
    }

    static let samples = [
        "", " ", "\t", "x", " x ", "\tx\t", "  two words  ", "\u{A0}x\u{A0}", "\u{3000}全角\u{3000}", "\n x \n",
        "\r\nx\r\n", "x\u{85}", "\u{2028}x\u{2029}", " \u{301}x", "x \u{301}", "é ", " é", "\u{200B}x\u{200B}",
        "\u{FEFF}x", "\u{1680}\u{2000}\u{200A}\u{202F}\u{205F}x", "\u{B}\u{C}x\u{D}", " \n ", "a\nb", "😀 ", " 😀",
    ]

    @Test(arguments: samples)
    func trimmingMatchesFoundation(_ text: String) {
        #expect(Whitespace.trimSpaces(text) == text.trimmingCharacters(in: .whitespaces))
        #expect(Whitespace.trimSpaces(text[...]) == text[...].trimmingCharacters(in: .whitespaces))
        #expect(Whitespace.trimSpacesAndNewlines(text) == text.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(Whitespace.containsNewline(text) == text.contains(where: \.isNewline))
        // Compared scalar by scalar: `==` on strings would hide a difference in combining marks.
        #expect(Array(Whitespace.trimSpaces(text).unicodeScalars)
                == Array(text.trimmingCharacters(in: .whitespaces).unicodeScalars))
        #expect(Array(Whitespace.trimSpacesAndNewlines(text).unicodeScalars)
                == Array(text.trimmingCharacters(in: .whitespacesAndNewlines).unicodeScalars))
    }

    @Test(arguments: ["a\n b\n\n c", " one \r\n two ", "single", "  ", "x\u{2028}y"])
    func oneLineJoinsLines(_ text: String) {
        let expected: String = {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard trimmed.contains(where: \.isNewline) else { return trimmed }
            return trimmed.split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
                .joined(separator: " ")
        }()
        #expect(Fields.oneLine(text) == expected)
    }
}

/// Dates in the usual shape take a shorter path; the results are those of the general one.
@Suite struct CalendarDateTests {
    @Test func checksDates() {
        #expect(CalendarDate.check("2026-05-06") == .valid)
        #expect(CalendarDate.check("2024-02-29") == .valid)
        #expect(CalendarDate.check("0000-01-01") == .valid)
        #expect(CalendarDate.check("2026-02-29") == .notACalendarDate("February 2026 has 28 days"))
        #expect(CalendarDate.check("1900-02-29") == .notACalendarDate("February 1900 has 28 days"))
        #expect(CalendarDate.check("2026-13-01") == .notACalendarDate("there is no month 13"))
        #expect(CalendarDate.check("2026-00-10") == .notACalendarDate("there is no month 0"))
        #expect(CalendarDate.check("2026-04-31") == .notACalendarDate("April 2026 has 30 days"))
        #expect(CalendarDate.check("2026-04-00") == .notACalendarDate("April 2026 has 30 days"))
        #expect(CalendarDate.check("2026-3-4") == .badShape(suggestion: "2026-03-04"))
        #expect(CalendarDate.check("2026-3-40") == .badShape(suggestion: nil))
        #expect(CalendarDate.check("2026/03/04") == .badShape(suggestion: nil))
        #expect(CalendarDate.check("2026-03-0x") == .badShape(suggestion: nil))
        #expect(CalendarDate.check("20260-3-04") == .badShape(suggestion: nil))
        #expect(CalendarDate.check("２０２６-01-01") == .badShape(suggestion: nil))
        #expect(CalendarDate.check("") == .badShape(suggestion: nil))
    }
}

@Suite struct SourceFileLineTests {
    @Test(arguments: ["", "a", "\n", "a\nb", "a\nb\n", "\n\n", "é\n😀\r\nx", "no newline at all"])
    func lineStartsFollowNewlines(_ text: String) {
        var expected = [0]
        for (index, byte) in text.utf8.enumerated() where byte == UInt8(ascii: "\n") { expected.append(index + 1) }
        #expect(SourceFile(path: "a.md", text: text).lineStarts == expected)
    }
}

/// The check of which characters the quick reader leaves to Yams, eight
/// bytes at a time, against the same rules applied one byte after another.
@Suite struct PlainCharacterTests {
    /// The rules of `SimpleYAMLReader.hasOnlyPlainCharacters`, byte by byte.
    static func reference(_ bytes: [UInt8]) -> Bool {
        for index in bytes.indices {
            let byte = bytes[index]
            func next(_ offset: Int) -> UInt8? { index + offset < bytes.count ? bytes[index + offset] : nil }
            if byte < 0x80 {
                if (byte < 0x20 && byte != 0x0A) || byte == 0x7F { return false }
            } else if byte == 0xC2, let second = next(1), second < 0xA0 {
                return false
            } else if byte == 0xE2, let second = next(1), let third = next(2), second == 0x80, third == 0xA8 || third == 0xA9 {
                return false
            } else if byte == 0xEF, let second = next(1), let third = next(2),
                      (second == 0xBB && third == 0xBF) || (second == 0xBF && third >= 0xBE) {
                return false
            }
        }
        return true
    }

    static func quick(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { SimpleYAMLReader.hasOnlyPlainCharacters($0) }
    }

    @Test func everyByteAtEveryPlaceOfTwoWords() {
        for length in [1, 7, 8, 9, 16, 17, 23] {
            for place in 0..<length {
                for byte in 0...255 {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    bytes[place] = UInt8(byte)
                    #expect(Self.quick(bytes) == Self.reference(bytes), "byte \(byte) at \(place) of \(length)")
                }
            }
        }
    }

    @Test func sequencesAcrossWordBoundaries() {
        let sequences: [[UInt8]] = [
            [0xC2, 0x85], [0xC2, 0xA0], [0xC2, 0x9F], [0xE2, 0x80, 0xA8], [0xE2, 0x80, 0xA9], [0xE2, 0x80, 0xA6],
            [0xEF, 0xBB, 0xBF], [0xEF, 0xBF, 0xBE], [0xEF, 0xBF, 0xBF], [0xEF, 0xBF, 0xBD], [0xC3, 0xA9],
            [0xF0, 0x9F, 0x98, 0x80], [0x0A], [0x0A, 0x0A], [0x7E, 0x7F], [0x20, 0x1F], [0x09],
        ]
        for sequence in sequences {
            for length in 8...20 {
                for place in 0...(length - sequence.count) {
                    var bytes = [UInt8](repeating: UInt8(ascii: "~"), count: length)
                    bytes.replaceSubrange(place..<(place + sequence.count), with: sequence)
                    #expect(Self.quick(bytes) == Self.reference(bytes), "\(sequence) at \(place) of \(length)")
                    // Cut off at the end of the text.
                    let cut = Array(bytes[..<(place + sequence.count - 1)])
                    #expect(Self.quick(cut) == Self.reference(cut), "\(sequence) cut at \(place) of \(length)")
                }
            }
        }
    }

    @Test func typicalFrontMatterIsPlain() {
        let text = Array("title: \"Café on the Corner\"\ntags: [food, music]\ngeo: {lat: 55.8, lon: -4.2}\n".utf8)
        #expect(Self.quick(text))
        #expect(Self.reference(text))
    }
}

@Suite struct QuickComparisonTests {
    @Test func fieldNamesCompareAsStringsDo() {
        let names = ["", "a", "title", "accessibility", "public_contact", "a long field name of many words", "type", "tags", "Title", "titles", "k", "K", "\u{212A}", "café", "cafe\u{301}",
                     "é", "e\u{301}", ";", "\u{37E}", "`", "\u{1FEF}", "n\u{303}", "ñ", "null", "~", "a b", "日本"]
        for a in names {
            for b in names {
                let pair = YAMLPair(key: a, keyStart: 0, keyEnd: 0, value: YAMLNode(value: .scalar(""), style: .plain, start: 0, end: 0))
                #expect(pair.hasKey(b, asciiLength: YAMLPair.asciiLength(b)) == (a == b),
                        "\(String(reflecting: a)) and \(String(reflecting: b))")
                // Saying a text is not ASCII only makes the comparison slower.
                #expect(pair.hasKey(b, asciiLength: -1) == (a == b))
                let marked = YAMLPair(key: a, keyIsASCII: false, keyStart: 0, keyEnd: 0, value: pair.value)
                #expect(marked.hasKey(b, asciiLength: YAMLPair.asciiLength(b)) == (a == b))
            }
        }
    }

    @Test func nullIsToldAsBefore() {
        for text in ["", "~", "null", "Null", "NULL", "nul", "nulls", "n", "N", "none", "x", "NULL ", "\u{7E}", "日本", "ñull"] {
            let node = YAMLNode(value: .scalar(text), style: .plain, start: 0, end: 0)
            let expected = text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
            #expect(node.isNull == expected, "\(String(reflecting: text))")
            #expect(!YAMLNode(value: .scalar(text), style: .quoted, start: 0, end: 0).isNull)
        }
    }

    @Test(arguments: ["", "a", "\n", "a\nb", "ab\ncd\n", "é\n😀x\r\nyz", "\n\néé\n", "e\u{301}\u{301}x\nq"])
    func quickLocationsAreTheLocations(_ text: String) {
        let file = SourceFile(path: "a.md", text: text)
        for offset in -2...(text.utf8.count + 2) {
            #expect(file.quickLocation(of: offset) == file.location(of: offset), "offset \(offset)")
        }
    }
}

@Suite struct QuickFieldReadingTests {
    @Test func decimalsAreReadAsDoubleReadsThem() {
        var texts = ["0.0", "-0.0", "1.5", "-1.5", "55.81230", "-4.20187", "53.7953", "-1.5452", "90.0", "-180.0",
                     "0.1", "0.3", "123456789.012345", "1234567890.123456", "9.99999999999999", "00.5", "1.", ".5",
                     "-", "", "1", "-7", "1e3", "1.5e2", "+1.5", "1.2.3", "--1.0", "1,5", " 1.5", "0x1p3", "inf",
                     "nan", "1.0000000000000000000001", "123456789012345678901234567890.5", "-99999999999999999999.99999", "0.000000000000001", "999999999999999.9"]
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        for _ in 0..<3000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let whole = Int(state >> 40) % 200 - 100
            let places = Int(state >> 20) % 14 + 1
            var fraction = ""
            for index in 0..<places { fraction.append(String(Int((state >> UInt64(index * 4)) & 0xF) % 10)) }
            texts.append("\(whole).\(fraction)")
        }
        for text in texts {
            let expected = Double(text)
            let found = Fields.decimal(text)
            #expect(found?.bitPattern == expected?.bitPattern, "\(String(reflecting: text))")
        }
    }

    @Test(arguments: ["plain", "", " a", "a ", "a\nb", "a\u{85}b", "a\u{2028}b", "a\u{2029}b", "a\rb", "a\u{B}b",
                      "a\u{C}b", "long text without any break at all, more than eight bytes", "tab\there",
                      "ends with a break after many bytes\n", "\u{A0}x", "x\u{A0}", "é", "éa", "aé", "a\u{1}b",
                      "0123456\n", "01234567\n", "012345678\n", "01234567\u{85}", "0123456\u{2028}"])
    func oneLineIsAsBefore(_ text: String) {
        // The rules of `Fields.oneLine` without the shortcut.
        let trimmed = Whitespace.trimSpacesAndNewlines(text)
        let expected = trimmed.contains(where: \.isNewline)
            ? trimmed.split(whereSeparator: \.isNewline).map { Whitespace.trimSpaces($0) }.filter { !$0.isEmpty }
                .joined(separator: " ")
            : trimmed
        #expect(Fields.oneLine(text) == expected)
        #expect(Whitespace.containsNewline(text) == text.unicodeScalars.contains(where: Whitespace.isNewline))
    }

    @Test func firstLinesAreKeptForManySlugs() {
        var lines = FirstLines()
        var reference: [String: Int] = [:]
        for index in 0..<40 {
            let slug = "asset-\(index % 30)"
            #expect(lines[slug] == reference[slug])
            if reference[slug] == nil {
                lines.record(slug, line: index + 2)
                reference[slug] = index + 2
            }
        }
        for index in 0..<35 { #expect(lines["asset-\(index)"] == reference["asset-\(index)"]) }
    }
}
