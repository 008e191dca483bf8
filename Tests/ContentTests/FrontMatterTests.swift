import Testing
@testable import Content
import Diagnostics

@Suite struct FrontMatterSplitTests {
    struct Success: CustomTestStringConvertible, Sendable {
        var name: String
        var text: String
        var yaml: String
        var yamlStartOffset: Int
        var closingLine: Int
        var body: String
        var bodyStartOffset: Int
        var bodyStartLine: Int
        var testDescription: String { name }
    }

    static let successes: [Success] = [
        Success(name: "plain", text: "---\ntitle: a\n---\nbody\n", yaml: "title: a\n", yamlStartOffset: 4,
                closingLine: 3, body: "body\n", bodyStartOffset: 17, bodyStartLine: 4),
        Success(name: "byte order mark", text: "\u{FEFF}---\ntitle: a\n---\nbody", yaml: "title: a\n",
                yamlStartOffset: 7, closingLine: 3, body: "body", bodyStartOffset: 20, bodyStartLine: 4),
        Success(name: "CRLF", text: "---\r\ntitle: a\r\n---\r\nbody\r\n", yaml: "title: a\r\n", yamlStartOffset: 5,
                closingLine: 3, body: "body\r\n", bodyStartOffset: 20, bodyStartLine: 4),
        Success(name: "--- inside the body stays in the body", text: "---\na: 1\n---\ntext\n---\nmore\n",
                yaml: "a: 1\n", yamlStartOffset: 4, closingLine: 3, body: "text\n---\nmore\n",
                bodyStartOffset: 13, bodyStartLine: 4),
        Success(name: "no trailing newline", text: "---\na: 1\n---", yaml: "a: 1\n", yamlStartOffset: 4,
                closingLine: 3, body: "", bodyStartOffset: 12, bodyStartLine: 4),
        Success(name: "closed by ...", text: "---\na: 1\n...\nbody", yaml: "a: 1\n", yamlStartOffset: 4,
                closingLine: 3, body: "body", bodyStartOffset: 13, bodyStartLine: 4),
        Success(name: "empty front matter", text: "---\n---\nbody", yaml: "", yamlStartOffset: 4,
                closingLine: 2, body: "body", bodyStartOffset: 8, bodyStartLine: 3),
        Success(name: "blanks after delimiters", text: "--- \na: 1\n---\t\nbody", yaml: "a: 1\n",
                yamlStartOffset: 5, closingLine: 3, body: "body", bodyStartOffset: 15, bodyStartLine: 4),
        Success(name: "multi-byte text counts bytes", text: "---\ntitle: é\n---\nb", yaml: "title: é\n",
                yamlStartOffset: 4, closingLine: 3, body: "b", bodyStartOffset: 18, bodyStartLine: 4),
        Success(name: "longer front matter", text: "---\na: 1\nb: 2\nc: 3\n---\n\n# Heading\n",
                yaml: "a: 1\nb: 2\nc: 3\n", yamlStartOffset: 4, closingLine: 5, body: "\n# Heading\n",
                bodyStartOffset: 23, bodyStartLine: 6),
    ]

    @Test(arguments: successes)
    func splits(_ c: Success) throws {
        let parts = try FrontMatter.split(c.text).get()
        #expect(parts.yaml == c.yaml)
        #expect(parts.yamlStartOffset == c.yamlStartOffset)
        #expect(parts.yamlStartLine == 2)
        #expect(parts.closingLine == c.closingLine)
        #expect(parts.body == c.body)
        #expect(parts.bodyStartOffset == c.bodyStartOffset)
        #expect(parts.bodyStartLine == c.bodyStartLine)
        // The offsets agree with the text itself.
        #expect(String(decoding: Array(c.text.utf8)[c.bodyStartOffset...], as: UTF8.self) == c.body)
        let yamlBytes = Array(c.text.utf8)[c.yamlStartOffset..<parts.closingOffset]
        #expect(String(decoding: yamlBytes, as: UTF8.self) == c.yaml)
        let file = SourceFile(path: "x.md", text: c.text)
        #expect(file.location(of: parts.closingOffset) == SourceLocation(line: c.closingLine, column: 1))
        if !c.body.isEmpty {
            #expect(file.location(of: c.bodyStartOffset).line == c.bodyStartLine)
        }
    }

