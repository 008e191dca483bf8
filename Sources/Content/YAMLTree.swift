import Diagnostics
import Foundation
import Yams

/// A YAML value together with where it is written in its file, so that every
/// problem found later can point at the exact text.
///
/// Scalars are kept as the text Yams read; Kith decides itself what is a
/// number, a date or `true`, so `title: yes` stays the text "yes".
struct YAMLNode: Sendable {
    enum Value: Sendable {
        case scalar(String)
        case list([YAMLNode])
        case map([YAMLPair])
    }

    enum Style: Sendable {
        /// A scalar written without quotes.
        case plain
        /// A scalar in single or double quotes.
        case quoted
        /// A `|` or `>` block of text.
        case block
        /// A list or mapping in brackets: `[a, b]`, `{lat: 1, lon: 2}`.
        case flow
        /// A list or mapping written over indented lines.
        case indented
    }

    var value: Value
    var style: Style
    /// UTF-8 offset in the file where the value starts.
    var start: Int
    /// UTF-8 offset just past the value's text on its first line (used for the caret underline).
    var end: Int

    /// Written as nothing, `~` or `null`.
    var isNull: Bool {
        guard style == .plain, case .scalar(let text) = value else { return false }
        guard let first = text.utf8.first else { return true }
        // Text that starts with another ASCII character is none of these, in
        // any normal form: most values are told apart without comparing.
        if first < 0x80, first != UInt8(ascii: "~"), first != UInt8(ascii: "n"), first != UInt8(ascii: "N") {
            return false
        }
        return text == "~" || text == "null" || text == "Null" || text == "NULL"
    }

    var scalar: String? {
        if case .scalar(let text) = value { return text }
        return nil
    }

    var list: [YAMLNode]? {
        if case .list(let items) = value { return items }
        return nil
    }

    var map: [YAMLPair]? {
        if case .map(let pairs) = value { return pairs }
        return nil
    }

    /// How the value is described to people in messages ("found a list").
    var kindDescription: String {
        switch value {
        case .scalar: return isNull ? "nothing" : "text"
        case .list: return "a list"
        case .map: return "a group of fields"
        }
    }
}

/// One `name: value` line of a mapping.
struct YAMLPair: Sendable {
    let key: String
    var keyStart: Int
    var keyEnd: Int
    var value: YAMLNode

    /// The length of `key` when it is all ASCII, else -1, worked out once:
    /// two ASCII texts of different lengths are never equal, so most field
    /// names looked up are told apart by their lengths alone.
    let asciiKeyLength: Int

    init(key: String, keyStart: Int, keyEnd: Int, value: YAMLNode) {
        self.init(key: key, keyIsASCII: Self.isASCII(key), keyStart: keyStart, keyEnd: keyEnd, value: value)
    }

    /// A pair whose key is known to be all ASCII, or not.
    init(key: String, keyIsASCII: Bool, keyStart: Int, keyEnd: Int, value: YAMLNode) {
        self.key = key
        self.keyStart = keyStart
        self.keyEnd = keyEnd
        self.value = value
        asciiKeyLength = keyIsASCII ? key.utf8.count : -1
    }

    /// `key == name`, where `nameLength` is `asciiLength(name)`.
    @inline(__always)
    func hasKey(_ name: String, asciiLength nameLength: Int) -> Bool {
        if nameLength != asciiKeyLength, nameLength >= 0, asciiKeyLength >= 0 { return false }
        return key == name
    }

    /// The length of `text` when it is all ASCII, else -1.
    static func asciiLength(_ text: String) -> Int { isASCII(text) ? text.utf8.count : -1 }

    static func isASCII(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { bytes in
            var index = 0
            let count = bytes.count
            while index + 8 <= count {
                let word = UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 != 0 { return false }
                index += 8
            }
            while index < count {
                if bytes[index] >= 0x80 { return false }
                index += 1
            }
            return true
        } ?? text.utf8.allSatisfy { $0 < 0x80 }
    }
}

