import Diagnostics
import Foundation

/// Collects the diagnostics of one load; shared by the readers of every file.
final class Collector {
    private(set) var diagnostics: [Diagnostic] = []

    func add(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }
    func add(contentsOf list: [Diagnostic]) { diagnostics.append(contentsOf: list) }

    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// Typed access to the fields of one YAML mapping. Every problem becomes a
/// diagnostic at the value (or, when there is no value to point at, the
/// field name); a field with a problem reads as absent.
struct Fields {
    let file: SourceFile
    let pairs: [YAMLPair]
    /// Where a missing field is reported: the opening `---`, or the parent field's name.
    let missingAt: Range<Int>
    /// Prefix of field names in messages: "" at the top level, "geo." inside `geo`.
    /// Made only for a message, from the parent's prefix and the field's name.
    var path: String { group.isEmpty ? parentPath : parentPath + group + "." }
    private let parentPath: String
    /// The name of the field these fields are nested in; empty when `parentPath` says all.
    private let group: String
    /// Example lines for help texts, by field name (`summary` → `summary: One sentence …`).
    let examples: [String: String]
    let collector: Collector

    init(file: SourceFile, pairs: [YAMLPair], missingAt: Range<Int>, path: String = "",
         examples: [String: String], collector: Collector) {
        self.init(file: file, pairs: pairs, missingAt: missingAt, parentPath: path, group: "",
                  examples: examples, collector: collector)
    }

    private init(file: SourceFile, pairs: [YAMLPair], missingAt: Range<Int>, parentPath: String, group: String,
                 examples: [String: String], collector: Collector) {
        self.file = file
        self.pairs = pairs
        self.missingAt = missingAt
        self.parentPath = parentPath
        self.group = group
        self.examples = examples
        self.collector = collector
    }

    // MARK: Looking up

    func pair(_ name: String) -> YAMLPair? {
        let length = YAMLPair.asciiLength(name)
        for index in pairs.indices where pairs[index].hasKey(name, asciiLength: length) { return pairs[index] }
        return nil
    }

    /// `name` as shown in messages, with its parent: `geo.lat`.
    func display(_ name: String) -> String { "`\(path)\(name)`" }

    func example(_ name: String) -> String { examples[name] ?? "\(name): …" }

    /// The range a problem with a value points at: the value when it is written
    /// on the field's line, else the field name.
    static func target(_ pair: YAMLPair) -> Range<Int> {
        let value = pair.value
        if value.isNull || value.style == .indented || value.end <= value.start {
            return pair.keyStart..<max(pair.keyEnd, pair.keyStart + 1)
        }
        return value.start..<value.end
    }

    static func target(_ node: YAMLNode) -> Range<Int> { node.start..<max(node.end, node.start + 1) }

    func report(_ code: ContentCode, _ message: String, at range: Range<Int>, label: String? = nil,
                notes: [String] = [], help: String? = nil) {
        collector.add(Diagnostic(code, message, file: file, start: range.lowerBound, end: range.upperBound,
                                 label: label, notes: notes, help: help))
    }

    func reportMissing(_ name: String, help: String? = nil) {
        report(.missingField, "the required field \(display(name)) is missing", at: missingAt,
               help: help ?? "add a line such as: \(example(name))")
    }

    private func reportWrongType(_ pair: YAMLPair, expected: String, help: String? = nil) {
        report(.wrongType, "\(display(pair.key)) must be \(expected), not \(pair.value.kindDescription)",
               at: Self.target(pair), label: "expected \(expected)",
               help: help ?? "write it like this: \(example(pair.key))")
    }

    // MARK: Text

    /// A single line of text. Line breaks inside the value become spaces.
    /// - Parameter required: whether a missing or empty value is an error.
    func text(_ name: String, required: Bool = false) -> String? {
        guard let pair = pair(name) else {
            if required { reportMissing(name) }
            return nil
        }
        return text(of: pair, required: required)
    }

    func text(of pair: YAMLPair, required: Bool) -> String? {
        if pair.value.isNull {
            if required { reportEmpty(pair) }
            return nil
        }
        guard let raw = pair.value.scalar else {
            reportWrongType(pair, expected: "text")
            return nil
        }
        let value = Self.oneLine(raw)
        if value.isEmpty {
            if required { reportEmpty(pair) }
            return nil
        }
        return value
    }

