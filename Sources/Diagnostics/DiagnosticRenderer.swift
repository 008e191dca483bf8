/// Prints diagnostics for people:
///
/// ```
/// content/assets/garden.md:14:9: error: unknown connection target `nrthside-library` [K012]
///    |
/// 14 |   - to: nrthside-library
///    |         ^^^^^^^^^^^^^^^^ did you mean `northside-library`?
///    = help: check the spelling of the slug (the file name without .md)
/// ```
///
/// The first line is the `path:line:column: severity: message` form that
/// editors and CI logs recognise.
public struct DiagnosticRenderer: Sendable {
    public init() {}

    public func render(_ diagnostic: Diagnostic) -> String {
        var out = "\(diagnostic.position): \(diagnostic.severity.rawValue): \(diagnostic.message) [\(diagnostic.code)]\n"
        let gutterWidth = String(diagnostic.location?.line ?? 0).count
        let pad = String(repeating: " ", count: gutterWidth)
        if let location = diagnostic.location, let line = diagnostic.sourceLine {
            let shown = Self.expandTabs(line)
            out += "\(pad) |\n"
            out += "\(location.line) | \(shown)\n"
            // Compute the caret column over Unicode scalars of the original line,
            // expanding tabs the same way the quoted line was expanded.
            let scalars = Array(line.unicodeScalars)
            let prefixScalars = scalars.prefix(max(0, location.column - 1))
            let prefixWidth = Self.expandTabs(String(String.UnicodeScalarView(prefixScalars))).unicodeScalars.count
            let caretCount = max(1, min(diagnostic.width, max(1, scalars.count - (location.column - 1))))
            out += "\(pad) | " + String(repeating: " ", count: prefixWidth) + String(repeating: "^", count: caretCount)
            if let label = diagnostic.label { out += " " + label }
            out += "\n"
        }
        for note in diagnostic.notes {
            out += "\(pad) = note: \(note)\n"
        }
        if let help = diagnostic.help {
            out += "\(pad) = help: \(help)\n"
        }
        return out
    }

    /// Renders a list, sorted, with a closing count line.
    public func render(all diagnostics: [Diagnostic]) -> String {
        let sorted = DiagnosticBag.sort(diagnostics)
        var out = sorted.map(render).joined(separator: "\n")
        let errors = sorted.filter { $0.severity == .error }.count
        let warnings = sorted.count - errors
        var parts: [String] = []
        if errors > 0 { parts.append("\(errors) error\(errors == 1 ? "" : "s")") }
        if warnings > 0 { parts.append("\(warnings) warning\(warnings == 1 ? "" : "s")") }
        if !parts.isEmpty { out += "\n" + parts.joined(separator: ", ") + "\n" }
        return out
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
