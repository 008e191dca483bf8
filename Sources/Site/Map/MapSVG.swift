/// Escaping and number formatting for SVG written by hand.
enum SVGText {
    /// Text made safe for SVG content and for attribute values in double or
    /// single quotes. Works on Unicode scalars, so a quote followed by a
    /// combining mark is still escaped, and drops the control characters XML
    /// does not allow.
    static func escape(_ text: String) -> String {
        // Most text needs nothing: return it as it is.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">")
            || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") || $0 == 0xEF }) {
            return text
        }
        var output = ""
        output.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            case "\t", "\n", "\r": output.unicodeScalars.append(" ")
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// A coordinate rounded to one decimal, without a trailing `.0` and never `-0`.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let tenths = Int((value * 10).rounded())
        if tenths == 0 { return "0" }
        let sign = tenths < 0 ? "-" : ""
        let magnitude = tenths.magnitude
        let whole = magnitude / 10, fraction = magnitude % 10
        return fraction == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }

    /// At most `limit` characters, cut at a word boundary when one is near, ending in `…`.
    static func shorten(_ text: String, to limit: Int) -> String {
        guard text.count > limit, limit > 1 else { return text }
        let cut = text.prefix(limit - 1)
        if let space = cut.lastIndex(of: " "), cut.distance(from: cut.startIndex, to: space) >= limit / 2 {
            return String(cut[..<space]).trimmingTrailingPunctuation() + "…"
        }
        return String(cut).trimmingTrailingPunctuation() + "…"
    }

    /// The width a label takes, estimated from its length: system sans-serif
    /// fonts average a little over half an em per character.
    static func estimatedWidth(_ text: String, fontSize: Double) -> Double {
        Double(text.count) * fontSize * 0.56
    }
}

/// SVG text built as bytes: attributes escaped and numbers formatted as
/// they are written, without a string for each.
struct SVGOut {
    private var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    /// Markup written as it is.
    mutating func raw(_ markup: String) { bytes.append(contentsOf: markup.utf8) }

    /// Text, escaped as `SVGText.escape` does.
    mutating func text(_ text: String) {
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": raw("&amp;")
            case "<": raw("&lt;")
            case ">": raw("&gt;")
            case "\"": raw("&quot;")
            case "'": raw("&#39;")
            case "\t", "\n", "\r": bytes.append(UInt8(ascii: " "))
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                if scalar.isASCII { bytes.append(UInt8(scalar.value)) } else { bytes.append(contentsOf: String(scalar).utf8) }
            }
        }
    }

    /// ` name="value"`, the value escaped.
    mutating func attribute(_ name: String, _ value: String) {
        bytes.append(UInt8(ascii: " "))
        raw(name)
        raw("=\"")
        text(value)
        bytes.append(UInt8(ascii: "\""))
    }

    /// ` name="1.5"`.
    mutating func attribute(_ name: String, number value: Double) {
        bytes.append(UInt8(ascii: " "))
        raw(name)
        raw("=\"")
        number(value)
        bytes.append(UInt8(ascii: "\""))
    }

    /// A number as `SVGText.number` writes it: one decimal at most, never `-0`.
    mutating func number(_ value: Double) {
        guard value.isFinite else { return bytes.append(UInt8(ascii: "0")) }
        let tenths = Int((value * 10).rounded())
        if tenths < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = tenths.magnitude
        digits(magnitude / 10)
        if magnitude % 10 != 0 {
            bytes.append(UInt8(ascii: "."))
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
        }
    }

    private mutating func digits(_ value: UInt) {
        if value >= 10 { digits(value / 10) }
        bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    /// The text written so far, in storage of exactly its size.
    var string: String { String(decoding: bytes, as: UTF8.self) }
}

private extension String {
    func trimmingTrailingPunctuation() -> String {
        var result = self
        while let last = result.last, last == " " || last == "," || last == ";" || last == ":" || last == "-" || last == "–" {
            result.removeLast()
        }
        return result
    }
}

/// An axis-aligned rectangle in map units.
struct Box: Sendable {
    var minX: Double
    var minY: Double
    var maxX: Double
    var maxY: Double

    func overlaps(_ other: Box) -> Bool {
        minX < other.maxX && other.minX < maxX && minY < other.maxY && other.minY < maxY
    }

