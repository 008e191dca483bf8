/// A reader for the plain kind of YAML that front matter is written in:
/// fields and lists over indented lines (`name: value`, `- item`), values on
/// one line (plain text, 'single' or "double" quoted text, `[a, b]`,
/// `{lat: 1, lon: 2}`), comments and blank lines.
///
/// It builds the same `YAMLNode`s, with the same offsets, as the full reader
/// built on Yams, straight from the bytes. At anything else (anchors,
/// tags, `|` and `>` blocks, values that go on over several lines, `?` keys,
/// document markers, tabs, characters YAML treats specially, a field given
/// twice, more values or deeper nesting than `YAMLReader` allows) it gives up,
/// and the full reader reads the text, so every problem is reported exactly
/// as the full reader reports it.
struct SimpleYAMLReader {
    enum Outcome {
        /// The document holds nothing but blank lines and comments.
        case empty
        case node(YAMLNode)
    }

    /// Thrown where the reader gives up.
    struct Unsure: Error {}

    private let bytes: UnsafeBufferPointer<UInt8>
    /// The file offset of `bytes[0]`.
    private let base: Int
    private let ends: YAMLValueEnds
    /// Values read so far, counted as `TreeBuilder` counts them.
    private var valueCount = 0
    /// The start of the first line not read yet.
    private var nextLine = 0

    private init(bytes: UnsafeBufferPointer<UInt8>, base: Int) {
        self.bytes = bytes
        self.base = base
        self.ends = YAMLValueEnds(bytes: bytes, base: base)
    }

