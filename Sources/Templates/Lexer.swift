/// Splits a template into tokens: literal text, the delimiters `{{ }}` and
/// `{% %}`, and the names, literals and operators inside them. Comments
/// `{# #}` are dropped here, and whitespace control (`{%-`, `-%}`, `{{-`,
/// `-}}`, `{#-`, `-#}`) is applied to the neighbouring text tokens.
///
/// The lexer is a state machine: each state function reads from `position`,
/// emits tokens and returns the next state. Errors are collected, and lexing
/// goes on after each one so a template's problems are all reported at once.
struct Lexer {
    /// What the lexer is looking at.
    enum State {
        /// Literal text, up to the next `{{`, `{%` or `{#`.
        case text
        /// A `{{` or `{%` at `start`.
        case openDelimiter(Delimiter, start: Int)
        /// Inside a tag, up to the content's `end`, followed by its closing delimiter.
        case insideTag(Delimiter, close: Closing)
        /// A `{#` at `start`.
        case comment(start: Int)
        case finished
    }

    enum Delimiter {
        case output, statement

        var open: String { self == .output ? "{{" : "{%" }
        var close: String { self == .output ? "}}" : "%}" }
    }

    /// Where a tag's closing delimiter is.
    struct Closing {
        /// Where the content ends and the closing delimiter (with its `-`) begins.
        var contentEnd: Int
        /// Just past the closing delimiter.
        var end: Int
        var trim: Bool
    }

    private let bytes: [UInt8]
    private var position = 0
    private var tokens: [Token] = []
    private var errors: [TemplateError] = []
    /// Set by a closing `-%}`, `-}}` or `-#}`: the next text loses its leading white space.
    private var trimNextText = false

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    /// Lexes the whole template.
    /// - Returns: the tokens, ending with `.end`, and every error found.
    static func tokenize(_ text: String) -> (tokens: [Token], errors: [TemplateError]) {
        var lexer = Lexer(text)
        var state = State.text
        while true {
            switch state {
            case .text: state = lexer.lexText()
            case .openDelimiter(let delimiter, let start): state = lexer.lexOpenDelimiter(delimiter, start: start)
            case .insideTag(let delimiter, let close): state = lexer.lexInsideTag(delimiter, close: close)
            case .comment(let start): state = lexer.lexComment(start: start)
            case .finished:
                lexer.tokens.append(Token(.end, lexer.bytes.count, lexer.bytes.count))
                return (lexer.tokens, lexer.errors)
            }
        }
    }

    // MARK: States

