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
        let degree = data.degree, titleRank = data.titleRank, nodeType = data.nodeType
        func byLinks(_ a: Int, _ b: Int) -> Bool {
            degree[a] != degree[b] ? degree[a] > degree[b] : titleRank[a] < titleRank[b]
        }
        var ring = direct
        if ring.count > firstRingLimit {
            ring.sort(by: byLinks)
            ring = Array(ring.prefix(firstRingLimit))
        }
        ring.sort { nodeType[$0] != nodeType[$1] ? nodeType[$0] < nodeType[$1] : titleRank[$0] < titleRank[$1] }

        // The outer ring: for each first-ring node in turn, its best-linked
        // neighbours not drawn yet.
        var children: [[Int]] = Array(repeating: [], count: ring.count)
        var drawn = Set(ring)
        drawn.insert(centre)
        if ring.count <= secondRingWhenAtMost {
            let perParent = max(2, secondRingLimit / ring.count)
            var total = 0
            for (position, parent) in ring.enumerated() where total < secondRingLimit {
                let candidates = graph.neighbours[parent].filter { !drawn.contains($0) }.sorted(by: byLinks)
                for next in candidates.prefix(min(perParent, secondRingLimit - total)) {
                    children[position].append(next)
                    drawn.insert(next)
                    total += 1
                }
            }
        }
        let secondCount = children.reduce(0) { $0 + $1.count }

        // Angles: each first-ring node gets a slice of the circle in
        // proportion to what hangs off it, its children spread across it.
        let inner = ring.count <= 6 ? 95.0 : 120.0
        let outer = inner + 85
        let weights = children.map { 1 + 0.8 * Double($0.count) }
        let total = weights.reduce(0, +)
        var angle = -Double.pi / 2 - (2 * Double.pi * weights[0] / total) / 2
        var nodes: [MapDrawing.Node] = []
        var localIndex: [Int: Int] = [:]
        func add(_ node: Int, at point: Point, radius: Double, angle: Double?, isCentre: Bool = false, mustLabel: Bool) {
            var drawing = data.drawingNode(node, links: links, at: point, radius: radius)
            drawing.isCentre = isCentre
            drawing.mustLabel = mustLabel
            if let angle { drawing.sides = sides(for: angle) } else { drawing.sides = [.below, .above, .right, .left] }
            drawing.priority = isCentre ? 1e9 : (mustLabel ? 1e6 : 0) + drawing.priority
            localIndex[node] = nodes.count
            nodes.append(drawing)
        }
        add(centre, at: Point(x: 0, y: 0), radius: 11, angle: nil, isCentre: true, mustLabel: true)
        for (position, node) in ring.enumerated() {
            let slice = 2 * Double.pi * weights[position] / total
            let middle = angle + slice / 2
            let radius = ring.count == 1 ? inner * 0.9 : inner
            add(node, at: Point(x: cos(middle) * radius, y: sin(middle) * radius), radius: 8, angle: middle, mustLabel: true)
            let kids = children[position]
            for (offset, child) in kids.enumerated() {
                let spread = min(slice * 0.9, 0.5 * Double(kids.count))
                let childAngle = kids.count == 1 ? middle : middle - spread / 2 + spread * Double(offset) / Double(kids.count - 1)
                add(child, at: Point(x: cos(childAngle) * outer, y: sin(childAngle) * outer), radius: 6, angle: childAngle, mustLabel: false)
            }
            angle += slice
        }

        // The links that make the rings: the centre to each neighbour, and
        // each neighbour to the assets drawn beyond it. (Links between
        // neighbours are left out: they would all cross the middle.)
        var lines: [MapDrawing.Line] = []
        func line(_ from: Int, _ to: Int) {
            guard let a = localIndex[from], let b = localIndex[to], let link = data.link(from, to) else { return }
            let flip = from > to
            lines.append(MapDrawing.Line(a: a, b: b, type: link.strongest, types: link.types,
                                         aToB: flip ? link.bToA : link.aToB, bToA: flip ? link.aToB : link.bToA))
        }
        for (position, node) in ring.enumerated() {
            line(centre, node)
            for child in children[position] { line(node, child) }
        }
        lines.sort { ($0.a, $0.b) < ($1.a, $1.b) }

        let title = graph.nodes[centre].title
        var description = direct.count == 1
            ? "\(title) is linked to 1 asset"
            : "\(title) is linked to \(direct.count) assets"
        if ring.count < direct.count { description += " (the \(ring.count) with most links are drawn)" }
        description += ": " + listText(ring.map { graph.nodes[$0].title }) + "."
        if secondCount > 0 {
            description += secondCount == 1 ? " 1 more asset is two steps away." : " \(secondCount) more assets are two steps away."
        }
        var drawing = MapDrawing(
            id: "kith-neighbourhood", title: "The neighbourhood of \(title)", description: description,
            nodes: nodes, lines: lines)
        drawing.labelLimit = 24
        drawing.fontSize = 12.5
        drawing.interactive = false
        return Drawing(svg: drawing.render(), description: description, direct: direct.count, shownDirect: ring.count, second: secondCount)
    }

    /// Which sides a label may take for a node at `angle` from the centre: outwards first.
    static func sides(for angle: Double) -> MapDrawing.LabelSides {
        let x = cos(angle), y = sin(angle)
        if x > 0.4 { return [.right, y < 0 ? .above : .below] }
        if x < -0.4 { return [.left, y < 0 ? .above : .below] }
        return y < 0 ? [.above, .right, .left] : [.below, .right, .left]
    }

    /// "A", "A and B", "A, B and C".
    static func listText(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default:
            var text = ""
            text.reserveCapacity(items.reduce(0) { $0 + $1.utf8.count + 2 } + 3)
            for (position, item) in items.enumerated() {
                if position > 0 { text += position == items.count - 1 ? " and " : ", " }
                text += item
            }
            return text
        }
    }
}
