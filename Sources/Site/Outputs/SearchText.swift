import Foundation
import Templates

/// How text becomes search terms. `templates/static/search.js` does the same
/// to what people type, so the two must change together:
///
/// 1. canonical decomposition (NFD), then the combining accents U+0300–U+036F
///    are dropped, so `café` and `cafe` meet;
/// 2. apostrophes (`'`, `’`, `ʼ`) are dropped, so `Aidan's` is `aidans`;
/// 3. lower case;
/// 4. a term is a run of letters, digits and other marks (Unicode `L`, `N`,
///    `M`); anything else separates terms; terms of one character are left out.
enum SearchText {
    /// The terms of `text`, in order, repeats included.
    static func terms(_ text: String) -> [String] {
        var terms: [String] = []
        forEachTerm(text) { terms.append($0) }
        return terms
    }

    /// Calls `body` with each term of `text`, in order, repeats included.
    static func forEachTerm(_ text: String, _ body: (String) -> Void) {
        forEachTermBytes(text) { body(String(decoding: $0, as: UTF8.self)) }
    }

    /// Calls `body` with the UTF-8 bytes of each term of `text`, in order,
    /// repeats included; the bytes are valid only during the call.
    static func forEachTermBytes(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var bytes = Array(text.utf8)
        forEachTerm(inUTF8: &bytes, body)
    }

    /// What a byte is to the rules, for text read a byte at a time.
    private enum ByteRole: UInt8 {
        /// A lower-case ASCII letter or a digit, which is in a term as it is.
        case kept
        /// An upper-case ASCII letter, which is in a term lowered.
        case upper
        case apostrophe
        /// A byte of a character beyond ASCII.
        case beyondASCII
        case separator
    }

    private static let byteRoles: [ByteRole] = (0...255).map { byte in
        switch UInt8(byte) {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): .kept
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): .upper
        case UInt8(ascii: "'"): .apostrophe
        case 0x80...: .beyondASCII
        default: .separator
        }
    }

    /// Calls `body` with the UTF-8 bytes of each term of the UTF-8 text in
    /// `text`, as `forEachTermBytes` does; `text` is used as scratch space
    /// and holds no text of use afterwards.
    static func forEachTerm(inUTF8 text: inout [UInt8], _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        forEachTerm(inUTF8: &text) { term, _ in body(term) }
    }

    /// As `forEachTerm(inUTF8:_:)`, with the hash of each term's bytes as
    /// `TermTable.hash` makes it, worked out while the term is read.
    ///
    /// ASCII is read a byte at a time, each term lowered over the text's own
    /// bytes where it starts (a term is never longer than the text it came
    /// from). A run of text between two ASCII separators with a byte beyond
    /// ASCII in it goes the Unicode way (`unicodeTerms`) instead, the part of
    /// it already read (ASCII letters and digits, lowered) along with the rest.
    /// That gives the terms the Unicode rules give for the whole text: ASCII
    /// is the same in NFD, and NFD never moves a character past an ASCII one,
    /// so NFD of the text is NFD of such runs and ASCII separators, end to end.
    static func forEachTerm(inUTF8 text: inout [UInt8], _ body: (UnsafeBufferPointer<UInt8>, UInt64) -> Void) {
        // A separator after the end, so that reading a term needs no check for the end.
        text.append(UInt8(ascii: " "))
        text.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            let end = base + (buffer.count - 1)
            byteRoles.withUnsafeBufferPointer { roles in
                var next = base
                while next < end {
                    if roles[Int(next.pointee)] == .separator {
                        next += 1
                        continue
                    }
                    let start = next
                    var hash = TermTable.emptyHash
                    // The term is lowered where it is, up to its end or its first apostrophe.
                    var role = roles[Int(next.pointee)]
                    while true {
                        if role == .kept {
                            hash = TermTable.hash(hash, adding: next.pointee)
                        } else if role == .upper {
                            next.pointee += 32
                            hash = TermTable.hash(hash, adding: next.pointee)
                        } else {
                            break
                        }
                        next += 1
                        role = roles[Int(next.pointee)]
                    }
                    // After an apostrophe, what follows is moved back over it.
                    var write = next
                    while role != .separator && role != .beyondASCII {
                        if role != .apostrophe {
                            write.pointee = role == .upper ? next.pointee + 32 : next.pointee
                            hash = TermTable.hash(hash, adding: write.pointee)
                            write += 1
                        }
                        next += 1
                        role = roles[Int(next.pointee)]
                    }
                    if role == .separator {
                        if write - start >= 2 { body(UnsafeBufferPointer(start: start, count: write - start), hash) }
                        continue
                    }
                    // Beyond ASCII: the part read so far is put just before the rest of the run, to make one piece of it.
                    let from = next - (write - start)
                    if from != start { from.update(from: start, count: write - start) }
                    while roles[Int(next.pointee)] != .separator { next += 1 }
                    unicodeTerms(String(decoding: UnsafeBufferPointer(start: from, count: next - from), as: UTF8.self)) { term in
                        var term = term
                        term.withUTF8 { body($0, TermTable.hash($0)) }
                    }
                }
            }
        }
    }

    /// The rules for text with characters beyond ASCII, over Unicode scalars.
    private static func unicodeTerms(_ text: String, _ body: (String) -> Void) {
        var current = String.UnicodeScalarView()
        var length = 0
        func finish() {
            if length >= 2 { body(String(current)) }
            current = String.UnicodeScalarView()
            length = 0
        }
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars {
            let value = scalar.value
            if (0x0300...0x036F).contains(value) || value == 0x27 || value == 0x2019 || value == 0x02BC { continue }
            if scalar.isASCII {
                if (0x61...0x7A).contains(value) || (0x30...0x39).contains(value) {
                    current.append(scalar)
                    length += 1
                } else if (0x41...0x5A).contains(value) {
                    current.append(Unicode.Scalar(value + 32)!)
                    length += 1
                } else {
                    finish()
                }
                continue
            }
            if isWordScalar(scalar) {
                current.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
                length += 1
            } else {
                finish()
            }
        }
        finish()
    }

    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber, .nonspacingMark, .spacingMark, .enclosingMark:
            return true
        default:
            return false
        }
    }
}

