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
        return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
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
    var key: String
    var keyStart: Int
    var keyEnd: Int
    var value: YAMLNode
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
        let positions = YAMLPositions(yaml: yaml, base: offset)
        if let alias = AliasGuard.firstResolvableAlias(in: positions.bytes) {
            let start = offset + alias.offset
            return (nil, [Diagnostic(
                .aliasRefused, "YAML aliases such as `*\(alias.name)` are not supported in Kith files",
                file: file, start: start, end: start + alias.name.utf8.count + 1,
                label: "refers to `&\(alias.name)`",
                help: "write the value out in full where it is needed, and remove `&\(alias.name)`")])
        }
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
}

/// Turns the positions Yams reports (1-based line and column, counted in
/// Unicode scalars, with every YAML line break) into UTF-8 offsets of the file.
struct YAMLPositions: Sendable {
    let base: Int
    let bytes: [UInt8]
    /// UTF-8 offsets (within `bytes`) where each line starts.
    let lineStarts: [Int]

    init(yaml: String, base: Int) {
        self.base = base
        let bytes = Array(yaml.utf8)
        self.bytes = bytes
        var starts = [0]
        var index = 0
        let count = bytes.count
        // The YAML line breaks: \r\n, \r, \n, U+0085, U+2028, U+2029.
        while index < count {
            let byte = bytes[index]
            if byte == 0x0D {
                index += (index + 1 < count && bytes[index + 1] == 0x0A) ? 2 : 1
                starts.append(index)
            } else if byte == 0x0A {
                index += 1
                starts.append(index)
            } else if byte == 0xC2, index + 1 < count, bytes[index + 1] == 0x85 {
                index += 2
                starts.append(index)
            } else if byte == 0xE2, index + 2 < count, bytes[index + 1] == 0x80,
                      bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9 {
                index += 3
                starts.append(index)
            } else {
                index += 1
            }
        }
        self.lineStarts = starts
    }

    /// The last position found: nodes come in document order, so the next
    /// one on the same line is found by walking on from here, not from the
    /// start of a line that may be very long.
    private var cursor = (line: 0, column: 0, index: 0)

    /// The file offset of a 1-based YAML line and column; clamped to the text.
    /// - Complexity: O(distance from the previous position on the same line), else O(column).
    mutating func offset(line: Int, column: Int) -> Int {
        guard line >= 1 else { return base }
        guard line <= lineStarts.count else { return base + bytes.count }
        let lineEnd = line < lineStarts.count ? lineStarts[line] : bytes.count
        var index = lineStarts[line - 1]
        var remaining = column - 1
        if cursor.line == line, cursor.column <= column {
            index = cursor.index
            remaining = column - cursor.column
        }
        while remaining > 0, index < lineEnd {
            index += YAMLPositions.scalarLength(bytes[index])
            remaining -= 1
        }
        cursor = (line, column - remaining, index)
        return base + min(index, bytes.count)
    }

    mutating func offset(of mark: Mark) -> Int { offset(line: mark.line, column: mark.column) }

    static func scalarLength(_ lead: UInt8) -> Int {
        switch lead {
        case 0xF0...: return 4
        case 0xE0...: return 3
        case 0xC0...: return 2
        default: return 1
        }
    }
}

/// Finds aliases before Yams sees them. Yams shares an aliased value instead
/// of copying it, but it hashes mapping keys in full, so a key built from
/// nested aliases ("a billion laughs") would take hours. Kith front matter
/// has no use for aliases, so a document with any alias that names an anchor
/// is refused without being parsed.
enum AliasGuard {
    struct Found: Equatable {
        var name: String
        /// UTF-8 offset of the `*` within the YAML text.
        var offset: Int
    }

    /// The first `*name` whose name is also written as `&name` somewhere.
    /// The scan is textual and errs on the side of finding too much: a real
    /// alias always has this shape, and unrelated text such as `R&D … *D`
    /// is rare enough to be worth the refusal.
    static func firstResolvableAlias(in bytes: [UInt8]) -> Found? {
        var anchors: Set<String> = []
        var aliases: [Found] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "&") || byte == UInt8(ascii: "*") {
                var end = index + 1
                while end < bytes.count, isNameByte(bytes[end]) { end += 1 }
                if end > index + 1 {
                    let name = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
                    if byte == UInt8(ascii: "&") { anchors.insert(name) } else { aliases.append(Found(name: name, offset: index)) }
                }
                index = end
            } else {
                index += 1
            }
        }
        return aliases.first { anchors.contains($0.name) }
    }

    /// The characters of an anchor name as the YAML parser reads them.
    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }
}