/// Reads YAML text with Yams into `YAMLNode`s whose positions are offsets of the real file.
enum YAMLReader {
    /// The most nodes one document may hold.
    static let nodeLimit = 100_000
    /// The deepest nesting kept; Kith's own fields go four levels deep at most.
    static let depthLimit = 40
    /// The stack size of the thread that runs the parser. Yams builds its tree
    /// recursively and YAML may nest up to 1,000 levels, deeper than the
    /// small stacks of worker threads allow.
    static let parserStackSize = 16 << 20

    /// Parses one YAML document.
    /// - Parameters:
    ///   - yaml: the YAML text.
    ///   - offset: the UTF-8 offset in `file.text` where `yaml` starts.
    ///   - file: the whole file, for positions and quoted lines.
    ///   - what: how the document is named in messages ("the front matter").
    /// - Returns: the root node (nil when the document is empty or has errors) and the problems found.
    static func parse(_ yaml: String, at offset: Int, in file: SourceFile, what: String)
        -> (node: YAMLNode?, diagnostics: [Diagnostic]) {
        parse(yaml, at: offset, in: file, what: what, quickly: true)
    }

    /// What a first look at the bytes of a document found.
    private enum FirstLook {
        case alias(AliasGuard.Found)
        case read(SimpleYAMLReader.Outcome)
        case needsFullReader
    }

    /// Parses one YAML document.
    /// - Parameter quickly: whether `SimpleYAMLReader` may read the document
    ///   (it leaves every document it is unsure of to Yams); false to use only Yams.
    static func parse(_ yaml: String, at offset: Int, in file: SourceFile, what: String, quickly: Bool)
        -> (node: YAMLNode?, diagnostics: [Diagnostic]) {
        var text = yaml
        text.makeContiguousUTF8()
        let look = text.utf8.withContiguousStorageIfAvailable { bytes -> FirstLook in
            if let alias = AliasGuard.firstResolvableAlias(in: bytes) { return .alias(alias) }
            if quickly, let outcome = SimpleYAMLReader.read(bytes, base: offset) { return .read(outcome) }
            return .needsFullReader
        }
        switch look {
        case .alias(let alias)?:
            return (nil, [aliasRefused(alias, at: offset, in: file)])
        case .read(.empty)?:
            return (nil, [])
        case .read(.node(let node))?:
            return (node, [])
        case .needsFullReader?:
            break
        case nil:
            let bytes = Array(yaml.utf8)
            if let alias = bytes.withUnsafeBufferPointer({ AliasGuard.firstResolvableAlias(in: $0) }) {
                return (nil, [aliasRefused(alias, at: offset, in: file)])
            }
        }
        let positions = YAMLPositions(yaml: yaml, base: offset)
        return LargeStack.run(stackSize: parserStackSize) {
            var builder = TreeBuilder(file: file, positions: positions, what: what)
            do {
                let parser = try Parser(yaml: yaml, encoding: .utf8)
                guard let root = try parser.singleRoot() else { return (nil, []) }
                let node = builder.convert(root, depth: 0)
                return (builder.stopped ? nil : node, builder.diagnostics)
            } catch let error as YamlError {
                return (nil, [builder.diagnostic(for: error, yaml: yaml)])
            } catch {
                return (nil, [Diagnostic(.yamlSyntax, "\(what) could not be read as YAML: \(error)",
                                         file: file, start: offset)])
            }
        }
    }

    private static func aliasRefused(_ alias: AliasGuard.Found, at offset: Int, in file: SourceFile) -> Diagnostic {
        let start = offset + alias.offset
        return Diagnostic(
            .aliasRefused, "YAML aliases such as `*\(alias.name)` are not supported in Kith files",
            file: file, start: start, end: start + alias.name.utf8.count + 1,
            label: "refers to `&\(alias.name)`",
            help: "write the value out in full where it is needed, and remove `&\(alias.name)`")
    }
}

/// Converts Yams nodes into `YAMLNode`s, counting nodes and depth.
struct TreeBuilder {
    let file: SourceFile
    var positions: YAMLPositions
    let what: String
    let fileBytes: [UInt8]
    var diagnostics: [Diagnostic] = []
    var count = 0
    var stopped = false

    init(file: SourceFile, positions: YAMLPositions, what: String) {
        self.file = file
        self.positions = positions
        self.what = what
        self.fileBytes = Array(file.text.utf8)
    }

