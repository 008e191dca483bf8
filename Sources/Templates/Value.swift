/// A value a template works with: what the site builder passes in as the
/// context, and what every expression evaluates to.
///
/// Text comes in two kinds. `string` is plain text and is HTML-escaped when it
/// is printed; `safe` is HTML that is printed as it is (rendered Markdown, the
/// result of the `safe` and `escape` filters).
public enum Value: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    /// Plain text, escaped when printed.
    case string(String)
    /// HTML that must not be escaped again.
    case safe(String)
    case array([Value])
    /// Named fields, in the order they were set.
    case object(Object)
}

extension Value: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension Value: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self = .int(value) }
}

extension Value: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) { self = .double(value) }
}

extension Value: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension Value: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: Value...) { self = .array(elements) }
}

extension Value: ExpressibleByDictionaryLiteral {
    /// Later entries win when a key is repeated.
    public init(dictionaryLiteral elements: (String, Value)...) {
        self = .object(Object(pairs: elements))
    }
}

extension Value: ExpressibleByNilLiteral {
    public init(nilLiteral: ()) { self = .null }
}

// MARK: - What the language needs to know about values

extension Value {
    /// Whether the value counts as true in a condition: `null`, `false`, `0`,
    /// `""`, `[]` and `{}` are false, everything else is true.
    var isTruthy: Bool {
        switch self {
        case .null: return false
        case .bool(let flag): return flag
        case .int(let number): return number != 0
        case .double(let number): return number != 0
        case .string(let text), .safe(let text): return !text.isEmpty
        case .array(let items): return !items.isEmpty
        case .object(let fields): return !fields.isEmpty
        }
    }

    /// The text of a `string` or `safe` value; nil for anything else.
    var textValue: String? {
        switch self {
        case .string(let text), .safe(let text): return text
        default: return nil
        }
    }

    var isSafe: Bool {
        if case .safe = self { return true }
        return false
    }

    /// The name of the value's kind, as error messages say it.
    var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int: return "a whole number"
        case .double: return "a decimal number"
        case .string, .safe: return "text"
        case .array: return "a list"
        case .object: return "an object"
        }
    }

    /// The value as text, the way `{{ }}` prints it before escaping: numbers
    /// naturally, booleans as `true`/`false`, null as nothing, lists and
    /// objects as JSON.
    var plainText: String {
        switch self {
        case .null: return ""
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number): return Value.format(number)
        case .string(let text), .safe(let text): return text
        case .array, .object: return JSON.encode(self)
        }
    }

    /// A decimal number in its shortest form: `2` for 2.0, `0.1`, `1e+20`.
    static func format(_ number: Double) -> String {
        if number.isNaN { return "NaN" }
        if number.isInfinite { return number < 0 ? "-inf" : "inf" }
        if number == number.rounded(.towardZero), abs(number) < 1e15 {
            return String(Int(number))
        }
        return number.description
    }

    /// `==` of the template language: structural, with whole and decimal
    /// numbers compared by value and plain and safe text compared by text.
    func looselyEquals(_ other: Value) -> Bool {
        switch (self, other) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.int(let a), .double(let b)): return Double(a) == b
        case (.double(let a), .int(let b)): return a == Double(b)
        case (.double(let a), .double(let b)): return a == b
        case (.string(let a), .string(let b)), (.string(let a), .safe(let b)),
             (.safe(let a), .string(let b)), (.safe(let a), .safe(let b)):
            return a == b
        case (.array(let a), .array(let b)):
            guard a.count == b.count else { return false }
            for index in a.indices where !a[index].looselyEquals(b[index]) { return false }
            return true
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            for (key, value) in a {
                guard let match = b[key], value.looselyEquals(match) else { return false }
            }
            return true
        default:
            return false
        }
    }
}