/// Converts Yams nodes into `YAMLNode`s, counting nodes and depth.
private struct TreeBuilder {
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

    /// The end of a scalar's text on its first line.
    private func scalarEnd(start: Int, text: String, style: YAMLNode.Style) -> Int {
        switch style {
        case .plain:
            if text.isEmpty { return start }
            let utf8 = Array(text.utf8)
            if !utf8.contains(UInt8(ascii: "\n")), start + utf8.count <= fileBytes.count,
               fileBytes[start..<(start + utf8.count)].elementsEqual(utf8) {
                return start + utf8.count
            }
            return lineEnd(from: start)
        case .quoted:
            guard start < fileBytes.count else { return start }
            let quote = fileBytes[start]
            var index = start + 1
            while index < fileBytes.count, !isBreak(fileBytes[index]) {
                let byte = fileBytes[index]
                if quote == UInt8(ascii: "\""), byte == UInt8(ascii: "\\") {
                    index += 2
                    continue
                }
                if byte == quote {
                    if quote == UInt8(ascii: "'"), index + 1 < fileBytes.count, fileBytes[index + 1] == quote {
                        index += 2
                        continue
                    }
                    return index + 1
                }
                index += 1
            }
            return lineEnd(from: start)
        default:
            return start + 1
        }
    }