    struct Failure: CustomTestStringConvertible, Sendable {
        var name: String
        var text: String
        var error: FrontMatter.SplitError
        var testDescription: String { name }
    }

    static let failures: [Failure] = [
        Failure(name: "empty", text: "", error: .empty),
        Failure(name: "only a byte order mark", text: "\u{FEFF}", error: .empty),
        Failure(name: "only blank lines", text: "  \n\r\n\t\n", error: .empty),
        Failure(name: "fields without delimiter", text: "title: a\n---\n", error: .missingOpening(offset: 0)),
        Failure(name: "byte order mark then text", text: "\u{FEFF}title: a", error: .missingOpening(offset: 3)),
        Failure(name: "four hyphens", text: "----\na: 1\n---\n", error: .missingOpening(offset: 0)),
        Failure(name: "indented opening", text: " ---\na: 1\n---\n", error: .missingOpening(offset: 0)),
        Failure(name: "blank line before opening", text: "\n---\na: 1\n---\n", error: .missingOpening(offset: 0)),
        Failure(name: "TOML delimiters", text: "+++\ntitle = 'a'\n+++\n", error: .missingOpening(offset: 0)),
        Failure(name: "never closed", text: "---\na: 1\n", error: .unclosed(openingOffset: 0)),
        Failure(name: "only the opening", text: "---", error: .unclosed(openingOffset: 0)),
        Failure(name: "byte order mark, never closed", text: "\u{FEFF}---\na", error: .unclosed(openingOffset: 3)),
        Failure(name: "text after closing hyphens", text: "---\na: 1\n--- x\nbody\n", error: .unclosed(openingOffset: 0)),
        Failure(name: "four closing hyphens", text: "---\na: 1\n----\n", error: .unclosed(openingOffset: 0)),
    ]

    @Test(arguments: failures)
    func refuses(_ c: Failure) {
        #expect(throws: c.error) { try FrontMatter.split(c.text).get() }
    }
}

@Suite struct UTF8Tests {
    @Test(arguments: [
        ([0x61, 0x62], 2),                       // all valid
        ([0x61, 0xC3, 0xA9, 0xFF], 3),           // stray byte after "aé"
        ([0x61, 0xC0, 0xAF], 1),                 // over-long "/"
        ([0xED, 0xA0, 0x80], 0),                 // a surrogate
        ([0x61, 0x62, 0xE2, 0x82], 2),           // cut off in the middle of "€"
    ] as [([UInt8], Int)])
    func firstInvalidByte(_ bytes: [UInt8], _ expected: Int) {
        #expect(SiteFolder.firstInvalidUTF8(bytes) == expected)
    }
}

/// Pseudo-random texts built from the pieces that matter to the splitter:
/// every result must be consistent with the text, and nothing may crash.
@Suite struct FrontMatterRobustnessTests {
    static let pieces = ["---", "...", "\n---\n", "\n...\n", "\n", "\r\n", "\r", "\u{FEFF}", "title: a", ": ", "é", "😀", " ", "\t",
                         "[", "]", "{", "&a ", "*a", "\"", "'", "- ", "#", "|", "x"]

    @Test func randomTextsSplitConsistently() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        var successes = 0
        for _ in 0..<2000 {
            var text = next(3) == 0 ? "" : "---\n"
            for _ in 0..<next(24) { text += Self.pieces[next(Self.pieces.count)] }
            let bytes = Array(text.utf8)
            switch FrontMatter.split(text) {
            case .success(let parts):
                successes += 1
                #expect(String(decoding: bytes[parts.bodyStartOffset...], as: UTF8.self) == parts.body)
                #expect(String(decoding: bytes[parts.yamlStartOffset..<parts.closingOffset], as: UTF8.self) == parts.yaml)
                let file = SourceFile(path: "x.md", text: text)
                #expect(file.location(of: parts.closingOffset).line == parts.closingLine)
                // The YAML reader takes whatever the splitter gives it without crashing.
                _ = YAMLReader.parse(parts.yaml, at: parts.yamlStartOffset, in: file, what: "the front matter")
            case .failure(.missingOpening(let offset)), .failure(.unclosed(let offset)):
                #expect(offset == 0 || offset == 3)
            case .failure(.empty):
                #expect(text.unicodeScalars.allSatisfy { $0 == "\u{FEFF}" || $0.properties.isWhitespace })
            }
        }
        #expect(successes > 100)
    }
}
