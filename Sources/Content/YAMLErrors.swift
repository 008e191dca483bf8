import Diagnostics
import Foundation
import Yams

/// Errors Yams throws, turned into diagnostics in words for volunteers.
extension TreeBuilder {
    /// The diagnostic for one error Yams threw.
    mutating func diagnostic(for error: YamlError, yaml: String) -> Diagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            return syntaxDiagnostic(problem: problem, mark: mark, context: context)
        case .reader(let problem, let characterOffset, let value, _):
            var offset = positions.base
            if let characterOffset,
               let index = yaml.index(yaml.startIndex, offsetBy: characterOffset, limitedBy: yaml.endIndex) {
                offset += yaml.utf8.distance(from: yaml.startIndex, to: index)
            }
            let character = value >= 0 ? " (U+" + String(format: "%04X", Int(value)) + ")" : ""
            return Diagnostic(
                .yamlSyntax, "\(what) contains a character that YAML does not allow\(character)",
                file: file, start: offset, label: problem,
                help: "delete the character; invisible characters like this often come from copying text out of a word processor")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let start = positions.offset(of: context.mark)
            let names = duplicates.map { "`\($0)`" }.joined(separator: ", ")
            let first = duplicates.first ?? ""
            return Diagnostic(
                .duplicateField, duplicates.count == 1
                    ? "the field `\(first)` is given more than once in the same group"
                    : "the fields \(names) are given more than once in the same group",
                file: file, start: start, end: start + max(1, first.utf8.count),
                label: "first given here",
                help: "keep one `\(first):` line and delete the others")
        default:
            return Diagnostic(.yamlSyntax, "\(what) could not be read as YAML: \(error)", file: file,
                              start: positions.base)
        }
    }

    private mutating func syntaxDiagnostic(problem: String, mark: Mark, context: YamlError.Context?) -> Diagnostic {
        let problemOffset = positions.offset(of: mark)
        let contextOffset = context.map { positions.offset(of: $0.mark) }
        let contextText = context?.text ?? ""
        var start = problemOffset
        var message = "\(what) is not valid YAML: \(problem)"
        var label: String?
        var help = "check the quotes and the indentation near this point; values that contain `: ` or start with a symbol need quotes"
        var notes: [String] = []
        let character = problemOffset < fileBytes.count ? fileBytes[problemOffset] : 0

        if contextText.contains("quoted scalar"), let contextOffset {
            start = contextOffset
            message = "\(what) has a quoted value that is never closed"
            label = "this quote is not closed"
            help = "add the matching closing quote mark at the end of the value"
        } else if contextText.contains("simple key"), let contextOffset {
            start = contextOffset
            message = "\(what) has a line without `:` between a field name and its value"
            help = "write each field as `name: value`, or put text that runs over several lines in quotes"
        } else if problem.contains("mapping values are not allowed") {
            message = "\(what) has a `: ` that YAML reads as the start of another field"
            label = "unexpected `:`"
            help = "put the whole value in double quotes, such as: summary: \"Open: Tuesdays and Fridays\"; or check the indentation of this line"
        } else if problem.contains("tab character") || character == UInt8(ascii: "\t") {
            message = "\(what) uses a tab character for indentation"
            help = "indent with spaces, not tabs"
        } else if problem.contains("cannot start any token") {
            let shown = character < 0x80 && character >= 0x20 ? " `\(Character(Unicode.Scalar(character)))`" : ""
            message = "\(what) has a value that starts with a character YAML reserves\(shown)"
            help = "put the value in double quotes, such as: name: \"@northside\""
        } else if contextText.contains("scanning an alias") || contextText.contains("scanning an anchor"),
                  let contextOffset {
            start = contextOffset
            let symbol = contextText.contains("alias") ? "*" : "&"
            message = "\(what) has a value that starts with `\(symbol)`, which YAML reads as \(symbol == "*" ? "an alias" : "an anchor")"
            help = "put the value in double quotes, such as: summary: \"\(symbol)Free\(symbol) lunches every Friday\""
        } else if problem.contains("undefined alias") {
            message = "\(what) has a value that starts with `*`, which YAML reads as an alias"
            help = "put the value in double quotes, such as: summary: \"*Free* lunches every Friday\""
        } else if problem.contains("did not find expected key") || problem.contains("expected '-' indicator")
                    || problem.contains("expected <block end>") {
            message = "\(what) has a line that does not line up with the lines around it"
            help = "fields of the same group must start in the same column; list items start with `- ` in the same column"
        } else if problem.contains("block sequence entries are not allowed") {
            message = "\(what) has a list item (`- `) where a value was expected"
            help = "put the list on the lines after `name:`, each item indented and starting with `- `"
        } else if problem.contains("found another document") {
            message = "\(what) holds more than one YAML document"
            help = "remove the extra `---` line"
        }
        if let context, start == problemOffset, let contextOffset {
            notes.append("\(context.text) at line \(file.location(of: contextOffset).line)")
        } else if file.location(of: start).line != file.location(of: problemOffset).line {
            notes.append("the YAML reader stopped at line \(file.location(of: problemOffset).line): \(problem)")
        }
        let end = start == problemOffset ? start + 1 : lineEnd(from: start)
        return Diagnostic(.yamlSyntax, message, file: file, start: start, end: end, label: label,
                          notes: notes, help: help)
    }
}