    /// The end of a bracketed value when it closes on the same line, else the end of the line.
    private func flowEnd(from start: Int) -> Int {
        var depth = 0
        var quote: UInt8?
        var index = start
        while index < fileBytes.count, !isBreak(fileBytes[index]) {
            let byte = fileBytes[index]
            if let open = quote {
                if open == UInt8(ascii: "\""), byte == UInt8(ascii: "\\") { index += 2; continue }
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") {
                depth += 1
            } else if byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") {
                depth -= 1
                if depth == 0 { return index + 1 }
            }
            index += 1
        }
        return lineEnd(from: start)
    }

    /// The end of the text on the line from `start`, before a ` #` comment and trailing blanks.
    private func lineEnd(from start: Int) -> Int {
        var index = start
        while index < fileBytes.count, !isBreak(fileBytes[index]) {
            if fileBytes[index] == UInt8(ascii: "#"), index > start,
               fileBytes[index - 1] == UInt8(ascii: " ") || fileBytes[index - 1] == UInt8(ascii: "\t") {
                break
            }
            index += 1
        }
        while index > start, fileBytes[index - 1] == UInt8(ascii: " ") || fileBytes[index - 1] == UInt8(ascii: "\t") {
            index -= 1
        }
        return max(index, start)
    }

    private func isBreak(_ byte: UInt8) -> Bool { byte == 0x0A || byte == 0x0D }

    // MARK: Errors from Yams

    /// A diagnostic for an error Yams threw, in words for volunteers.
    mutating func diagnostic(for error: YamlError, yaml: String) -> Diagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            return syntaxDiagnostic(problem: problem, mark: mark, context: context)
        case .reader(let problem, let characterOffset, let value, _):
            var offset = positions.base
            if let characterOffset,
               let index = yaml.index(yaml.startIndex, offsetBy: characterOffset, limitedBy: yaml.endIndex) {
                offset += yaml.utf8.distance(from: yaml.startIndex, to: index)
            }
            let character = value >= 0 ? " (U+" + String(format: "%04X", Int(value)) + ")" : ""
            return Diagnostic(
                .yamlSyntax, "\(what) contains a character that YAML does not allow\(character)",
                file: file, start: offset, label: problem,
                help: "delete the character; invisible characters like this often come from copying text out of a word processor")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let start = positions.offset(of: context.mark)
            let names = duplicates.map { "`\($0)`" }.joined(separator: ", ")
            let first = duplicates.first ?? ""
            return Diagnostic(
                .duplicateField, duplicates.count == 1
                    ? "the field `\(first)` is given more than once in the same group"
                    : "the fields \(names) are given more than once in the same group",
                file: file, start: start, end: start + max(1, first.utf8.count),
                label: "first given here",
                help: "keep one `\(first):` line and delete the others")
        default:
            return Diagnostic(.yamlSyntax, "\(what) could not be read as YAML: \(error)", file: file,
                              start: positions.base)
        }
    }

    private mutating func syntaxDiagnostic(problem: String, mark: Mark, context: YamlError.Context?) -> Diagnostic {
        let problemOffset = positions.offset(of: mark)
        let contextOffset = context.map { positions.offset(of: $0.mark) }
        let contextText = context?.text ?? ""
        var start = problemOffset
        var message = "\(what) is not valid YAML: \(problem)"
        var label: String?
        var help = "check the quotes and the indentation near this point; values that contain `: ` or start with a symbol need quotes"
        var notes: [String] = []
        let character = problemOffset < fileBytes.count ? fileBytes[problemOffset] : 0

        if contextText.contains("quoted scalar"), let contextOffset {
            start = contextOffset
            message = "\(what) has a quoted value that is never closed"
            label = "this quote is not closed"
            help = "add the matching closing quote mark at the end of the value"
        } else if contextText.contains("simple key"), let contextOffset {
            start = contextOffset
            message = "\(what) has a line without `:` between a field name and its value"
            help = "write each field as `name: value`, or put text that runs over several lines in quotes"
        } else if problem.contains("mapping values are not allowed") {
            message = "\(what) has a `: ` that YAML reads as the start of another field"
            label = "unexpected `:`"
            help = "put the whole value in double quotes, such as: summary: \"Open: Tuesdays and Fridays\"; or check the indentation of this line"
        } else if problem.contains("tab character") || character == UInt8(ascii: "\t") {
            message = "\(what) uses a tab character for indentation"
            help = "indent with spaces, not tabs"
        } else if problem.contains("cannot start any token") {
            let shown = character < 0x80 && character >= 0x20 ? " `\(Character(Unicode.Scalar(character)))`" : ""
            message = "\(what) has a value that starts with a character YAML reserves\(shown)"
            help = "put the value in double quotes, such as: name: \"@northside\""
        } else if contextText.contains("scanning an alias") || contextText.contains("scanning an anchor"),
                  let contextOffset {
            start = contextOffset
            let symbol = contextText.contains("alias") ? "*" : "&"
            message = "\(what) has a value that starts with `\(symbol)`, which YAML reads as \(symbol == "*" ? "an alias" : "an anchor")"
            help = "put the value in double quotes, such as: summary: \"\(symbol)Free\(symbol) lunches every Friday\""
        } else if problem.contains("undefined alias") {
            message = "\(what) has a value that starts with `*`, which YAML reads as an alias"
            help = "put the value in double quotes, such as: summary: \"*Free* lunches every Friday\""
        } else if problem.contains("did not find expected key") || problem.contains("expected '-' indicator")
                    || problem.contains("expected <block end>") {
            message = "\(what) has a line that does not line up with the lines around it"
            help = "fields of the same group must start in the same column; list items start with `- ` in the same column"
        } else if problem.contains("block sequence entries are not allowed") {
            message = "\(what) has a list item (`- `) where a value was expected"
            help = "put the list on the lines after `name:`, each item indented and starting with `- `"
        } else if problem.contains("found another document") {
            message = "\(what) holds more than one YAML document"
            help = "remove the extra `---` line"
        }
        if let context, start == problemOffset, let contextOffset {
            notes.append("\(context.text) at line \(file.location(of: contextOffset).line)")
        } else if file.location(of: start).line != file.location(of: problemOffset).line {
            notes.append("the YAML reader stopped at line \(file.location(of: problemOffset).line): \(problem)")
        }
        let end = start == problemOffset ? start + 1 : lineEnd(from: start)
        return Diagnostic(.yamlSyntax, message, file: file, start: start, end: end, label: label,
                          notes: notes, help: help)
    }
}

/// Runs work on a thread with a stack of a chosen size and waits for it.
enum LargeStack {
    static func run<T: Sendable>(stackSize: Int, _ work: @escaping @Sendable () -> T) -> T {
        let box = ResultBox<T>()
        let thread = Thread {
            let value = work()
            box.condition.lock()
            box.value = value
            box.condition.signal()
            box.condition.unlock()
        }
        thread.stackSize = stackSize
        thread.start()
        box.condition.lock()
        defer { box.condition.unlock() }
        while true {
            if let value = box.value { return value }
            box.condition.wait()
        }
    }
}

/// The hand-over point between `LargeStack.run` and its thread; guarded by `condition`.
private final class ResultBox<T>: @unchecked Sendable {
    let condition = NSCondition()
    var value: T?
}
