import Diagnostics

/// The filters of the template language (docs/templates.md), resolved from
/// their names when a template is parsed, so an unknown filter is reported
/// before anything is rendered.
enum Filter: String, CaseIterable, Sendable {
    case `default`, date, lower, upper, capitalize, trim, join, length, truncate, slugify
    case json, safe, escape, markdown, relative, first, last, reverse, take, sort, replace

    /// How many arguments the filter takes.
    var arity: ClosedRange<Int> {
        switch self {
        case .default, .truncate, .take: return 1...1
        case .date, .join, .sort: return 0...1
        case .replace: return 2...2
        default: return 0...0
        }
    }

    /// Applies the filter.
    /// - Parameters:
    ///   - input: the value left of the `|`.
    ///   - arguments: the evaluated arguments.
    ///   - range: where the filter's name is, for errors.
    /// - Throws: `TemplateError` for a wrong argument count or kind.
    func apply(to input: Value, _ arguments: [Value], environment: RenderEnvironment, at range: SourceRange) throws -> Value {
        guard arity.contains(arguments.count) else {
            throw TemplateError(.filterArgumentCount(filter: rawValue, expected: Self.describe(arity), got: arguments.count), range)
        }
        switch self {
        case .default:
            switch input {
            case .null: return arguments[0]
            case .string(let text), .safe(let text): return text.isEmpty ? arguments[0] : input
            case .array(let items): return items.isEmpty ? arguments[0] : input
            case .object(let fields): return fields.isEmpty ? arguments[0] : input
            default: return input
            }

        case .date:
            guard let text = try text(of: input, at: range) else { return .null }
            let format = try arguments.isEmpty ? "%-d %B %Y" : textArgument(arguments[0], "format", at: range)
            guard let date = CalendarDate(parsing: text) else { throw TemplateError(.invalidDate(text), range) }
            switch date.formatted(format) {
            case .success(let formatted): return .string(formatted)
            case .failure(let unknown): throw TemplateError(.invalidDateFormat(unknown.code), range)
            }

        case .lower:
            return try mapText(input, at: range) { $0.lowercased() }
        case .upper:
            return try mapText(input, at: range) { $0.uppercased() }
        case .capitalize:
            return try mapText(input, at: range) { text in
                guard let first = text.first else { return text }
                return first.uppercased() + text.dropFirst().lowercased()
            }
        case .trim:
            return try mapText(input, at: range) { Self.trimmed($0) }
        case .slugify:
            return try mapText(input, at: range) { Slug.make($0) }

        case .join:
            let separator = try arguments.isEmpty ? ", " : textArgument(arguments[0], "separator", at: range)
            switch input {
            case .null: return .null
            case .array(let items): return Self.join(items, separator: separator)
            case .string, .safe: return input
            default: throw TemplateError(.filterType(filter: rawValue, problem: "joins a list, not \(input.kindName)"), range)
            }

        case .length:
            switch input {
            case .null: return .int(0)
            case .string(let text), .safe(let text): return .int(text.count)
            case .array(let items): return .int(items.count)
            case .object(let fields): return .int(fields.count)
            default: throw TemplateError(.filterType(filter: rawValue, problem: "counts a list, text or object, not \(input.kindName)"), range)
            }

        case .truncate:
            let limit = try countArgument(arguments[0], at: range)
            return try mapText(input, at: range) { Self.truncate($0, to: limit) }

        case .json:
            return .string(JSON.encode(input))
        case .safe:
            switch input {
            case .null, .safe: return input
            default: return .safe(input.plainText)
            }
        case .escape:
            if case .null = input { return .null }
            return .safe(HTML.escaped(input.plainText))
        case .markdown:
            guard let markdown = environment.markdown else { throw TemplateError(.markdownUnavailable, range) }
            guard let text = try text(of: input, at: range) else { return .null }
            return .safe(markdown(text))
        case .relative:
            guard let text = try text(of: input, at: range) else { return .null }
            return .string(SitePath.relative(text, from: environment.currentPath, indexFile: environment.indexFile))

        case .first, .last:
            switch input {
            case .null: return .null
            case .array(let items): return (self == .first ? items.first : items.last) ?? .null
            case .string(let text), .safe(let text):
                guard let character = self == .first ? text.first : text.last else { return .null }
                return .string(String(character))
            default: throw TemplateError(.filterType(filter: rawValue, problem: "needs a list or text, not \(input.kindName)"), range)
            }
        case .reverse:
            switch input {
            case .null: return .null
            case .array(let items): return .array(items.reversed())
            case .string(let text), .safe(let text): return .string(String(text.reversed()))
            default: throw TemplateError(.filterType(filter: rawValue, problem: "needs a list or text, not \(input.kindName)"), range)
            }
        case .take:
            let count = try countArgument(arguments[0], at: range)
            switch input {
            case .null: return .null
            case .array(let items): return .array(Array(items.prefix(count)))
            default: throw TemplateError(.filterType(filter: rawValue, problem: "needs a list, not \(input.kindName)"), range)
            }
        case .sort:
            let field = try arguments.isEmpty ? nil : textArgument(arguments[0], "field name", at: range)
            switch input {
            case .null: return .null
            case .array(let items): return .array(Self.sorted(items, by: field))
            default: throw TemplateError(.filterType(filter: rawValue, problem: "needs a list, not \(input.kindName)"), range)
            }
        case .replace:
            let target = try textArgument(arguments[0], "text to replace", at: range)
            let replacement = try textArgument(arguments[1], "replacement", at: range)
            return try mapText(input, at: range) { Self.replace(target, with: replacement, in: $0) }
        }
    }