    func union(_ other: Box) -> Box {
        Box(minX: min(minX, other.minX), minY: min(minY, other.minY), maxX: max(maxX, other.maxX), maxY: max(maxY, other.maxY))
    }
}

/// Places labels greedily, most important first, skipping any label that
/// would cover another label or a node. A small drawing checks every box; a
/// large one keeps a uniform grid so each check stays close to constant time.
struct LabelPlacer {
    private let cell: Double
    private let usesGrid: Bool
    private var grid: [Int: [Box]] = [:]
    private var boxes: [Box] = []

    /// - Parameter expected: about how many boxes will be placed.
    init(cell: Double = 64, expected: Int) {
        self.cell = cell
        usesGrid = expected > 96
    }

    private func keys(_ box: Box) -> [Int] {
        let x0 = Int((box.minX / cell).rounded(.down)), x1 = Int((box.maxX / cell).rounded(.down))
        let y0 = Int((box.minY / cell).rounded(.down)), y1 = Int((box.maxY / cell).rounded(.down))
        var result: [Int] = []
        for x in x0...max(x0, x1) {
            for y in y0...max(y0, y1) { result.append(x &* 1_000_003 &+ y) }
        }
        return result
    }

    /// Marks a region as taken.
    mutating func block(_ box: Box) {
        if usesGrid {
            for key in keys(box) { grid[key, default: []].append(box) }
        } else {
            boxes.append(box)
        }
    }

    /// Whether a region is free of everything blocked so far.
    func isFree(_ box: Box) -> Bool {
        if !usesGrid { return !boxes.contains { $0.overlaps(box) } }
        for key in keys(box) {
            for other in grid[key] ?? [] where other.overlaps(box) { return false }
        }
        return true
    }
}

/// A drawing of part of the connection map: nodes already positioned, lines
/// between them, and the SVG that shows them.
struct MapDrawing {
    struct Node {
        var id: String
        var title: String
        /// The text under the pointer and read by screen readers: title and type.
        var tooltip: String
        var type: String
        var colour: String
        var areas: [String]
        var tags: [String]
        /// A URL relative to the page the SVG is printed on.
        var href: String
        var position: Point
        var radius: Double
        /// Higher is labelled first.
        var priority: Double
        var isCentre = false
        /// Label sides to try, in order.
        var sides: [LabelSide] = [.right, .left, .below, .above]
        /// Label it on its first side even when every side is crowded.
        var mustLabel = false
    }

    struct Line {
        var a: Int
        var b: Int
        var type: ConnectionGraph.EdgeType
        var types: [ConnectionGraph.EdgeType]
        /// A declared connection from `a` to `b` / from `b` to `a`.
        var aToB: Bool
        var bToA: Bool
        /// A thicker line for several links drawn as one (the overview).
        var weight: Double = 1
    }

    enum LabelSide: Sendable {
        case right, left, above, below
    }

    var id: String
    var title: String
    var description: String
    var nodes: [Node]
    var lines: [Line]
    var fontSize = 11.0
    var labelLimit = 26
    /// A heading above the grid of unconnected assets.
    var band: (x: Double, y: Double, text: String)?
    /// Plain solid lines without arrows, whatever their type (the overview of parts).
    var solidLines = false
    /// Whether nodes and lines carry the class and `data-` attributes map.js
    /// uses for highlighting and filters (a profile's small map does without).
    var interactive = true

    /// The colours of lines, chosen to read on light and dark backgrounds alike.
    static let lineStyle: [ConnectionGraph.EdgeType: String] = [
        .connection: ##"stroke="#5b6670" stroke-width="1.6""##,
        .mention: ##"stroke="#7a848d" stroke-width="1.3" stroke-dasharray="6 4""##,
        .story: ##"stroke="#8c959d" stroke-width="1.4" stroke-dasharray="1.5 3.5" stroke-linecap="round""##,
    ]