    private func reportEmpty(_ pair: YAMLPair) {
        report(.emptyField, "\(display(pair.key)) is empty", at: pair.keyStart..<max(pair.keyEnd, pair.keyStart + 1),
               help: "write a value after `\(pair.key):`, such as: \(example(pair.key))")
    }

    /// Trims the text and joins its lines with single spaces.
    static func oneLine(_ text: String) -> String {
        if Whitespace.isOneTrimmedLine(text) { return text }
        let trimmed = Whitespace.trimSpacesAndNewlines(text)
        guard Whitespace.containsNewline(trimmed) else { return trimmed }
        return trimmed.split(whereSeparator: \.isNewline)
            .map { Whitespace.trimSpaces($0) }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
    }

    /// A list of short texts, with the node of each.
    /// - Parameter allowSingle: whether one text on its own counts as a list of one.
    func textList(_ name: String, allowSingle: Bool) -> [(text: String, node: YAMLNode)] {
        guard let pair = pair(name), !pair.value.isNull else { return [] }
        switch pair.value.value {
        case .scalar(let raw):
            guard allowSingle else {
                report(.wrongType, "\(display(name)) must be a list", at: Self.target(pair),
                       label: "this is text, not a list",
                       help: "write it as a list, such as: \(example(name))")
                return []
            }
            let value = Self.oneLine(raw)
            return value.isEmpty ? [] : [(value, pair.value)]
        case .map:
            report(.wrongType, "\(display(name)) must be a list, not a group of fields", at: Self.target(pair),
                   label: allowSingle ? "expected text or a list" : "expected a list",
                   help: "write it as a list, such as: \(example(name))")
            return []
        case .list(let items):
            var values: [(text: String, node: YAMLNode)] = []
            values.reserveCapacity(items.count)
            for item in items {
                if item.isNull {
                    reportEmptyItem(of: name, at: item)
                    continue
                }
                guard let raw = item.scalar else {
                    report(.wrongType, "each item of \(display(name)) must be text, not \(item.kindDescription)",
                           at: Self.target(item), label: "expected text",
                           help: "write one short text per item, such as: \(example(name))")
                    continue
                }
                let value = Self.oneLine(raw)
                if value.isEmpty {
                    reportEmptyItem(of: name, at: item)
                } else {
                    values.append((value, item))
                }
            }
            return values
        }
    }

    private func reportEmptyItem(of name: String, at item: YAMLNode) {
        report(.emptyListItem, "an item of \(display(name)) is empty, so it is left out", at: Self.target(item),
               label: "nothing here",
               help: "remove the empty item, or write what it should say, such as: \(example(name))")
    }

    // MARK: Other kinds of value

    /// `true` or `false` (also `yes` and `no`).
    func bool(_ name: String) -> Bool? {
        guard let pair = pair(name), !pair.value.isNull else { return nil }
        if let raw = pair.value.scalar {
            switch Whitespace.trimSpaces(raw).lowercased() {
            case "true", "yes", "on": return true
            case "false", "no", "off": return false
            default: break
            }
        }
        report(.wrongType, "\(display(name)) must be true or false", at: Self.target(pair),
               label: "expected true or false", help: "write \(path)\(name): true or \(path)\(name): false")
        return nil
    }

    /// A whole number within `range`.
    func integer(_ name: String, in range: ClosedRange<Int>) -> Int? {
        guard let pair = pair(name), !pair.value.isNull else { return nil }
        guard let raw = pair.value.scalar, let value = Int(Whitespace.trimSpaces(raw)) else {
            reportWrongType(pair, expected: "a whole number")
            return nil
        }
        guard range.contains(value) else {
            report(.outOfRange, "\(display(name)) must be between \(range.lowerBound) and \(range.upperBound)",
                   at: Self.target(pair), label: "out of range", help: "write it like this: \(example(name))")
            return nil
        }
        return value
    }

