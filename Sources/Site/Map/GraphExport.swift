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
        var output = OutputBuffer()
        output.bytes.reserveCapacity(256 * graph.count + 160 * graph.edges.count + 64)
        // A buffer that keeps everything never throws.
        try? write(graph: graph, typeLabel: typeLabel, url: url, into: &output)
        return output.bytes
    }

    /// The file's bytes, handed on a chunk at a time as `output` fills, so
    /// the whole file (several megabytes for a large directory) is never in
    /// memory at once.
    static func write(graph: ConnectionGraph, typeLabel: (String) -> String, url: (String) -> String,
                      into output: inout OutputBuffer) throws {
        JSONOut.raw("{\n  \"elements\": [", into: &output.bytes)
        for (position, node) in graph.nodes.enumerated() {
            JSONOut.raw(position == 0 ? "\n    {" : ",\n    {", into: &output.bytes)
            JSONOut.field("id", node.slug, first: true, into: &output.bytes)
            JSONOut.field("label", node.title, into: &output.bytes)
            JSONOut.field("type", typeLabel(node.type), into: &output.bytes)
            JSONOut.field("description", node.summary, into: &output.bytes)
            if !node.tagNames.isEmpty { JSONOut.field("tags", list: node.tagNames, into: &output.bytes) }
            if !node.areaNames.isEmpty { JSONOut.field("area", list: node.areaNames, into: &output.bytes) }
            JSONOut.field("url", url(node.slug), into: &output.bytes)
            JSONOut.raw("}", into: &output.bytes)
            try output.flushIfFull()
        }
        JSONOut.raw(graph.nodes.isEmpty ? "],\n" : "\n  ],\n", into: &output.bytes)
        JSONOut.raw("  \"connections\": [", into: &output.bytes)
        for (position, edge) in graph.edges.enumerated() {
            JSONOut.raw(position == 0 ? "\n    {" : ",\n    {", into: &output.bytes)
            JSONOut.field("from", graph.nodes[edge.from].slug, first: true, into: &output.bytes)
            JSONOut.field("to", graph.nodes[edge.to].slug, into: &output.bytes)
            JSONOut.field("type", edge.type.rawValue, into: &output.bytes)
            JSONOut.field("direction", edge.type.isDirected ? "directed" : "undirected", into: &output.bytes)
            if !edge.kind.isEmpty { JSONOut.field("kind", edge.kind, into: &output.bytes) }
            if let note = edge.note { JSONOut.field("description", note, into: &output.bytes) }
            if !edge.stories.isEmpty { JSONOut.field("stories", list: edge.stories.map { graph.stories[$0].title }, into: &output.bytes) }
            JSONOut.raw("}", into: &output.bytes)
            try output.flushIfFull()
        }
        JSONOut.raw(graph.edges.isEmpty ? "]\n}\n" : "\n  ]\n}\n", into: &output.bytes)
    }
}

/// JSON written as bytes with a fixed key order; strings are escaped like
/// every JSON string Kith writes (safe inside an HTML `<script>` too).
enum JSONOut {
    static func raw(_ text: StaticString, into bytes: inout [UInt8]) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// `"name": "value"`, after a comma unless it is the first field.
    static func field(_ name: StaticString, _ value: String, first: Bool = false, into bytes: inout [UInt8]) {
        key(name, first: first, into: &bytes)
        JSON.writeString(value, into: &bytes)
    }

    /// `"name": ["a", "b"]`.
    static func field(_ name: StaticString, list values: [String], first: Bool = false, into bytes: inout [UInt8]) {
        key(name, first: first, into: &bytes)
        bytes.append(UInt8(ascii: "["))
        for (position, value) in values.enumerated() {
            if position > 0 { raw(", ", into: &bytes) }
            JSON.writeString(value, into: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    private static func key(_ name: StaticString, first: Bool, into bytes: inout [UInt8]) {
        if !first { raw(", ", into: &bytes) }
        bytes.append(UInt8(ascii: "\""))
        raw(name, into: &bytes)
        raw("\": ", into: &bytes)
    }
}
