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
        String(decoding: bytes(graph: graph, typeLabel: typeLabel, url: url), as: UTF8.self)
    }

    /// The file's bytes, written straight into one buffer.
    static func bytes(graph: ConnectionGraph, typeLabel: (String) -> String, url: (String) -> String) -> [UInt8] {
        var out = JSONOut(capacity: 256 * graph.count + 160 * graph.edges.count + 64)
        out.raw("{\n  \"elements\": [")
        for (position, node) in graph.nodes.enumerated() {
            out.raw(position == 0 ? "\n    {" : ",\n    {")
            out.field("id", node.slug, first: true)
            out.field("label", node.title)
            out.field("type", typeLabel(node.type))
            out.field("description", node.summary)
            if !node.tagNames.isEmpty { out.field("tags", list: node.tagNames) }
            if !node.areaNames.isEmpty { out.field("area", list: node.areaNames) }
            out.field("url", url(node.slug))
            out.raw("}")
        }
        out.raw(graph.nodes.isEmpty ? "],\n" : "\n  ],\n")
        out.raw("  \"connections\": [")
        for (position, edge) in graph.edges.enumerated() {
            out.raw(position == 0 ? "\n    {" : ",\n    {")
            out.field("from", graph.nodes[edge.from].slug, first: true)
            out.field("to", graph.nodes[edge.to].slug)
            out.field("type", edge.type.rawValue)
            out.field("direction", edge.type.isDirected ? "directed" : "undirected")
            if !edge.kind.isEmpty { out.field("kind", edge.kind) }
            if let note = edge.note { out.field("description", note) }
            if !edge.stories.isEmpty { out.field("stories", list: edge.stories.map { graph.stories[$0].title }) }
            out.raw("}")
        }
        out.raw(graph.edges.isEmpty ? "]\n}\n" : "\n  ]\n}\n")
        return out.bytes
    }
}

/// JSON written as bytes with a fixed key order; strings are escaped like
/// every JSON string Kith writes (safe inside an HTML `<script>` too).
struct JSONOut {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// `"name": "value"`, after a comma unless it is the first field.
    mutating func field(_ name: StaticString, _ value: String, first: Bool = false) {
        key(name, first: first)
        JSON.writeString(value, into: &bytes)
    }

    /// `"name": ["a", "b"]`.
    mutating func field(_ name: StaticString, list values: [String], first: Bool = false) {
        key(name, first: first)
        bytes.append(UInt8(ascii: "["))
        for (position, value) in values.enumerated() {
            if position > 0 { raw(", ") }
            JSON.writeString(value, into: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    private mutating func key(_ name: StaticString, first: Bool) {
        if !first { raw(", ") }
        bytes.append(UInt8(ascii: "\""))
        raw(name)
        raw("\": ")
    }
}