    /// Text: everything up to the next `{{`, `{%` or `{#`.
    private mutating func lexText() -> State {
        let start = position
        var index = position
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "{") {
                let next = bytes[index + 1]
                if next == UInt8(ascii: "{") || next == UInt8(ascii: "%") || next == UInt8(ascii: "#") {
                    let trimBefore = index + 2 < bytes.count && bytes[index + 2] == UInt8(ascii: "-")
                    emitText(from: start, to: index, trimEnd: trimBefore)
                    position = index
                    switch next {
                    case UInt8(ascii: "#"): return .comment(start: index)
                    case UInt8(ascii: "{"): return .openDelimiter(.output, start: index)
                    default: return .openDelimiter(.statement, start: index)
                    }
                }
            }
            index += 1
        }
        emitText(from: start, to: bytes.count, trimEnd: false)
        position = bytes.count
        return .finished
    }

    /// An opening `{{`/`{%`: finds the matching close before lexing the inside,
    /// so a tag that is never closed is reported at its start and lexing
    /// resumes at the next tag instead of reading the page as an expression.
    private mutating func lexOpenDelimiter(_ delimiter: Delimiter, start: Int) -> State {
        let trim = start + 2 < bytes.count && bytes[start + 2] == UInt8(ascii: "-")
        let contentStart = start + (trim ? 3 : 2)
        switch findClosing(delimiter, from: contentStart) {
        case .found(let closing):
            let kind: Token.Kind = delimiter == .output ? .outputOpen(trim: trim) : .tagOpen(trim: trim)
            tokens.append(Token(kind, start, contentStart))
            position = contentStart
            return .insideTag(delimiter, close: closing)
        case .missing(let resume):
            errors.append(TemplateError(.unclosedDelimiter(open: delimiter.open, close: delimiter.close), SourceRange(start, start + 2)))
            tokens.append(Token(.error, start, start + 2))
            position = resume
            trimNextText = false
            return .text
        }
    }

    /// Inside a tag: one name, literal or operator per step, then the closing delimiter.
    private mutating func lexInsideTag(_ delimiter: Delimiter, close: Closing) -> State {
        while position < close.contentEnd, Self.isSpace(bytes[position]) { position += 1 }
        guard position < close.contentEnd else {
            let kind: Token.Kind = delimiter == .output ? .outputClose(trim: close.trim) : .tagClose(trim: close.trim)
            tokens.append(Token(kind, close.contentEnd, close.end))
            position = close.end
            trimNextText = close.trim
            return .text
        }
        let byte = bytes[position]
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"):
            lexName()
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            lexNumber(end: close.contentEnd)
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            lexString(end: close.contentEnd)
        default:
            lexSymbol(end: close.contentEnd)
        }
        return .insideTag(delimiter, close: close)
    }

    /// A comment: skipped up to `#}`; one never closed swallows the rest of the template.
    private mutating func lexComment(start: Int) -> State {
        let trim = start + 2 < bytes.count && bytes[start + 2] == UInt8(ascii: "-")
        var index = start + (trim ? 3 : 2)
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "#"), bytes[index + 1] == UInt8(ascii: "}") {
                trimNextText = index > start + (trim ? 3 : 2) && bytes[index - 1] == UInt8(ascii: "-")
                position = index + 2
                return .text
            }
            index += 1
        }
        errors.append(TemplateError(.unclosedDelimiter(open: "{#", close: "#}"), SourceRange(start, start + 2)))
        position = bytes.count
        return .finished
    }

    // MARK: Pieces

    private enum ClosingSearch {
        case found(Closing)
        case missing(resume: Int)
    }

    /// Looks for the `}}` or `%}` that closes a tag, stepping over string
    /// literals closed on the same line. Another `{{` or `{%` on the way, or
    /// the end of the template, means this tag is not closed.
    private func findClosing(_ delimiter: Delimiter, from start: Int) -> ClosingSearch {
        let first = delimiter == .output ? UInt8(ascii: "}") : UInt8(ascii: "%")
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'"), let end = stringEnd(quoteAt: index, limit: bytes.count, sameLine: true) {
                index = end
                continue
            }
            if index + 1 < bytes.count {
                let next = bytes[index + 1]
                if byte == first, next == UInt8(ascii: "}") {
                    let trim = index > start && bytes[index - 1] == UInt8(ascii: "-")
                    return .found(Closing(contentEnd: trim ? index - 1 : index, end: index + 2, trim: trim))
                }
                if byte == UInt8(ascii: "{"), next == UInt8(ascii: "{") || next == UInt8(ascii: "%") {
                    return .missing(resume: index)
                }
            }
            index += 1
        }
        return .missing(resume: bytes.count)
    }

    /// Just past the quote closing the string that starts at `quoteAt`, or nil
    /// when it is not closed before `limit` (or the end of the line).
    private func stringEnd(quoteAt: Int, limit: Int, sameLine: Bool) -> Int? {
        let quote = bytes[quoteAt]
        var index = quoteAt + 1
        while index < limit {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") { index += 2; continue }
            if byte == quote { return index + 1 }
            if sameLine, byte == UInt8(ascii: "\n") { return nil }
            index += 1
        }
        return nil
    }

    /// Name: [A-Za-z_][A-Za-z0-9_]*
    private mutating func lexName() {
        let start = position
        while position < bytes.count, Self.isNameByte(bytes[position]) { position += 1 }
        tokens.append(Token(.name(String(decoding: bytes[start..<position], as: UTF8.self)), start, position))
    }

    /// Number: [0-9]+ ('.' [0-9]+)?
    private mutating func lexNumber(end: Int) {
        let start = position
        while position < end, Self.isDigit(bytes[position]) { position += 1 }
        var isDecimal = false
        if position + 1 < end, bytes[position] == UInt8(ascii: "."), Self.isDigit(bytes[position + 1]) {
            isDecimal = true
            position += 1
            while position < end, Self.isDigit(bytes[position]) { position += 1 }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        if isDecimal, let number = Double(text) {
            tokens.append(Token(.decimal(number), start, position))
        } else if !isDecimal, let number = Int(text) {
            tokens.append(Token(.integer(number), start, position))
        } else {
            errors.append(TemplateError(.numberTooLarge(text), SourceRange(start, position)))
            tokens.append(Token(.error, start, position))
        }
    }

    /// String: '"' (char | '\' char)* '"' or the same with single quotes.
    /// Escapes: `\\`, `\"`, `\'`, `\n`, `\t`; any other backslash is kept.
    private mutating func lexString(end: Int) {
        let start = position
        guard let stop = stringEnd(quoteAt: start, limit: end, sameLine: false) else {
            errors.append(TemplateError(.unterminatedString, SourceRange(start, start + 1)))
            tokens.append(Token(.error, start, end))
            position = end
            return
        }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(stop - start - 2)
        var index = start + 1
        while index < stop - 1 {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\"), index + 1 < stop - 1 {
                let escaped = bytes[index + 1]
                switch escaped {
                case UInt8(ascii: "n"): decoded.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "t"): decoded.append(UInt8(ascii: "\t"))
                case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"): decoded.append(escaped)
                default: decoded.append(byte); decoded.append(escaped)
                }
                index += 2
            } else {
                decoded.append(byte)
                index += 1
            }
        }
        tokens.append(Token(.string(String(decoding: decoded, as: UTF8.self)), start, stop))
        position = stop
    }

    /// Symbol: one of the operators and punctuation marks, longest first.
    private mutating func lexSymbol(end: Int) {
        let start = position
        if position + 1 < end {
            let pair = String(decoding: bytes[position..<position + 2], as: UTF8.self)
            if let symbol = Token.Symbol(rawValue: pair) {
                position += 2
                tokens.append(Token(.symbol(symbol), start, position))
                return
            }
        }
        if let symbol = Token.Symbol(rawValue: String(UnicodeScalar(bytes[position]))), bytes[position] < 0x80 {
            position += 1
            tokens.append(Token(.symbol(symbol), start, position))
            return
        }
        // Not a symbol: report the whole character (all of its UTF-8 bytes).
        var length = 1
        while position + length < end, bytes[position + length] & 0xC0 == 0x80 { length += 1 }
        let character = String(decoding: bytes[position..<position + length], as: UTF8.self)
        errors.append(TemplateError(.unexpectedCharacter(character), SourceRange(start, start + length)))
        tokens.append(Token(.error, start, start + length))
        position += length
    }

    /// Emits literal text, applying whitespace control on either side.
    private mutating func emitText(from start: Int, to end: Int, trimEnd: Bool) {
        var first = start
        var last = end
        if trimNextText {
            while first < last, Self.isSpace(bytes[first]) { first += 1 }
            trimNextText = false
        }
        if trimEnd {
            while last > first, Self.isSpace(bytes[last - 1]) { last -= 1 }
        }
        if first < last { tokens.append(Token(.text, first, last)) }
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\t")
            || byte == UInt8(ascii: "\r") || byte == 0x0B || byte == 0x0C
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }
}
