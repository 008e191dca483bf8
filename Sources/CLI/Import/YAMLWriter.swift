import Foundation

/// A value of front matter written by the importer.
enum YAMLValue: Sendable, Equatable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case list([YAMLValue])
    /// Fields in the order they are written.
    case map([(String, YAMLValue)])

    static func == (lhs: YAMLValue, rhs: YAMLValue) -> Bool {
        switch (lhs, rhs) {
        case let (.string(a), .string(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.bool(a), .bool(b)): return a == b
        case let (.list(a), .list(b)): return a == b
        case let (.map(a), .map(b)): return a.map(\.0) == b.map(\.0) && a.map(\.1) == b.map(\.1)
        default: return false
        }
    }

    /// Whether writing the value would write nothing (an empty text, list or group).
    var isEmpty: Bool {
        switch self {
        case .string(let text): return text.isEmpty
        case .list(let items): return items.isEmpty
        case .map(let pairs): return pairs.isEmpty
        case .number, .bool: return false
        }
    }
}

/// A small YAML emitter for front matter: block-style maps and lists, every
/// string double-quoted with YAML escapes, so no value can be read as another
/// type (`no`, `1.0`, `2026-01-01`), a comment, an anchor or a second field.
///
/// Field names are written plain; they are the importer's own names and are
/// checked to be lowercase words.
enum YAMLWriter {
    /// The front matter lines (without the `---` delimiters), each ending in `\n`.
    static func write(_ fields: [(String, YAMLValue)]) -> String {
        var out = ""
        writeMap(fields, indent: 0, into: &out)
        return out
    }

    private static func writeMap(_ fields: [(String, YAMLValue)], indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for (key, value) in fields where !value.isEmpty {
            precondition(key.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || $0 == "_" || ("0"..."9").contains($0) } && !key.isEmpty,
                         "front matter keys are plain lowercase words")
            switch value {
            case .string, .number, .bool:
                out += "\(pad)\(key): \(scalar(value))\n"
            case .list(let items):
                out += "\(pad)\(key):\n"
                writeList(items, indent: indent + 2, into: &out)
            case .map(let pairs):
                out += "\(pad)\(key):\n"
                writeMap(pairs, indent: indent + 2, into: &out)
            }
        }
    }

    private static func writeList(_ items: [YAMLValue], indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for item in items where !item.isEmpty {
            switch item {
            case .string, .number, .bool:
                out += "\(pad)- \(scalar(item))\n"
            case .map(let pairs):
                // The first field goes on the dash line, the others under it.
                var nested = ""
                writeMap(pairs, indent: indent + 2, into: &nested)
                let body = nested.dropFirst(indent + 2)
                out += "\(pad)- \(body)"
            case .list(let inner):
                out += "\(pad)-\n"
                writeList(inner, indent: indent + 2, into: &out)
            }
        }
    }

    private static func scalar(_ value: YAMLValue) -> String {
        switch value {
        case .string(let text): return quoted(text)
        case .number(let number): return format(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .list, .map: return ""
        }
    }

    /// A double-quoted YAML string. Escaped: `\` and `"`, every control
    /// character, DEL, the C1 controls, the byte order mark and the Unicode
    /// line and paragraph separators, so the value stays on one line.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\u{85}": out += "\\N"
            case "\u{2028}": out += "\\L"
            case "\u{2029}": out += "\\P"
            case "\u{FEFF}": out += "\\uFEFF"
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                    out += String(format: "\\x%02X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Decimal notation with at most seven decimals (about 1 cm for degrees), no exponent.
    static func format(_ number: Double) -> String {
        guard number.isFinite else { return "0" }
        var text = String(format: "%.7f", number)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        if text == "-0" { text = "0" }
        return text
    }
}
