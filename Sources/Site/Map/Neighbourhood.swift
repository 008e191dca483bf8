import Foundation

/// The small map on a profile page: the asset at the centre, the assets it
/// is linked to on a ring around it, and (when there is room) the assets two
/// steps away on an outer ring, each beside the neighbour that leads to it.
enum Neighbourhood {
    /// At most this many direct neighbours are drawn; the list on the page has them all.
    static let firstRingLimit = 14
    /// Two-step neighbours are drawn only when the first ring has at most this many...
    static let secondRingWhenAtMost = 10
    /// ...and at most this many of them.
    static let secondRingLimit = 10

    struct Drawing: Sendable {
        var svg: String
        /// One or two sentences for screen readers and for the caption.
        var description: String
        /// Direct neighbours in all, and how many of them are drawn.
        var direct: Int
        var shownDirect: Int
        /// Two-step neighbours drawn.
        var second: Int
    }

    /// Draws the neighbourhood of `centre`; nil when it has no links.
    static func draw(_ data: MapData, centre: Int) -> Drawing? {
        let graph = data.graph
        let direct = graph.neighbours[centre]
        guard !direct.isEmpty else { return nil }
        let links = ProfileLinks(from: SitePaths.asset(graph.nodes[centre].slug))

        // The first ring: the best-linked neighbours when there are too many,
        // grouped by type around the circle, alphabetical within a type.
        // (The sorts read the tables they need, not the whole of `data`.)
        let titleRank = data.titleRank, nodeType = data.nodeType
        let around = data.neighboursByLinks(of: centre)
        var ring = Array(around.prefix(firstRingLimit))
        ring.sort {
            let a = Int($0.node), b = Int($1.node)
            return nodeType[a] != nodeType[b] ? nodeType[a] < nodeType[b] : titleRank[a] < titleRank[b]
        }

        // The outer ring: for each first-ring node in turn, its best-linked
        // neighbours not drawn yet. (A few dozen at most are drawn, so a list
        // is searched faster than a set.) The children of all first-ring
        // nodes are kept in one list, those of ring position `p` at
        // `childStart[p]..<childStart[p + 1]`.
        var children: [MapData.Neighbour] = []
        var childStart = [Int](repeating: 0, count: ring.count + 1)
        var drawn: [Int32] = []
        drawn.reserveCapacity(ring.count + 1 + secondRingLimit)
        for neighbour in ring { drawn.append(neighbour.node) }
        drawn.append(Int32(centre))
        if ring.count <= secondRingWhenAtMost {
            children.reserveCapacity(secondRingLimit)
            let perParent = max(2, secondRingLimit / ring.count)
            for (position, parent) in ring.enumerated() {
                if children.count < secondRingLimit {
                    let wanted = min(perParent, secondRingLimit - children.count)
                    var taken = 0
                    for next in data.neighboursByLinks(of: Int(parent.node)) where !drawn.contains(next.node) {
                        children.append(next)
                        drawn.append(next.node)
                        taken += 1
                        if taken == wanted { break }
                    }
                }
                childStart[position + 1] = children.count
            }
        }
        let secondCount = children.count

        // Angles: each first-ring node gets a slice of the circle in
        // proportion to what hangs off it, its children spread across it.
        let inner = ring.count <= 6 ? 95.0 : 120.0
        let outer = inner + 85
        let weights = ring.indices.map { 1 + 0.8 * Double(childStart[$0 + 1] - childStart[$0]) }
        let total = weights.reduce(0, +)
        var angle = -Double.pi / 2 - (2 * Double.pi * weights[0] / total) / 2
        var nodes: [MapDrawing.Node] = []
        nodes.reserveCapacity(1 + ring.count + secondCount)
        // Made in place in `nodes`: a copy would retain each of its strings.
        func add(_ node: Int, at point: Point, radius: Double, sides: MapDrawing.LabelSides, isCentre: Bool = false, mustLabel: Bool) {
            nodes.append(data.drawingNode(node, at: point, radius: radius, interactive: false))
            let last = nodes.count - 1
            nodes[last].isCentre = isCentre
            nodes[last].mustLabel = mustLabel
            nodes[last].sides = sides
            nodes[last].priority = isCentre ? 1e9 : (mustLabel ? 1e6 : 0) + nodes[last].priority
        }
        // The links that make the rings: the centre to each neighbour, and
        // each neighbour to the assets drawn beyond it. (Links between
        // neighbours are left out: they would all cross the middle.)
        var lines: [MapDrawing.Line] = []
        lines.reserveCapacity(ring.count + secondCount)
        // (Only an interactive map shows a line's `types`.)
        func line(to neighbour: MapData.Neighbour, _ a: Int, _ b: Int) {
            guard let type = neighbour.strongest else { return }
            lines.append(MapDrawing.Line(a: a, b: b, type: type, types: [], aToB: neighbour.toward, bToA: neighbour.back))
        }
        add(centre, at: Point(x: 0, y: 0), radius: 11, sides: [.below, .above, .right, .left], isCentre: true, mustLabel: true)
        for (position, neighbour) in ring.enumerated() {
            let node = Int(neighbour.node)
            let slice = 2 * Double.pi * weights[position] / total
            let middle = angle + slice / 2
            let radius = ring.count == 1 ? inner * 0.9 : inner
            let x = cos(middle), y = sin(middle)
            let parent = nodes.count
            add(node, at: Point(x: x * radius, y: y * radius), radius: 8, sides: sides(x: x, y: y), mustLabel: true)
            line(to: neighbour, 0, parent)
            let kids = children[childStart[position]..<childStart[position + 1]]
            for (offset, child) in kids.enumerated() {
                let spread = min(slice * 0.9, 0.5 * Double(kids.count))
                let childAngle = kids.count == 1 ? middle : middle - spread / 2 + spread * Double(offset) / Double(kids.count - 1)
                let x = cos(childAngle), y = sin(childAngle)
                line(to: child, parent, nodes.count)
                add(Int(child.node), at: Point(x: x * outer, y: y * outer), radius: 6, sides: sides(x: x, y: y), mustLabel: false)
            }
            angle += slice
        }
        lines.sort { ($0.a, $0.b) < ($1.a, $1.b) }

        let title = graph.nodes[centre].title
        let description = describe(
            title: title, direct: direct.count, ring: ring.lazy.map { graph.nodes[Int($0.node)].title }, second: secondCount)
        var drawing = MapDrawing(
            id: "kith-neighbourhood", title: "The neighbourhood of \(title)", description: description,
            nodes: nodes, lines: lines)
        drawing.labelLimit = 24
        drawing.fontSize = 12.5
        drawing.interactive = false
        drawing.profileLinks = links
        drawing.texts = data.texts
        return Drawing(svg: drawing.render(), description: description, direct: direct.count, shownDirect: ring.count, second: secondCount)
    }