    /// Where a label of `width` goes on one side of a node: its box, the text position and anchor.
    static func labelSlot(_ side: LabelSide, at p: Point, gap: Double, width: Double, size: Double)
        -> (box: Box, x: Double, y: Double, anchor: String) {
        switch side {
        case .right:
            (Box(minX: p.x + gap, minY: p.y - size * 0.6, maxX: p.x + gap + width, maxY: p.y + size * 0.55), p.x + gap, p.y + size * 0.35, "start")
        case .left:
            (Box(minX: p.x - gap - width, minY: p.y - size * 0.6, maxX: p.x - gap, maxY: p.y + size * 0.55), p.x - gap, p.y + size * 0.35, "end")
        case .below:
            (Box(minX: p.x - width / 2, minY: p.y + gap, maxX: p.x + width / 2, maxY: p.y + gap + size * 1.1), p.x, p.y + gap + size * 0.85, "middle")
        case .above:
            (Box(minX: p.x - width / 2, minY: p.y - gap - size * 1.1, maxX: p.x + width / 2, maxY: p.y - gap), p.x, p.y - gap - size * 0.25, "middle")
        }
    }

    /// Renders the SVG.
    /// - Complexity: O(n + e), plus label placement, which is close to linear.
    func render() -> String {
        // Labels: the most important nodes first; a label that would cover
        // another label or a node is left out (the node keeps its tooltip).
        var placer = LabelPlacer(cell: max(48, fontSize * 5), expected: nodes.count * 2)
        var nodeBoxes: [Box] = []
        nodeBoxes.reserveCapacity(nodes.count)
        for node in nodes {
            let r = node.radius + 1
            let box = Box(minX: node.position.x - r, minY: node.position.y - r, maxX: node.position.x + r, maxY: node.position.y + r)
            nodeBoxes.append(box)
            placer.block(box)
        }
        var bounds = nodeBoxes.first ?? Box(minX: 0, minY: 0, maxX: 1, maxY: 1)
        for box in nodeBoxes { bounds = bounds.union(box) }
        let order = nodes.indices.sorted {
            nodes[$0].priority != nodes[$1].priority ? nodes[$0].priority > nodes[$1].priority : nodes[$0].id < nodes[$1].id
        }
        var labels: [(x: Double, y: Double, anchor: String, text: String)?] = Array(repeating: nil, count: nodes.count)
        for index in order {
            let node = nodes[index]
            let size = node.isCentre ? fontSize * 1.15 : fontSize
            let text = SVGText.shorten(node.title, to: node.isCentre ? labelLimit + 10 : labelLimit)
            // Bold text is about a tenth wider.
            let width = SVGText.estimatedWidth(text, fontSize: size) * (node.isCentre ? 1.1 : 1)
            var chosen: (box: Box, x: Double, y: Double, anchor: String)?
            for side in node.sides {
                let candidate = Self.labelSlot(side, at: node.position, gap: node.radius + 3, width: width, size: size)
                if placer.isFree(candidate.box) {
                    chosen = candidate
                    break
                }
            }
            if chosen == nil, node.mustLabel, let first = node.sides.first {
                chosen = Self.labelSlot(first, at: node.position, gap: node.radius + 3, width: width, size: size)
            }
            if let chosen {
                placer.block(chosen.box)
                bounds = bounds.union(chosen.box)
                labels[index] = (chosen.x, chosen.y, chosen.anchor, text)
            }
        }
        if let band {
            let width = SVGText.estimatedWidth(band.text, fontSize: fontSize * 1.3)
            bounds = bounds.union(Box(minX: band.x, minY: band.y - fontSize * 1.4, maxX: band.x + width, maxY: band.y))
        }
        let margin = 8.0
        let minX = bounds.minX - margin, minY = bounds.minY - margin
        let width = bounds.maxX - bounds.minX + 2 * margin, height = bounds.maxY - bounds.minY + 2 * margin
        var out = SVGOut(capacity: 512 + nodes.count * 240 + lines.count * (interactive ? 80 : 40))
        out.raw(#"<svg xmlns="http://www.w3.org/2000/svg" class="kith-map""#)
        out.attribute("id", id)
        out.raw(#" viewBox=""#)
        out.number(minX); out.raw(" "); out.number(minY); out.raw(" "); out.number(width); out.raw(" "); out.number(height)
        out.raw("\"")
        out.attribute("width", number: width)
        out.attribute("height", number: height)
        out.attribute("aria-labelledby", "\(id)-title \(id)-desc")
        out.raw(#" font-family="system-ui, sans-serif">"# + "\n")
        out.raw("<title"); out.attribute("id", "\(id)-title"); out.raw(">"); out.text(title); out.raw("</title>")
        out.raw("<desc"); out.attribute("id", "\(id)-desc"); out.raw(">"); out.text(description); out.raw("</desc>\n")
        let hasConnections = !solidLines && lines.contains { $0.type == .connection }
        if hasConnections {
            out.raw("<defs><marker"); out.attribute("id", "\(id)-arrow")
            out.raw(##" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0 1L10 5L0 9z" fill="#5b6670"/></marker></defs>"## + "\n")
        }

        // Lines: stories at the bottom, declared connections on top.
        for type in ConnectionGraph.EdgeType.allCases.reversed() {
            let group = lines.filter { $0.type == type }
            if group.isEmpty { continue }
            out.raw(#"<g class="map-edges map-edges--"# + type.rawValue + #"" fill="none" "#)
            out.raw(solidLines ? ##"stroke="#7a848d" stroke-width="1.5""## : Self.lineStyle[type]!)
            if type == .connection, !solidLines { out.attribute("marker-end", "url(#\(id)-arrow)") }
            out.raw(">\n")
            for line in group {
                // Draw each line towards the end a declared connection points at.
                let reversed = line.bToA && !line.aToB
                let start = nodes[reversed ? line.b : line.a], end = nodes[reversed ? line.a : line.b]
                var x1 = start.position.x, y1 = start.position.y, x2 = end.position.x, y2 = end.position.y
                let dx = x2 - x1, dy = y2 - y1
                let length = (dx * dx + dy * dy).squareRoot()
                if length > start.radius + end.radius + 2 {
                    let ux = dx / length, uy = dy / length
                    x1 += ux * (start.radius + 1); y1 += uy * (start.radius + 1)
                    x2 -= ux * (end.radius + 1); y2 -= uy * (end.radius + 1)
                }
                out.raw("<line")
                out.attribute("x1", number: x1); out.attribute("y1", number: y1)
                out.attribute("x2", number: x2); out.attribute("y2", number: y2)
                if interactive {
                    out.attribute("data-from", start.id)
                    out.attribute("data-to", end.id)
                    if line.types.count > 1 { out.attribute("data-types", line.types.sorted().map(\.rawValue).joined(separator: " ")) }
                }
                if type == .connection, !solidLines, line.aToB, line.bToA { out.attribute("marker-start", "url(#\(id)-arrow)") }
                if line.weight != 1 { out.attribute("stroke-width", number: line.weight) }
                out.raw("/>\n")
            }
            out.raw("</g>\n")
        }

        if let band {
            out.raw(#"<text class="map-band""#)
            out.attribute("x", number: band.x); out.attribute("y", number: band.y)
            out.attribute("font-size", number: fontSize * 1.2)
            out.raw(#" font-weight="bold" fill="currentColor">"#)
            out.text(band.text)
            out.raw("</text>\n")
        }

        out.raw(#"<g class="map-nodes""#)
        out.attribute("font-size", number: fontSize)
        out.raw(##" fill="currentColor" stroke="#ffffff" stroke-width="1" style="paint-order: stroke">"## + "\n")
        for (index, node) in nodes.enumerated() {
            out.raw("<a")
            out.attribute("href", node.href)
            if node.isCentre { out.raw(#" aria-current="page""#) }
            if interactive {
                out.raw(#" class="map-node""#)
                out.attribute("data-id", node.id)
                out.attribute("data-type", node.type)
                if !node.areas.isEmpty { out.attribute("data-areas", node.areas.joined(separator: " ")) }
                if !node.tags.isEmpty { out.attribute("data-tags", node.tags.joined(separator: " ")) }
            }
            out.raw("><title>"); out.text(node.tooltip); out.raw("</title><circle")
            out.attribute("cx", number: node.position.x); out.attribute("cy", number: node.position.y)
            out.attribute("r", number: node.radius); out.attribute("fill", node.colour)
            out.raw(node.isCentre ? #" stroke="currentColor" stroke-width="3"/>"# : "/>")
            if let label = labels[index] {
                out.raw("<text")
                out.attribute("x", number: label.x); out.attribute("y", number: label.y)
                if label.anchor != "start" { out.attribute("text-anchor", label.anchor) }
                if node.isCentre {
                    out.attribute("font-size", number: fontSize * 1.15)
                    out.raw(#" font-weight="bold""#)
                }
                out.raw(">"); out.text(label.text); out.raw("</text>")
            }
            out.raw("</a>\n")
        }
        out.raw("</g>\n</svg>")
        return out.string
    }
}