    /// A decimal number within `range`.
    func number(_ name: String, in range: ClosedRange<Double>) -> Double? {
        guard let pair = pair(name) else {
            reportMissing(name)
            return nil
        }
        // Written only for a message: most numbers are fine.
        var rangeText: String { "between \(Self.format(range.lowerBound)) and \(Self.format(range.upperBound))" }
        guard let raw = pair.value.scalar, !pair.value.isNull,
              let value = Self.decimal(Whitespace.trimSpaces(raw)), value.isFinite else {
            report(.wrongType, "\(display(name)) must be a number \(rangeText)", at: Self.target(pair),
                   label: "not a number", help: "write decimal degrees, such as: \(example(name))")
            return nil
        }
        guard range.contains(value) else {
            report(.outOfRange, "\(display(name)) must be a number \(rangeText)", at: Self.target(pair),
                   label: "out of range", help: "write decimal degrees, such as: \(example(name))")
            return nil
        }
        return value
    }

    /// `Double(text)`, worked out directly for the usual way of writing
    /// degrees: an optional `-`, digits, and a `.` and digits, fifteen digits
    /// at most. Such a number and the power of ten that divides it are
    /// exact doubles, so their quotient is the nearest double to the text,
    /// as `Double(text)` gives.
    static func decimal(_ text: String) -> Double? {
        let quick = text.utf8.withContiguousStorageIfAvailable { bytes -> Double? in
            var index = 0
            let negative = bytes.first == UInt8(ascii: "-")
            if negative { index = 1 }
            var digits: UInt64 = 0
            var count = 0
            var fraction = -1
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "."), fraction < 0 {
                    fraction = 0
                } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                    // More digits are left to `Double(text)`.
                    guard count < 15 else { return nil }
                    digits = digits * 10 + UInt64(byte - UInt8(ascii: "0"))
                    count += 1
                    if fraction >= 0 { fraction += 1 }
                } else {
                    return nil
                }
                index += 1
            }
            // Digits before the point and after it, and not too many.
            guard fraction >= 1, count > fraction else { return nil }
            let value = Double(digits) / powersOfTen[fraction]
            return negative ? -value : value
        }
        if let quick, let value = quick { return value }
        return Double(text)
    }

    private static let powersOfTen: [Double] = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15]

    private static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// A calendar date written `YYYY-MM-DD`.
    func date(_ name: String, required: Bool = false) -> String? {
        guard let pair = pair(name) else {
            if required { reportMissing(name) }
            return nil
        }
        if pair.value.isNull {
            if required { reportEmpty(pair) }
            return nil
        }
        guard let raw = pair.value.scalar else {
            reportWrongType(pair, expected: "a date")
            return nil
        }
        let text = Whitespace.trimSpaces(raw)
        switch CalendarDate.check(text) {
        case .valid:
            return text
        case .badShape(let suggestion):
            report(.invalidDate, "\(display(name)) must be a date written as YYYY-MM-DD", at: Self.target(pair),
                   label: suggestion.map { "did you mean `\($0)`?" } ?? "expected YYYY-MM-DD",
                   help: "write the year, month and day with hyphens, such as: \(example(name))")
        case .notACalendarDate(let reason):
            report(.invalidDate, "`\(text)` is not a real date", at: Self.target(pair), label: reason,
                   help: "check the day and the month; dates are written YYYY-MM-DD")
        }
        return nil
    }

    /// One of a fixed set of words, compared without regard to case.
    func choice(_ name: String, among choices: [String]) -> String? {
        guard let pair = pair(name), !pair.value.isNull else { return nil }
        guard let raw = pair.value.scalar else {
            reportWrongType(pair, expected: "one of \(Self.list(choices))")
            return nil
        }
        let value = Whitespace.trimSpaces(raw).lowercased()
        if choices.contains(value) { return value }
        let suggestion = Suggestions.closest(to: value, in: choices)
        report(.notAChoice, "\(display(name)) must be one of \(Self.list(choices)), not `\(raw)`",
               at: Self.target(pair), label: suggestion.map { "did you mean `\($0)`?" },
               help: "write one of: \(choices.joined(separator: ", "))")
        return nil
    }

    /// The fields of a nested group such as `geo: {lat: …, lon: …}`; nil (with a
    /// diagnostic) when the value is not a group of fields.
    func nested(_ name: String) -> Fields? {
        guard let pair = pair(name), !pair.value.isNull else { return nil }
        guard let inner = pair.value.map else {
            reportWrongType(pair, expected: "a group of fields")
            return nil
        }
        return Fields(file: file, pairs: inner, missingAt: pair.keyStart..<max(pair.keyEnd, pair.keyStart + 1),
                      parentPath: path, group: name, examples: examples, collector: collector)
    }

    /// Warns about every field not in `known`, suggesting the nearest known name.
    /// - Parameter what: what the fields belong to, for the help text ("an asset").
    func warnUnknown(known: [String], what: String) {
        warnUnknown(known: FieldNames(known), what: what)
    }

    func warnUnknown(known fieldNames: FieldNames, what: String) {
        let known = fieldNames.names
        for pair in pairs where !fieldNames.contains(pair) {
            let suggestion = Suggestions.closest(to: pair.key, in: known)
            report(.unknownField, "Kith does not know the field \(display(pair.key))",
                   at: pair.keyStart..<max(pair.keyEnd, pair.keyStart + 1),
                   label: suggestion.map { "did you mean `\($0)`?" },
                   help: "check the spelling or remove the line; the fields of \(what) are: \(known.joined(separator: ", "))")
        }
    }

    /// `a`, `a or b`, `a, b or c`, each in backticks.
    static func list(_ words: [String]) -> String {
        let quoted = words.map { "`\($0)`" }
        guard quoted.count > 1 else { return quoted.first ?? "" }
        return quoted.dropLast().joined(separator: ", ") + " or " + quoted[quoted.count - 1]
    }
}