    mutating func convert(_ node: Node, depth: Int) -> YAMLNode? {
        let start = offset(of: node.mark) ?? positions.base
        guard !stopped else { return nil }
        count += 1
        if count > YAMLReader.nodeLimit {
            stop(at: start, "\(what) holds more than \(YAMLReader.nodeLimit) values, too many to read",
                 help: "Kith front matter needs only a few dozen fields; remove the generated data")
            return nil
        }
        if depth > YAMLReader.depthLimit {
            stop(at: start, "\(what) is nested more than \(YAMLReader.depthLimit) levels deep",
                 help: "Kith fields are never nested this deeply; check the indentation")
            return nil
        }
        switch node {
        case .scalar(let scalar):
            let style: YAMLNode.Style
            switch scalar.style {
            case .singleQuoted, .doubleQuoted: style = .quoted
            case .literal, .folded: style = .block
            default: style = .plain
            }
            return YAMLNode(value: .scalar(scalar.string), style: style, start: start,
                            end: scalarEnd(start: start, text: scalar.string, style: style))
        case .sequence(let sequence):
            var items: [YAMLNode] = []
            for child in sequence {
                guard let item = convert(child, depth: depth + 1) else { break }
                items.append(item)
            }
            return collection(.list(items), start: start)
        case .mapping(let mapping):
            var pairs: [YAMLPair] = []
            for (key, value) in mapping {
                let keyStart = offset(of: key.mark) ?? start
                guard let convertedValue = convert(value, depth: depth + 1) else { break }
                guard case .scalar(let name) = key else {
                    let keyEnd = lineEnd(from: keyStart)
                    diagnostics.append(Diagnostic(
                        .fieldNameNotText, "a field name must be plain text, not a list or group of fields",
                        file: file, start: keyStart, end: keyEnd,
                        help: "write each field as `name: value` on its own line"))
                    continue
                }
                let keyStyle: YAMLNode.Style = name.style == .singleQuoted || name.style == .doubleQuoted ? .quoted : .plain
                pairs.append(YAMLPair(
                    key: name.string, keyStart: keyStart,
                    keyEnd: scalarEnd(start: keyStart, text: name.string, style: keyStyle),
                    value: convertedValue))
            }
            return collection(.map(pairs), start: start)
        case .alias:
            stop(at: start, "YAML aliases are not supported in Kith files",
                 help: "write the value out in full where it is needed", code: .aliasRefused)
            return nil
        }
    }

    private mutating func offset(of mark: Mark?) -> Int? {
        guard let mark else { return nil }
        return positions.offset(of: mark)
    }

    private mutating func stop(at offset: Int, _ message: String, help: String, code: ContentCode = .yamlTooLarge) {
        stopped = true
        diagnostics.append(Diagnostic(code, message, file: file, start: offset, help: help))
    }

    private func collection(_ value: YAMLNode.Value, start: Int) -> YAMLNode {
        let opener = start < fileBytes.count ? fileBytes[start] : 0
        if opener == UInt8(ascii: "[") || opener == UInt8(ascii: "{") {
            return YAMLNode(value: value, style: .flow, start: start, end: flowEnd(from: start))
        }
        return YAMLNode(value: value, style: .indented, start: start, end: start + 1)
    }

    // MARK: Where values end

    private func valueEnds<T>(_ body: (YAMLValueEnds) -> T) -> T {
        fileBytes.withUnsafeBufferPointer { body(YAMLValueEnds(bytes: $0, base: 0)) }
    }

    /// The end of a scalar's text on its first line.
    private func scalarEnd(start: Int, text: String, style: YAMLNode.Style) -> Int {
        valueEnds { $0.scalarEnd(start: start, text: text, style: style) }
    }

    /// The end of a bracketed value when it closes on the same line, else the end of the line.
    private func flowEnd(from start: Int) -> Int {
        valueEnds { $0.flowEnd(from: start) }
    }

    /// The end of the text on the line from `start`, before a ` #` comment and trailing blanks.
    func lineEnd(from start: Int) -> Int {
        valueEnds { $0.lineEnd(from: start) }
    }
}
