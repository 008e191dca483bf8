/// Prints diagnostics for people, in one of two styles.
///
/// `.compact` (the default, used by `kith build`) starts with the
/// `path:line:column: severity: message` form that editors and CI logs recognise:
///
/// ```
/// content/assets/garden.md:14:9: error: unknown connection target `nrthside-library` [K012]
///    |
/// 14 |   - to: nrthside-library
///    |         ^^^^^^^^^^^^^^^^ did you mean `northside-library`?
///    = help: check the spelling of the slug (the file name without .md)
/// ```
///
/// `.detailed` (used by `kith check`) leads with the severity and code, puts
/// the position on a line of its own, and sets notes and help apart:
///
/// ```
/// error[K012]: unknown connection target `nrthside-library`
///   --> content/assets/garden.md:14:9
///    |
/// 14 |   - to: nrthside-library
///    |         ^^^^^^^^^^^^^^^^ did you mean `northside-library`?
///    |
///    = help: check the spelling of the slug (the file name without .md)
/// ```
public struct DiagnosticRenderer: Sendable {
    public enum Style: Sendable, Hashable {
        /// `path:line:column: error: message [CODE]`, then the quoted line.
        case compact
        /// `error[CODE]: message`, then `--> path:line:column`, then the quoted line.
        case detailed
    }

    public let style: Style

    public init(style: Style = .compact) {
        self.style = style
    }

    public func render(_ diagnostic: Diagnostic) -> String {
        let gutterWidth = String(diagnostic.location?.line ?? 0).count
        let pad = String(repeating: " ", count: gutterWidth)
        var out: String
        switch style {
        case .compact:
            out = "\(diagnostic.position): \(diagnostic.severity.rawValue): \(diagnostic.message) [\(diagnostic.code)]\n"
        case .detailed:
            out = "\(diagnostic.severity.rawValue)[\(diagnostic.code)]: \(diagnostic.message)\n"
            if diagnostic.path != nil { out += "\(pad)--> \(diagnostic.position)\n" }
        }
        let snippet = Self.snippet(diagnostic, pad: pad)
        out += snippet
        if style == .detailed, !snippet.isEmpty, !diagnostic.notes.isEmpty || diagnostic.help != nil {
            out += "\(pad) |\n"
        }
        for note in diagnostic.notes {
            out += "\(pad) = note: \(note)\n"
        }
        if let help = diagnostic.help {
            out += "\(pad) = help: \(help)\n"
        }
        return out
    }

    /// The quoted line with a caret underline and the label, or "" when the
    /// diagnostic has no line to quote.
    private static func snippet(_ diagnostic: Diagnostic, pad: String) -> String {
        guard let location = diagnostic.location, let line = diagnostic.sourceLine else { return "" }
        var out = ""
        let shown = expandTabs(line)
        out += "\(pad) |\n"
        out += "\(location.line) | \(shown)\n"
        // Compute the caret column over Unicode scalars of the original line,
        // expanding tabs the same way the quoted line was expanded.
        let scalars = Array(line.unicodeScalars)
        let prefixScalars = scalars.prefix(max(0, location.column - 1))
        let prefixWidth = expandTabs(String(String.UnicodeScalarView(prefixScalars))).unicodeScalars.count
        let caretCount = max(1, min(diagnostic.width, max(1, scalars.count - (location.column - 1))))
        out += "\(pad) | " + String(repeating: " ", count: prefixWidth) + String(repeating: "^", count: caretCount)
        if let label = diagnostic.label { out += " " + label }
        out += "\n"
        return out
    }

    /// Renders a list, sorted, with a closing count line.
    public func render(all diagnostics: [Diagnostic]) -> String {
        let sorted = DiagnosticBag.sort(diagnostics)
        var out = sorted.map(render).joined(separator: "\n")
        let counts = Self.counts(sorted)
        if !counts.isEmpty { out += "\n" + counts + "\n" }
        return out
    }

    /// `2 errors, 1 warning`; "" for an empty list.
    public static func counts(_ diagnostics: [Diagnostic]) -> String {
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.count - errors
        var parts: [String] = []
        if errors > 0 { parts.append("\(errors) error\(errors == 1 ? "" : "s")") }
        if warnings > 0 { parts.append("\(warnings) warning\(warnings == 1 ? "" : "s")") }
        return parts.joined(separator: ", ")
    }

    static func expandTabs(_ line: String) -> String {
        guard line.contains("\t") else { return line }
        var out = ""
        for scalar in line.unicodeScalars {
            if scalar == "\t" { out += "    " } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }
}
