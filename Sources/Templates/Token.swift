/// A span of a template's text: UTF-8 byte offsets into its `SourceFile`,
/// `start` included, `end` excluded. Line and column are worked out only when
/// an error is reported.
struct SourceRange: Sendable, Hashable {
    var start: Int
    var end: Int

    init(_ start: Int, _ end: Int) {
        self.start = start
        self.end = end
    }

    /// The smallest range covering both.
    func joined(_ other: SourceRange) -> SourceRange {
        SourceRange(min(start, other.start), max(end, other.end))
    }
}

/// One piece of a template as the lexer sees it.
struct Token: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// Literal template text, already shortened by whitespace control.
        case text
        /// `{{` or `{{-`
        case outputOpen(trim: Bool)
        /// `}}` or `-}}`
        case outputClose(trim: Bool)
        /// `{%` or `{%-`
        case tagOpen(trim: Bool)
        /// `%}` or `-%}`
        case tagClose(trim: Bool)
        case name(String)
        /// A string literal, with its escapes decoded.
        case string(String)
        case integer(Int)
        case decimal(Double)
        case symbol(Symbol)
        /// Something the lexer has already reported; the parser skips the tag.
        case error
        case end
    }

    /// Punctuation and operators inside `{{ }}` and `{% %}`.
    enum Symbol: String, Sendable, CaseIterable {
        case dot = "."
        case comma = ","
        case leftParen = "("
        case rightParen = ")"
        case leftBracket = "["
        case rightBracket = "]"
        case pipe = "|"
        case assign = "="
        case equal = "=="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
        case plus = "+"
        case minus = "-"
        case star = "*"
        case slash = "/"
        case percent = "%"
        case tilde = "~"
    }

    var kind: Kind
    var range: SourceRange

    init(_ kind: Kind, _ start: Int, _ end: Int) {
        self.kind = kind
        self.range = SourceRange(start, end)
    }

    var isClose: Bool {
        switch kind {
        case .outputClose, .tagClose: return true
        default: return false
        }
    }
}

extension Token.Kind {
    /// How the token reads in messages ("found `%}`") and in lexer tests.
    var display: String {
        switch self {
        case .text: return "text"
        case .outputOpen(let trim): return trim ? "{{-" : "{{"
        case .outputClose(let trim): return trim ? "-}}" : "}}"
        case .tagOpen(let trim): return trim ? "{%-" : "{%"
        case .tagClose(let trim): return trim ? "-%}" : "%}"
        case .name(let name): return name
        case .string(let text): return Printer.quote(text)
        case .integer(let number): return String(number)
        case .decimal(let number): return String(number)
        case .symbol(let symbol): return symbol.rawValue
        case .error: return "error"
        case .end: return "the end of the template"
        }
    }
}