/// The field names a reader knows, with `YAMLPair.asciiLength` of each worked out once.
struct FieldNames: Sendable {
    let names: [String]
    private let lengths: [Int]

    init(_ names: [String]) {
        self.names = names
        lengths = names.map(YAMLPair.asciiLength)
    }

    /// Whether the key of `pair` is one of the names.
    func contains(_ pair: YAMLPair) -> Bool {
        names.indices.contains { pair.hasKey(names[$0], asciiLength: lengths[$0]) }
    }
}

/// Dates written `YYYY-MM-DD` that exist on the calendar.
enum CalendarDate {
    enum Check: Equatable {
        case valid
        /// Not written as YYYY-MM-DD; a corrected spelling when one is obvious (`2026-3-4` → `2026-03-04`).
        case badShape(suggestion: String?)
        /// Written right but not a real day, with the reason.
        case notACalendarDate(String)
    }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August",
                             "September", "October", "November", "December"]

    static func check(_ text: String) -> Check {
        // The usual shape, read straight from its ten bytes; the same checks as below with `exact` true.
        if let (year, month, day) = tenByteDate(text) {
            guard (1...12).contains(month) else { return .notACalendarDate("there is no month \(month)") }
            let length = days(inMonth: month, year: year)
            guard (1...length).contains(day) else {
                return .notACalendarDate("\(monthNames[month - 1]) \(year) has \(length) days")
            }
            return .valid
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else {
            return .badShape(suggestion: nil)
        }
        let exact = parts[0].count == 4 && parts[1].count == 2 && parts[2].count == 2
        guard (1...12).contains(month) else {
            return exact ? .notACalendarDate("there is no month \(month)") : .badShape(suggestion: nil)
        }
        let length = days(inMonth: month, year: year)
        guard (1...length).contains(day) else {
            let reason = "\(monthNames[month - 1]) \(year) has \(length) days"
            return exact ? .notACalendarDate(reason) : .badShape(suggestion: nil)
        }
        guard exact else {
            guard parts[0].count == 4, parts[1].count <= 2, parts[2].count <= 2 else { return .badShape(suggestion: nil) }
            return .badShape(suggestion: String(format: "%04d-%02d-%02d", year, month, day))
        }
        return .valid
    }

    /// Year, month and day of text that is exactly four ASCII digits, `-`, two digits, `-`, two digits.
    private static func tenByteDate(_ text: String) -> (year: Int, month: Int, day: Int)? {
        let utf8 = text.utf8
        guard utf8.count == 10 else { return nil }
        var year = 0, month = 0, day = 0
        for (index, byte) in utf8.enumerated() {
            if index == 4 || index == 7 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let digit = Int(byte - UInt8(ascii: "0"))
            if index < 4 {
                year = year * 10 + digit
            } else if index < 7 {
                month = month * 10 + digit
            } else {
                day = day * 10 + digit
            }
        }
        return (year, month, day)
    }

    static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11:
            return 30
        default:
            return 31
        }
    }
}
