import Templates
/// `map/graph.json`: the connection map in the JSON shape network tools
/// import (Kumu's "blueprint"): `elements` with an `id`, a `label` and a
/// `type`, and `connections` `from` one id `to` another with a `type` and a
/// `direction` (`directed` or `undirected`). Other fields are extra
/// attributes those tools keep.
enum GraphExport {
    /// The file's text: one element or connection per line, so that two
    /// versions of a directory can be compared line by line.
    static func json(graph: ConnectionGraph, typeLabel: (String) -> String, url: (String) -> String) -> String {
        var out = "{\n  \"elements\": ["
        for (position, node) in graph.nodes.enumerated() {
            out += position == 0 ? "\n    " : ",\n    "
            var fields: [(String, JSONText)] = [
                ("id", .string(node.slug)),
                ("label", .string(node.title)),
                ("type", .string(typeLabel(node.type))),
                ("description", .string(node.summary)),
            ]
            if !node.tagNames.isEmpty { fields.append(("tags", .strings(node.tagNames))) }
            if !node.areaNames.isEmpty { fields.append(("area", .strings(node.areaNames))) }
            fields.append(("url", .string(url(node.slug))))
            out += JSONText.object(fields)
        }
        out += graph.nodes.isEmpty ? "],\n" : "\n  ],\n"
        out += "  \"connections\": ["
        for (position, edge) in graph.edges.enumerated() {
            out += position == 0 ? "\n    " : ",\n    "
            var fields: [(String, JSONText)] = [
                ("from", .string(graph.nodes[edge.from].slug)),
                ("to", .string(graph.nodes[edge.to].slug)),
                ("type", .string(edge.type.rawValue)),
                ("direction", .string(edge.type.isDirected ? "directed" : "undirected")),
            ]
            if !edge.kind.isEmpty { fields.append(("kind", .string(edge.kind))) }
            if let note = edge.note { fields.append(("description", .string(note))) }
            if !edge.stories.isEmpty { fields.append(("stories", .strings(edge.stories.map { graph.stories[$0].title }))) }
            out += JSONText.object(fields)
        }
        out += graph.edges.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        return out
    }
}

/// The few JSON values the export needs, written with a fixed key order.
enum JSONText {
    case string(String)
    case strings([String])

    var text: String {
        switch self {
        case .string(let value): Self.quote(value)
        case .strings(let values): "[" + values.map(Self.quote).joined(separator: ", ") + "]"
        }
    }

    static func object(_ fields: [(String, JSONText)]) -> String {
        "{" + fields.map { quote($0.0) + ": " + $0.1.text }.joined(separator: ", ") + "}"
    }

    /// A JSON string, escaped like every JSON string Kith writes (safe inside
    /// an HTML `<script>` too).
    static func quote(_ text: String) -> String {
        var out: [UInt8] = []
        JSON.writeString(text, into: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