    /// Which sides a label may take for a node at `angle` from the centre: outwards first.
    static func sides(for angle: Double) -> MapDrawing.LabelSides { sides(x: cos(angle), y: sin(angle)) }

    /// `sides(for:)` of the angle whose cosine and sine are `x` and `y`.
    static func sides(x: Double, y: Double) -> MapDrawing.LabelSides {
        if x > 0.4 { return [.right, y < 0 ? .above : .below] }
        if x < -0.4 { return [.left, y < 0 ? .above : .below] }
        return y < 0 ? [.above, .right, .left] : [.below, .right, .left]
    }

    /// What the drawing shows, in words: "T is linked to 3 assets: A, B
    /// and C." and how many more are two steps away. Written as bytes and
    /// made into a string once, rather than grown piece by piece.
    static func describe<Titles: Collection<String>>(title: String, direct: Int, ring: Titles, second: Int) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ring.reduce(title.utf8.count + 120) { $0 + $1.utf8.count + 2 })
        func add(text: String) { bytes.append(contentsOf: text.utf8) }
        func add(_ text: StaticString) {
            bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        }
        add(text: title)
        if direct == 1 {
            add(" is linked to 1 asset")
        } else {
            add(" is linked to ")
            add(text: String(direct))
            add(" assets")
        }
        if ring.count < direct {
            add(" (the ")
            add(text: String(ring.count))
            add(" with most links are drawn)")
        }
        add(": ")
        // "A", "A and B", "A, B and C".
        for (position, item) in ring.enumerated() {
            if position > 0 { position == ring.count - 1 ? add(" and ") : add(", ") }
            add(text: item)
        }
        add(".")
        if second == 1 {
            add(" 1 more asset is two steps away.")
        } else if second > 1 {
            add(" ")
            add(text: String(second))
            add(" more assets are two steps away.")
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
