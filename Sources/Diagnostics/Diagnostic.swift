/// One problem found in the input, in the single shape every module uses:
/// front matter, Markdown links, templates and the connection map alike.
///
/// A diagnostic that points into a file carries the quoted source line, so
/// it can be printed long after the file is gone.
public struct Diagnostic: Error, Sendable, Hashable {
    public enum Severity: String, Sendable, Hashable, Comparable {
        case error
        case warning

        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            lhs == .error && rhs == .warning
        }
    }

    /// A stable code such as `K012`, documented in docs/errors.md.
    public var code: String
    public var severity: Severity
    /// One sentence saying what is wrong, without a final full stop.
    public var message: String
    /// The file, relative to the site root; nil for problems with no file.
    public var path: String?
    /// Where the problem starts; nil when the whole file is meant.
    public var location: SourceLocation?
    /// How many columns the caret underline spans (at least 1).
    public var width: Int
    /// The text of the line at `location`, quoted under the message.
    public var sourceLine: String?
    /// Text written beside the caret (e.g. "did you mean `garden`?").
    public var label: String?
    /// Further context: the include chain of a template, an earlier definition.
    public var notes: [String]
    /// How to fix it, in words a volunteer can act on.
    public var help: String?

    public init(
        code: String,
        severity: Severity = .error,
        message: String,
        path: String? = nil,
        location: SourceLocation? = nil,
        width: Int = 1,
        sourceLine: String? = nil,
        label: String? = nil,
        notes: [String] = [],
        help: String? = nil
    ) {
        self.code = code
        self.severity = severity
        self.message = message
        self.path = path
        self.location = location
        self.width = max(1, width)
        self.sourceLine = sourceLine
        self.label = label
        self.notes = notes
        self.help = help
    }

    /// A diagnostic at a byte range of a source file; the line is quoted from it.
    /// - Parameters:
    ///   - start: UTF-8 offset where the problem starts.
    ///   - end: UTF-8 offset just past it (on the same line for a useful underline).
    public init(
        code: String,
        severity: Severity = .error,
        message: String,
        file: SourceFile,
        start: Int,
        end: Int? = nil,
        label: String? = nil,
        notes: [String] = [],
        help: String? = nil
    ) {
        let begin = file.location(of: start)
        var width = 1
        if let end, end > start {
            let finish = file.location(of: end)
            if finish.line == begin.line { width = finish.column - begin.column }
            else { width = file.line(begin.line).unicodeScalars.count - begin.column + 1 }
        }
        self.init(
            code: code, severity: severity, message: message, path: file.path,
            location: begin, width: width, sourceLine: file.line(begin.line),
            label: label, notes: notes, help: help)
    }

    /// A diagnostic at a 1-based line and column of a source file.
    public init(
        code: String,
        severity: Severity = .error,
        message: String,
        file: SourceFile,
        line: Int,
        column: Int,
        width: Int = 1,
        label: String? = nil,
        notes: [String] = [],
        help: String? = nil
    ) {
        self.init(
            code: code, severity: severity, message: message, path: file.path,
            location: SourceLocation(line: line, column: column), width: width,
            sourceLine: file.line(line), label: label, notes: notes, help: help)
    }

    /// `path:line:column` (or as much of it as is known).
    public var position: String {
        var text = path ?? "<input>"
        if let location { text += ":\(location.line):\(location.column)" }
        return text
    }
}

extension Diagnostic: CustomStringConvertible {
    public var description: String { DiagnosticRenderer().render(self) }
}

/// Several diagnostics thrown together: a stage reports everything it found.
public struct DiagnosticList: Error, Sendable {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public var errorCount: Int { diagnostics.filter { $0.severity == .error }.count }
}

/// Collects diagnostics as a stage runs.
public struct DiagnosticBag: Sendable {
    public private(set) var diagnostics: [Diagnostic] = []

    public init() {}

    public mutating func add(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }
    public mutating func add(contentsOf other: [Diagnostic]) { diagnostics.append(contentsOf: other) }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// Diagnostics in a stable order: by path, then position, then message.
    public var sorted: [Diagnostic] { Self.sort(diagnostics) }

    public static func sort(_ list: [Diagnostic]) -> [Diagnostic] {
        list.enumerated().sorted { a, b in
            let l = a.element, r = b.element
            if (l.path ?? "") != (r.path ?? "") { return (l.path ?? "") < (r.path ?? "") }
            let ll = l.location ?? SourceLocation(line: 0, column: 0)
            let rl = r.location ?? SourceLocation(line: 0, column: 0)
            if ll != rl { return ll < rl }
            return a.offset < b.offset
        }.map(\.element)
    }
}