    // MARK: Inputs and arguments

    /// The text of the input: nil for null, numbers and booleans as printed, an error for lists and objects.
    private func text(of input: Value, at range: SourceRange) throws -> String? {
        switch input {
        case .null: return nil
        case .string(let text), .safe(let text): return text
        case .bool, .int, .double: return input.plainText
        case .array, .object:
            throw TemplateError(.filterType(filter: rawValue, problem: "works on text, not \(input.kindName)"), range)
        }
    }

    /// Applies a text transformation; null stays null, the result is plain text.
    private func mapText(_ input: Value, at range: SourceRange, _ transform: (String) -> String) throws -> Value {
        guard let text = try text(of: input, at: range) else { return .null }
        return .string(transform(text))
    }

    private func textArgument(_ argument: Value, _ role: String, at range: SourceRange) throws -> String {
        if let text = argument.textValue { return text }
        throw TemplateError(.filterType(filter: rawValue, problem: "needs text as its \(role), not \(argument.kindName)"), range)
    }

    /// A count argument: a whole number, zero or more.
    private func countArgument(_ argument: Value, at range: SourceRange) throws -> Int {
        switch argument {
        case .int(let number) where number >= 0:
            return number
        case .double(let number) where number >= 0 && number == number.rounded() && number < 1e15:
            return Int(number)
        case .int, .double:
            throw TemplateError(.filterType(filter: rawValue, problem: "needs a whole number, zero or more, not \(argument.plainText)"), range)
        default:
            throw TemplateError(.filterType(filter: rawValue, problem: "needs a whole number, zero or more, not \(argument.kindName)"), range)
        }
    }

    private static func describe(_ arity: ClosedRange<Int>) -> String {
        switch (arity.lowerBound, arity.upperBound) {
        case (0, 0): return "no arguments"
        case (0, 1): return "at most one argument"
        case (1, 1): return "one argument"
        case (2, 2): return "two arguments"
        case (let low, let high): return "\(low) to \(high) arguments"
        }
    }

    // MARK: Implementations

    static func trimmed(_ text: String) -> String {
        var scalars = Substring(text).unicodeScalars
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }

    /// At most `limit` characters including the `…`. When the cut falls
    /// inside a word, it moves back to the last space in the second half of
    /// the kept text, if there is one.
    static func truncate(_ text: String, to limit: Int) -> String {
        let characters = Array(text)
        guard characters.count > limit else { return text }
        let keep = limit - 1
        guard keep > 0 else { return limit == 1 ? "…" : "" }
        var cut = keep
        if !characters[keep].isWhitespace, !characters[keep - 1].isWhitespace,
           let space = characters[(keep / 2)..<keep].lastIndex(where: \.isWhitespace) {
            cut = space
        }
        while cut > 0, characters[cut - 1].isWhitespace || ",;:".contains(characters[cut - 1]) { cut -= 1 }
        return String(characters[..<cut]) + "…"
    }

    /// Joins items as text. If any item is safe HTML, the others and the
    /// separator are escaped and the result is safe; otherwise it is plain text.
    static func join(_ items: [Value], separator: String) -> Value {
        let anySafe = items.contains { $0.isSafe }
        var output = ""
        for (position, item) in items.enumerated() {
            if position > 0 { output += anySafe ? HTML.escaped(separator) : separator }
            output += anySafe && !item.isSafe ? HTML.escaped(item.plainText) : item.plainText
        }
        return anySafe ? .safe(output) : .string(output)
    }

    /// Every occurrence of `target` replaced, searching UTF-8 bytes.
    static func replace(_ target: String, with replacement: String, in text: String) -> String {
        let needle = Array(target.utf8)
        guard !needle.isEmpty else { return text }
        let haystack = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(haystack.count)
        var index = 0
        while index < haystack.count {
            if haystack[index] == needle[0], index + needle.count <= haystack.count,
               haystack[index..<index + needle.count].elementsEqual(needle) {
                output.append(contentsOf: replacement.utf8)
                index += needle.count
            } else {
                output.append(haystack[index])
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// A stable sort: numbers by value, text by text, null first, and items of
    /// different kinds grouped by kind. With `field`, objects are compared by that field.
    static func sorted(_ items: [Value], by field: String?) -> [Value] {
        func key(_ item: Value) -> Value {
            guard let field else { return item }
            if case .object(let fields) = item { return fields[field] ?? .null }
            return .null
        }
        let keyed = items.enumerated().map { (offset: $0.offset, key: key($0.element), item: $0.element) }
        return keyed.sorted { left, right in
            switch Self.order(left.key, right.key) {
            case .some(let before): return before
            case .none: return left.offset < right.offset
            }
        }.map(\.item)
    }

    /// Whether `left` sorts before `right`; nil when they are equal for sorting.
    private static func order(_ left: Value, _ right: Value) -> Bool? {
        func rank(_ value: Value) -> Int {
            switch value {
            case .null: return 0
            case .bool: return 1
            case .int, .double: return 2
            case .string, .safe: return 3
            case .array: return 4
            case .object: return 5
            }
        }
        let (leftRank, rightRank) = (rank(left), rank(right))
        if leftRank != rightRank { return leftRank < rightRank }
        switch (left, right) {
        case (.bool(let a), .bool(let b)): return a == b ? nil : !a
        case (.int(let a), .int(let b)): return a == b ? nil : a < b
        case (.int, _), (.double, _):
            let a = Renderer.number(left)!, b = Renderer.number(right)!
            return a == b ? nil : a < b
        default:
            if let a = left.textValue, let b = right.textValue { return a == b ? nil : a < b }
            return nil
        }
    }
}