    /// Reads one YAML document.
    /// - Parameters:
    ///   - bytes: the UTF-8 text of the document.
    ///   - base: the file offset where the document starts.
    /// - Returns: the document, or nil when the full reader has to read it.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>, base: Int) -> Outcome? {
        guard hasOnlyPlainCharacters(bytes) else { return nil }
        var reader = SimpleYAMLReader(bytes: bytes, base: base)
        do {
            return try reader.document()
        } catch {
            return nil
        }
    }

    /// Whether the text avoids every character this reader leaves to the full
    /// reader: control characters (tabs and `\r` included), the other YAML
    /// line breaks (U+0085, U+2028, U+2029), byte order marks and U+FFFE/U+FFFF.
    static func hasOnlyPlainCharacters(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = bytes.count
        var index = 0
        while index < count {
            // Eight bytes at a time while they are all printable ASCII or
            // newlines, which none of the tests below looks at.
            if index + 8 <= count,
               isPlainASCII(UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self)) {
                index += 8
                continue
            }
            let byte = bytes[index]
            if byte < 0x80 {
                if (byte < 0x20 && byte != Byte.newline) || byte == 0x7F { return false }
            } else if byte == 0xC2 {
                if index + 1 < count, bytes[index + 1] < 0xA0 { return false }
            } else if byte == 0xE2 {
                if index + 2 < count, bytes[index + 1] == 0x80, bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9 {
                    return false
                }
            } else if byte == 0xEF, index + 2 < count {
                let second = bytes[index + 1], third = bytes[index + 2]
                if (second == 0xBB && third == 0xBF) || (second == 0xBF && third >= 0xBE) { return false }
            }
            // Continuation bytes (0x80...0xBF) never equal a lead byte tested above.
            index += 1
        }
        return true
    }

    /// Whether each of the eight bytes of `word` is a newline or in 0x20...0x7E.
    private static func isPlainASCII(_ word: UInt64) -> Bool {
        let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let highs: UInt64 = 0x8080_8080_8080_8080
        /// The high bit of each byte of `word` whose low seven bits are zero.
        /// Adding 0x7F to seven bits never carries into the next byte.
        func zeroLows(_ word: UInt64) -> UInt64 { ~((word & lows) &+ lows) & highs }
        // Below 0x20: adding 0x60 to the low seven bits reaches 0x80 from 0x20 on.
        let control = ~((word & lows) &+ 0x6060_6060_6060_6060) & highs
        let newline = zeroLows(word ^ 0x0A0A_0A0A_0A0A_0A0A)
        let delete = zeroLows(word ^ lows)
        // Bytes of 0x80 or more are tested by their high bit alone.
        return (word & highs) | (control & ~newline) | delete == 0
    }

    // MARK: Bytes

    private enum Byte {
        static let newline = UInt8(ascii: "\n")
        static let space = UInt8(ascii: " ")
        static let hash = UInt8(ascii: "#")
        static let colon = UInt8(ascii: ":")
        static let dash = UInt8(ascii: "-")
        static let dot = UInt8(ascii: ".")
        static let comma = UInt8(ascii: ",")
        static let doubleQuote = UInt8(ascii: "\"")
        static let singleQuote = UInt8(ascii: "'")
        static let backslash = UInt8(ascii: "\\")
        static let openBracket = UInt8(ascii: "[")
        static let closeBracket = UInt8(ascii: "]")
        static let openBrace = UInt8(ascii: "{")
        static let closeBrace = UInt8(ascii: "}")
    }

    /// The byte at `index`, or 0 past the end (the text holds no 0 byte).
    private func at(_ index: Int) -> UInt8 { index < bytes.count ? bytes[index] : 0 }

    /// A space, the end of the line, or the end of the text.
    private func isBlankOrEnd(_ byte: UInt8) -> Bool { byte == Byte.space || byte == Byte.newline || byte == 0 }

    private func isFlowIndicator(_ byte: UInt8) -> Bool {
        byte == Byte.comma || byte == Byte.openBracket || byte == Byte.closeBracket
            || byte == Byte.openBrace || byte == Byte.closeBrace
    }

    private func skipSpaces(from index: Int) -> Int {
        var index = index
        while at(index) == Byte.space { index += 1 }
        return index
    }

    /// The start of the line after the one holding `index`.
    private func lineAfter(_ index: Int) -> Int {
        var index = index
        while index < bytes.count, bytes[index] != Byte.newline { index += 1 }
        return min(index + 1, bytes.count)
    }

    private func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// Whether a plain scalar may start at `index`. Stricter than YAML: the
    /// cases YAML allows but this reader leaves alone (`?x`, `:x`, `-,`) say no.
    private func plainMayStart(at index: Int) -> Bool {
        switch at(index) {
        case 0, Byte.newline, Byte.space:
            return false
        case Byte.dash:
            let next = at(index + 1)
            return !isBlankOrEnd(next) && !isFlowIndicator(next) && next != Byte.hash
        case UInt8(ascii: "?"), Byte.colon, Byte.comma, Byte.openBracket, Byte.closeBracket, Byte.openBrace,
             Byte.closeBrace, Byte.hash, UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"),
             UInt8(ascii: ">"), Byte.singleQuote, Byte.doubleQuote, UInt8(ascii: "%"), UInt8(ascii: "@"),
             UInt8(ascii: "`"):
            return false
        default:
            return true
        }
    }

    /// `- ` (or `-` at the end of a line): a list item of an indented list.
    private func isListItem(at index: Int) -> Bool { at(index) == Byte.dash && isBlankOrEnd(at(index + 1)) }

    /// The column of `index`, when only `-` and spaces come before it on its line.
    private func column(of index: Int) -> Int {
        var start = index
        while start > 0, bytes[start - 1] != Byte.newline { start -= 1 }
        return index - start
    }

    // MARK: Counting, as TreeBuilder counts

    private mutating func countValue(depth: Int) throws(Unsure) {
        valueCount += 1
        if valueCount > YAMLReader.nodeLimit || depth > YAMLReader.depthLimit { throw Unsure() }
    }

    private mutating func emptyScalar(at index: Int, depth: Int) throws(Unsure) -> YAMLNode {
        try countValue(depth: depth)
        return YAMLNode(value: .scalar(""), style: .plain, start: base + index, end: base + index)
    }

    /// Gives up when `key` is already a key of the mapping; the full reader reports it.
    private func checkNew(_ key: Key, among pairs: [YAMLPair], seen: inout Set<String>) throws(Unsure) {
        if pairs.count < 16 {
            let length = key.isASCII ? key.text.utf8.count : -1
            for pair in pairs where pair.hasKey(key.text, asciiLength: length) { throw Unsure() }
            return
        }
        if seen.isEmpty { seen = Set(pairs.map(\.key)) }
        guard seen.insert(key.text).inserted else { throw Unsure() }
    }

    // MARK: Lines

    /// The first character of the next line holding a value, skipping blank
    /// lines and comment lines; `bytes.count` at the end of the text.
    private func nextContent(from lineStart: Int) throws(Unsure) -> (index: Int, column: Int) {
        var start = lineStart
        while start < bytes.count {
            let index = skipSpaces(from: start)
            let byte = at(index)
            if byte == 0 { break }
            if byte == Byte.newline || byte == Byte.hash {
                start = lineAfter(index)
                continue
            }
            let column = index - start
            if column == 0, byte == Byte.dash || byte == Byte.dot, at(index + 1) == byte, at(index + 2) == byte,
               isBlankOrEnd(at(index + 3)) {
                throw Unsure()
            }
            return (index, column)
        }
        return (bytes.count, 0)
    }

    /// Checks that only spaces and a comment follow `index` on its line, and moves to the next line.
    private mutating func finishLine(after index: Int) throws(Unsure) {
        let next = skipSpaces(from: index)
        switch at(next) {
        case 0, Byte.newline:
            break
        case Byte.hash where next > index:
            break
        default:
            throw Unsure()
        }
        nextLine = lineAfter(next)
    }

    // MARK: Indented values

    private mutating func document() throws(Unsure) -> Outcome {
        let first = try nextContent(from: 0)
        guard first.index < bytes.count else { return .empty }
        let node = try indentedNode(at: first.index, column: first.column, depth: 0)
        guard try nextContent(from: nextLine).index == bytes.count else { throw Unsure() }
        return .node(node)
    }

    /// A mapping or a list that starts its own line.
    private mutating func indentedNode(at index: Int, column: Int, depth: Int) throws(Unsure) -> YAMLNode {
        if isListItem(at: index) { return try list(at: index, indent: column, depth: depth) }
        guard let key = try key(at: index) else { throw Unsure() }
        return try mapping(at: index, indent: column, firstKey: key, depth: depth)
    }

    private struct Key {
        var text: String
        var isASCII: Bool
        /// File offset where the key's text ends.
        var end: Int
        /// Index just past the `:`.
        var afterColon: Int
    }

    /// The `name:` at `index`, or nil when the line does not start with one.
    private func key(at index: Int) throws(Unsure) -> Key? {
        let first = at(index)
        if first == Byte.doubleQuote || first == Byte.singleQuote {
            let quoted = try quotedScalar(at: index)
            let colon = skipSpaces(from: quoted.after)
            guard at(colon) == Byte.colon, isBlankOrEnd(at(colon + 1)) else { return nil }
            // YAML does not look further than 1,024 characters for the `:` of a key.
            if colon - index > 1000 { throw Unsure() }
            return Key(text: quoted.text, isASCII: YAMLPair.isASCII(quoted.text), end: base + quoted.after,
                       afterColon: colon + 1)
        }
        guard plainMayStart(at: index) else { return nil }
        var colon = index
        var bits: UInt8 = 0
        while true {
            let byte = at(colon)
            bits |= byte
            if byte == Byte.newline || byte == 0 { return nil }
            if byte == Byte.space, at(colon + 1) == Byte.hash { return nil }
            if byte == Byte.colon, isBlankOrEnd(at(colon + 1)) { break }
            colon += 1
        }
        if colon - index > 1000 { throw Unsure() }
        var end = colon
        while end > index, bytes[end - 1] == Byte.space { end -= 1 }
        return Key(text: text(index..<end), isASCII: bits < 0x80, end: base + end, afterColon: colon + 1)
    }

    /// A mapping written over indented lines, each key in column `indent`.
    private mutating func mapping(at start: Int, indent: Int, firstKey: Key, depth: Int) throws(Unsure) -> YAMLNode {
        try countValue(depth: depth)
        var pairs: [YAMLPair] = []
        pairs.reserveCapacity(8)
        var seen: Set<String> = []
        var keyStart = start
        var key = firstKey
        while true {
            try checkNew(key, among: pairs, seen: &seen)
            let value = try mappingValue(afterColon: key.afterColon, indent: indent, depth: depth + 1)
            pairs.append(YAMLPair(key: key.text, keyIsASCII: key.isASCII, keyStart: base + keyStart, keyEnd: key.end,
                                  value: value))
            let next = try nextContent(from: nextLine)
            if next.index == bytes.count || next.column < indent { break }
            guard next.column == indent, let nextKey = try self.key(at: next.index) else { throw Unsure() }
            keyStart = next.index
            key = nextKey
        }
        return YAMLNode(value: .map(pairs), style: .indented, start: base + start, end: base + start + 1)
    }

    /// The value after `name:`: on the same line, on the lines below, or nothing.
    private mutating func mappingValue(afterColon: Int, indent: Int, depth: Int) throws(Unsure) -> YAMLNode {
        let index = skipSpaces(from: afterColon)
        switch at(index) {
        case 0, Byte.newline, Byte.hash:
            nextLine = lineAfter(index)
            let next = try nextContent(from: nextLine)
            if next.index < bytes.count {
                if next.column > indent {
                    return try indentedNode(at: next.index, column: next.column, depth: depth)
                }
                // A list may start in the column of its field name.
                if next.column == indent, isListItem(at: next.index) {
                    return try list(at: next.index, indent: indent, depth: depth)
                }
            }
            // Nothing: YAML places the empty value just after the `:`.
            return try emptyScalar(at: afterColon, depth: depth)
        default:
            return try inlineValue(at: index, depth: depth)
        }
    }

    /// A list written over lines starting with `- ` in column `indent`.
    private mutating func list(at start: Int, indent: Int, depth: Int) throws(Unsure) -> YAMLNode {
        try countValue(depth: depth)
        var items: [YAMLNode] = []
        items.reserveCapacity(4)
        var dash = start
        while true {
            items.append(try listItem(afterDash: dash + 1, indent: indent, depth: depth + 1))
            let next = try nextContent(from: nextLine)
            if next.index == bytes.count || next.column < indent { break }
            guard next.column == indent else { throw Unsure() }
            guard isListItem(at: next.index) else { break }
            dash = next.index
        }
        return YAMLNode(value: .list(items), style: .indented, start: base + start, end: base + start + 1)
    }

    private mutating func listItem(afterDash: Int, indent: Int, depth: Int) throws(Unsure) -> YAMLNode {
        let index = skipSpaces(from: afterDash)
        switch at(index) {
        case 0, Byte.newline, Byte.hash:
            nextLine = lineAfter(index)
            let next = try nextContent(from: nextLine)
            if next.index < bytes.count, next.column > indent {
                return try indentedNode(at: next.index, column: next.column, depth: depth)
            }
            // Nothing: YAML places the empty value just after the `-`.
            return try emptyScalar(at: afterDash, depth: depth)
        default:
            if isListItem(at: index) { throw Unsure() }
            if let key = try key(at: index) {
                return try mapping(at: index, indent: column(of: index), firstKey: key, depth: depth)
            }
            return try inlineValue(at: index, depth: depth)
        }
    }

    /// A value that starts after `name: ` or `- ` and ends on the same line.
    private mutating func inlineValue(at index: Int, depth: Int) throws(Unsure) -> YAMLNode {
        let node: YAMLNode
        let after: Int
        switch at(index) {
        case Byte.doubleQuote, Byte.singleQuote:
            let quoted = try quotedScalar(at: index)
            try countValue(depth: depth)
            node = YAMLNode(value: .scalar(quoted.text), style: .quoted, start: base + index, end: base + quoted.after)
            after = quoted.after
        case Byte.openBracket, Byte.openBrace:
            (node, after) = try flowCollection(at: index, depth: depth)
        default:
            guard plainMayStart(at: index) else { throw Unsure() }
            var end = index
            while true {
                let byte = at(end)
                if byte == Byte.newline || byte == 0 { break }
                if byte == Byte.space, at(end + 1) == Byte.hash { break }
                // `a: b: c` is an error the full reader explains.
                if byte == Byte.colon, isBlankOrEnd(at(end + 1)) { throw Unsure() }
                end += 1
            }
            while bytes[end - 1] == Byte.space { end -= 1 }
            try countValue(depth: depth)
            node = YAMLNode(value: .scalar(text(index..<end)), style: .plain, start: base + index, end: base + end)
            after = end
        }
        try finishLine(after: after)
        return node
    }

    // MARK: Values in brackets

    /// `[…]` or `{…}` closed on the same line; returns the node and the index past its closing bracket.
    private mutating func flowCollection(at start: Int, depth: Int) throws(Unsure) -> (YAMLNode, Int) {
        try countValue(depth: depth)
        var index = skipSpaces(from: start + 1)
        let value: YAMLNode.Value
        if at(start) == Byte.openBracket {
            var items: [YAMLNode] = []
            items.reserveCapacity(4)
            if at(index) == Byte.closeBracket {
                index += 1
            } else {
                while true {
                    let (item, after) = try flowNode(at: index, depth: depth + 1)
                    items.append(item)
                    index = skipSpaces(from: after)
                    if at(index) == Byte.comma {
                        index = skipSpaces(from: index + 1)
                        if at(index) == Byte.closeBracket { throw Unsure() }
                        continue
                    }
                    guard at(index) == Byte.closeBracket else { throw Unsure() }
                    index += 1
                    break
                }
            }
            value = .list(items)
        } else {
            var pairs: [YAMLPair] = []
            pairs.reserveCapacity(4)
            var seen: Set<String> = []
            if at(index) == Byte.closeBrace {
                index += 1
            } else {
                while true {
                    let key = try flowKey(at: index)
                    try checkNew(key, among: pairs, seen: &seen)
                    let (item, after) = try flowNode(at: skipSpaces(from: key.afterColon), depth: depth + 1)
                    pairs.append(YAMLPair(key: key.text, keyIsASCII: key.isASCII, keyStart: base + index,
                                          keyEnd: key.end, value: item))
                    index = skipSpaces(from: after)
                    if at(index) == Byte.comma {
                        index = skipSpaces(from: index + 1)
                        if at(index) == Byte.closeBrace { throw Unsure() }
                        continue
                    }
                    guard at(index) == Byte.closeBrace else { throw Unsure() }
                    index += 1
                    break
                }
            }
            value = .map(pairs)
        }
        let node = YAMLNode(value: value, style: .flow, start: base + start, end: ends.flowEnd(from: base + start))
        return (node, index)
    }

    /// The `name:` of a `{name: value}` entry, which must be followed by a space.
    private func flowKey(at index: Int) throws(Unsure) -> Key {
        let first = at(index)
        let text: String
        let colon: Int
        let end: Int
        if first == Byte.doubleQuote || first == Byte.singleQuote {
            let quoted = try quotedScalar(at: index)
            text = quoted.text
            colon = skipSpaces(from: quoted.after)
            end = base + quoted.after
        } else {
            let plain = try flowPlain(at: index)
            text = plain.text
            colon = skipSpaces(from: plain.end)
            end = base + plain.end
        }
        guard at(colon) == Byte.colon, at(colon + 1) == Byte.space, colon - index <= 1000 else { throw Unsure() }
        return Key(text: text, isASCII: YAMLPair.isASCII(text), end: end, afterColon: colon + 1)
    }

    /// A value inside brackets; returns the node and the index just past its text.
    private mutating func flowNode(at index: Int, depth: Int) throws(Unsure) -> (YAMLNode, Int) {
        switch at(index) {
        case Byte.openBracket, Byte.openBrace:
            return try flowCollection(at: index, depth: depth)
        case Byte.doubleQuote, Byte.singleQuote:
            let quoted = try quotedScalar(at: index)
            try countValue(depth: depth)
            let node = YAMLNode(value: .scalar(quoted.text), style: .quoted, start: base + index,
                                end: base + quoted.after)
            return (node, quoted.after)
        default:
            let plain = try flowPlain(at: index)
            try countValue(depth: depth)
            let node = YAMLNode(value: .scalar(plain.text), style: .plain, start: base + index, end: base + plain.end)
            return (node, plain.end)
        }
    }

    /// Plain text inside brackets: up to `,`, a bracket, `: ` or ` #`, without trailing spaces.
    private func flowPlain(at index: Int) throws(Unsure) -> (text: String, end: Int) {
        guard plainMayStart(at: index) else { throw Unsure() }
        var end = index
        scan: while true {
            let byte = at(end)
            switch byte {
            case 0, Byte.newline, Byte.comma, Byte.openBracket, Byte.closeBracket, Byte.openBrace, Byte.closeBrace:
                break scan
            case Byte.colon:
                let next = at(end + 1)
                if isBlankOrEnd(next) { break scan }
                // YAML refuses `:` right before these inside brackets.
                if isFlowIndicator(next) || next == UInt8(ascii: "?") { throw Unsure() }
            case Byte.space:
                if at(end + 1) == Byte.hash { break scan }
            default:
                break
            }
            end += 1
        }
        while bytes[end - 1] == Byte.space { end -= 1 }
        return (text(index..<end), end)
    }

    // MARK: Quoted text

    /// A quoted scalar closed on its line; `after` is the index past the closing
    /// quote, where `YAMLValueEnds.scalarEnd` finds that the quoted text ends.
    private func quotedScalar(at start: Int) throws(Unsure) -> (text: String, after: Int) {
        let quote = at(start)
        var index = start + 1
        var segment = index
        // The text with escapes and '' replaced, once there is one.
        var decoded: [UInt8] = []
        var replaced = false
        while true {
            let byte = at(index)
            if byte == Byte.newline || byte == 0 { throw Unsure() }
            if byte == quote {
                guard quote == Byte.singleQuote, at(index + 1) == Byte.singleQuote else { break }
                // '' stands for one '.
                decoded.append(contentsOf: bytes[segment...index])
                replaced = true
                index += 2
                segment = index
                continue
            }
            if quote == Byte.doubleQuote, byte == Byte.backslash {
                decoded.append(contentsOf: bytes[segment..<index])
                index = try unescape(at: index, into: &decoded)
                replaced = true
                segment = index
                continue
            }
            index += 1
        }
        guard replaced else { return (text(segment..<index), index + 1) }
        decoded.append(contentsOf: bytes[segment..<index])
        return (String(decoding: decoded, as: UTF8.self), index + 1)
    }

    /// Appends the character of the escape at `index` (a backslash) and returns the index past it.
    private func unescape(at index: Int, into buffer: inout [UInt8]) throws(Unsure) -> Int {
        let simple: [UInt8]
        switch at(index + 1) {
        case UInt8(ascii: "0"): simple = [0x00]
        case UInt8(ascii: "a"): simple = [0x07]
        case UInt8(ascii: "b"): simple = [0x08]
        case UInt8(ascii: "t"): simple = [0x09]
        case UInt8(ascii: "n"): simple = [0x0A]
        case UInt8(ascii: "v"): simple = [0x0B]
        case UInt8(ascii: "f"): simple = [0x0C]
        case UInt8(ascii: "r"): simple = [0x0D]
        case UInt8(ascii: "e"): simple = [0x1B]
        case Byte.space: simple = [Byte.space]
        case Byte.doubleQuote: simple = [Byte.doubleQuote]
        case UInt8(ascii: "/"): simple = [UInt8(ascii: "/")]
        case Byte.backslash: simple = [Byte.backslash]
        case UInt8(ascii: "N"): simple = [0xC2, 0x85]
        case UInt8(ascii: "_"): simple = [0xC2, 0xA0]
        case UInt8(ascii: "L"): simple = [0xE2, 0x80, 0xA8]
        case UInt8(ascii: "P"): simple = [0xE2, 0x80, 0xA9]
        case UInt8(ascii: "x"): return try unescapeCode(at: index, digits: 2, into: &buffer)
        case UInt8(ascii: "u"): return try unescapeCode(at: index, digits: 4, into: &buffer)
        case UInt8(ascii: "U"): return try unescapeCode(at: index, digits: 8, into: &buffer)
        default: throw Unsure()
        }
        buffer.append(contentsOf: simple)
        return index + 2
    }

    /// `\xXX`, `\uXXXX` or `\UXXXXXXXX`.
    private func unescapeCode(at index: Int, digits: Int, into buffer: inout [UInt8]) throws(Unsure) -> Int {
        var value: UInt32 = 0
        for offset in 0..<digits {
            let byte = at(index + 2 + offset)
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw Unsure()
            }
            value = value << 4 | UInt32(digit)
        }
        guard let scalar = Unicode.Scalar(value) else { throw Unsure() }
        buffer.append(contentsOf: String(scalar).utf8)
        return index + 2 + digits
    }
}