/// Rendered HTML back to plain text, for search and feeds: tags become
/// spaces, the entities cmark writes are decoded.
enum PlainText {
    static func fromHTML(_ html: String) -> String {
        String(decoding: bytes(fromHTML: html), as: UTF8.self)
    }

    /// The plain text as UTF-8 bytes.
    static func bytes(fromHTML html: String) -> [UInt8] {
        var html = html
        return html.withUTF8 { input in
            var output: [UInt8] = []
            output.reserveCapacity(input.count)
            var inTag = false
            // Where the name of an entity being read starts, just after its `&`.
            var entityStart: Int? = nil
            var index = 0
            let count = input.count
            while index < count {
                if inTag {
                    while index < count, input[index] != UInt8(ascii: ">") { index += 1 }
                    if index < count { inTag = false }
                    index += 1
                    continue
                }
                if let start = entityStart {
                    let byte = input[index]
                    if byte == UInt8(ascii: ";") {
                        output.append(contentsOf: decode(String(decoding: UnsafeBufferPointer(rebasing: input[start..<index]), as: UTF8.self)).utf8)
                        entityStart = nil
                        index += 1
                        continue
                    }
                    if index - start < 10, byte > 0x20, byte != UInt8(ascii: "<"), byte != UInt8(ascii: "&") {
                        index += 1
                        continue
                    }
                    // Not an entity after all: its text stays as it was, and this byte is read as any other.
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: input[(start - 1)..<index]))
                    entityStart = nil
                    continue
                }
                // Text up to the next tag or entity is copied as it is; eight bytes at a time are passed
                // over while none of them is `<` or `&`.
                var end = index
                if let base = input.baseAddress {
                    while end + 8 <= count {
                        let word = UnsafeRawPointer(base + end).loadUnaligned(as: UInt64.self)
                        if ByteWords.hasZeroByte(word ^ (ByteWords.ones &* 0x3C)) || ByteWords.hasZeroByte(word ^ (ByteWords.ones &* 0x26)) {
                            break
                        }
                        end += 8
                    }
                }
                while end < count, input[end] != UInt8(ascii: "<"), input[end] != UInt8(ascii: "&") { end += 1 }
                if end > index {
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: input[index..<end]))
                    index = end
                    continue
                }
                if input[index] == UInt8(ascii: "<") {
                    inTag = true
                    output.append(UInt8(ascii: " "))
                } else {
                    entityStart = index + 1
                }
                index += 1
            }
            if let start = entityStart {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: input[(start - 1)...]))
            }
            return output
        }
    }

    /// The text of one entity name such as `amp` or `#39`; unknown names are kept as they were.
    private static func decode(_ name: String) -> String {
        switch name {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        case "nbsp": return "\u{00A0}"
        default:
            if name.hasPrefix("#x") || name.hasPrefix("#X"), let code = UInt32(name.dropFirst(2), radix: 16), let scalar = Unicode.Scalar(code) {
                return String(scalar)
            }
            if name.hasPrefix("#"), let code = UInt32(name.dropFirst()), let scalar = Unicode.Scalar(code) {
                return String(scalar)
            }
            return "&\(name);"
        }
    }

    /// White space runs folded to one space, trimmed.
    static func collapsed(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
