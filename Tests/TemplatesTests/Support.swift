import Diagnostics
import Foundation
@testable import Templates

/// Renders a single template given as text, named "page.html".
func render(_ template: String, _ context: [String: Value] = [:], environment: RenderEnvironment = RenderEnvironment()) throws -> String {
    try TemplateSet(sources: ["page.html": template]).render("page.html", context: context, environment: environment)
}

/// Renders the first named template of a set given as `name → text`.
func render(_ sources: [String: String], _ name: String, _ context: [String: Value] = [:], environment: RenderEnvironment = RenderEnvironment()) throws -> String {
    try TemplateSet(sources: sources).render(name, context: context, environment: environment)
}

/// The diagnostic thrown by rendering, or nil when rendering succeeds.
func renderError(_ sources: [String: String], _ name: String, _ context: [String: Value] = [:], environment: RenderEnvironment = RenderEnvironment()) throws -> Diagnostic? {
    let set = try TemplateSet(sources: sources)
    do {
        _ = try set.render(name, context: context, environment: environment)
        return nil
    } catch let diagnostic as Diagnostic {
        return diagnostic
    }
}

func renderError(_ template: String, _ context: [String: Value] = [:], environment: RenderEnvironment = RenderEnvironment()) throws -> Diagnostic? {
    try renderError(["page.html": template], "page.html", context, environment: environment)
}

/// The diagnostics thrown while reading a set of templates; empty when it is fine.
func loadErrors(_ sources: [String: String]) -> [Diagnostic] {
    do {
        _ = try TemplateSet(sources: sources)
        return []
    } catch let list as DiagnosticList {
        return list.diagnostics
    } catch {
        return [Diagnostic(code: "unexpected", message: "\(error)")]
    }
}

/// `CODE line:column width` of a diagnostic, for compact expectations.
func summary(_ diagnostic: Diagnostic) -> String {
    guard let location = diagnostic.location else { return diagnostic.code }
    return "\(diagnostic.code) \(location.line):\(location.column) \(diagnostic.width)"
}

/// A JSON document read into a `Value` (for the context of golden files).
struct JSONValue: Decodable {
    var value: Value

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            value = .null
        } else if let flag = try? container.decode(Bool.self) {
            value = .bool(flag)
        } else if let number = try? container.decode(Int.self) {
            value = .int(number)
        } else if let number = try? container.decode(Double.self) {
            value = .double(number)
        } else if let text = try? container.decode(String.self) {
            value = .string(text)
        } else if let items = try? container.decode([JSONValue].self) {
            value = .array(items.map(\.value))
        } else {
            value = .object(Object(try container.decode([String: JSONValue].self).mapValues(\.value)))
        }
    }
}
