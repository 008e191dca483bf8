import Content
import Diagnostics

/// The graph with everything computed from it once: linked pairs, degrees,
/// betweenness, and how each type is labelled and coloured.
struct MapData: Sendable {
    let graph: ConnectionGraph
    /// One entry per linked pair, sorted by pair.
    let links: [ConnectionGraph.Link]
    private let linkIndex: [Int: Int]
    /// Distinct neighbours of each node.
    let degree: [Int]
    let centrality: Centrality.Result
    /// The best-connecting nodes, best first: betweenness above zero, at most `connectorCount`.
    let connectors: [Int]
    /// 1-based position in `connectors`.
    let connectorRank: [Int: Int]
    let types: [AssetTypeInfo]
    private let typeIndex: [String: Int]
    /// Each node's position in title order, so sorting by title compares two integers.
    let titleRank: [Int]
    /// Each node's type as a position in `types` (`types.count` for a type site.yml does not list).
    let nodeType: [Int]
    /// The neighbours of every node, most linked first (ties in title
    /// order), one list after another: node `v`'s are at
    /// `byLinksStart[v]..<byLinksStart[v + 1]`.
    private let byLinks: [Neighbour]
    private let byLinksStart: [Int]
    /// The texts of every node as drawings write them, escaped once.
    let texts: NodeTexts

    /// A neighbour of a node with what a line to it needs, read from the
    /// pair's link once, so drawing a neighbourhood looks nothing up.
    struct Neighbour: Sendable {
        var node: Int32
        /// The strongest type of link between the two (nil without a link, which does not happen).
        var strongest: ConnectionGraph.EdgeType?
        /// A declared connection to this neighbour, and from it.
        var toward: Bool
        var back: Bool
    }

    static let connectorCount = 10

    /// - Parameter titleOrder: the nodes in title order (case-insensitive,
    ///   ties broken by slug), when the caller knows it already; worked out
    ///   here otherwise.
    init(graph: ConnectionGraph, types: [AssetTypeInfo], betweennessBudget: Int = Centrality.exactBudget, titleOrder: [Int]? = nil) {
        self.graph = graph
        let links = graph.links()
        self.links = links
        var linkIndex: [Int: Int] = [:]
        linkIndex.reserveCapacity(links.count)
        for (position, link) in links.enumerated() { linkIndex[graph.pairKey(link.a, link.b)] = position }
        self.linkIndex = linkIndex
        degree = graph.neighbours.map(\.count)
        let centrality = Centrality.betweenness(
            neighbours: graph.neighbours, keys: graph.nodes.map { StableHash.of($0.slug) }, budget: betweennessBudget)
        self.centrality = centrality
        var titleRank = [Int](repeating: 0, count: graph.count)
        for (position, node) in (titleOrder ?? Self.titleOrder(of: graph)).enumerated() { titleRank[node] = position }
        self.titleRank = titleRank
        let ranked = (0..<graph.count).filter { centrality.scores[$0] > 1e-9 }.sorted {
            let a = centrality.scores[$0], b = centrality.scores[$1]
            if abs(a - b) > 1e-9 { return a > b }
            return titleRank[$0] < titleRank[$1]
        }
        connectors = Array(ranked.prefix(Self.connectorCount))
        var rank: [Int: Int] = [:]
        for (position, node) in connectors.enumerated() { rank[node] = position + 1 }
        connectorRank = rank
        self.types = types
        var typeIndex: [String: Int] = [:]
        for (position, type) in types.enumerated() { typeIndex[type.slug] = position }
        self.typeIndex = typeIndex
        nodeType = graph.nodes.map { typeIndex[$0.type] ?? types.count }

        let degree = self.degree
        var byLinksStart = [Int](repeating: 0, count: graph.count + 1)
        var byLinks: [Neighbour] = []
        byLinks.reserveCapacity(graph.neighbours.reduce(0) { $0 + $1.count })
        for (node, neighbours) in graph.neighbours.enumerated() {
            let sorted = neighbours.sorted {
                degree[$0] != degree[$1] ? degree[$0] > degree[$1] : titleRank[$0] < titleRank[$1]
            }
            for next in sorted {
                var entry = Neighbour(node: Int32(next), strongest: nil, toward: false, back: false)
                if let position = linkIndex[graph.pairKey(node, next)] {
                    let link = links[position]
                    let flip = node > next
                    entry.strongest = link.strongest
                    entry.toward = flip ? link.bToA : link.aToB
                    entry.back = flip ? link.aToB : link.bToA
                }
                byLinks.append(entry)
            }
            byLinksStart[node + 1] = byLinks.count
        }
        self.byLinks = byLinks
        self.byLinksStart = byLinksStart

        let nodeType = self.nodeType
        texts = graph.nodes.withUnsafeBufferPointer { nodes in
            NodeTexts(count: nodes.count) { node in
                let info = nodes.baseAddress! + node
                let type = nodeType[node] < types.count ? types[nodeType[node]] : AssetTypeInfo(slug: info.pointee.type, label: info.pointee.type, colour: AssetTypeInfo.defaultColour)
                return (info.pointee.slug, info.pointee.title, type.label, type.colour)
            }
        }
    }

    /// The neighbours of `node`, most linked first, ties in title order.
    func neighboursByLinks(of node: Int) -> ArraySlice<Neighbour> {
        byLinks[byLinksStart[node]..<byLinksStart[node + 1]]
    }

    func link(_ a: Int, _ b: Int) -> ConnectionGraph.Link? {
        linkIndex[graph.pairKey(a, b)].map { links[$0] }
    }

    func typeInfo(_ slug: String) -> AssetTypeInfo {
        typeIndex[slug].map { types[$0] } ?? AssetTypeInfo(slug: slug, label: slug, colour: AssetTypeInfo.defaultColour)
    }

    /// The position of a type in site.yml order (unknown types last).
    func typePosition(_ slug: String) -> Int { typeIndex[slug] ?? types.count }

    /// The position of a node's type in site.yml order.
    func typePosition(of node: Int) -> Int { nodeType[node] }

    /// Title order, ties by slug.
    func titleOrder(_ a: Int, _ b: Int) -> Bool { titleRank[a] < titleRank[b] }

    /// The nodes of `graph` in title order: case-insensitive, ties broken by slug.
    static func titleOrder(of graph: ConnectionGraph) -> [Int] {
        let lowered = graph.nodes.map { $0.title.lowercased() }
        return (0..<graph.count).sorted {
            lowered[$0] != lowered[$1] ? lowered[$0] < lowered[$1] : graph.nodes[$0].slug < graph.nodes[$1].slug
        }
    }

    /// A node ready to draw, linked to its profile through the drawing's
    /// `profileLinks` (its own `href` is left empty), its texts in `texts`
    /// (for a drawing whose `texts` are set to them). A node of a drawing
    /// that is not `interactive` goes without its type, areas and tags,
    /// which only the `data-` attributes show.
    func drawingNode(_ node: Int, at position: Point, radius: Double, interactive: Bool = true) -> MapDrawing.Node {
        // Fields are read one by one: a copy of the whole node would retain each of its strings.
        graph.nodes.withUnsafeBufferPointer { nodes in
            let info = nodes.baseAddress! + node
            let type = nodeType[node] < types.count ? types[nodeType[node]] : typeInfo(info.pointee.type)
            return MapDrawing.Node(
                id: info.pointee.slug, title: info.pointee.title, tooltip: info.pointee.title, tooltipNote: type.label,
                type: interactive ? info.pointee.type : "", colour: type.colour,
                areas: interactive ? info.pointee.areas : [], tags: interactive ? info.pointee.tags : [],
                href: "",
                position: position, radius: radius,
                priority: Double(degree[node]) + centrality.normalised[node] * 40,
                textIndex: node)
        }
    }

    /// The URL of a profile relative to the page at `pagePath` (a folder),
    /// as `SitePaths.relative` gives it.
    static func assetHref(from pagePath: String, to slug: String) -> String {
        ProfileLinks(from: pagePath).href(slug)
    }

    /// The radius of a node on the big map: larger for more links.
    func radius(_ node: Int) -> Double {
        min(15, 4.5 + 1.7 * Double(degree[node]).squareRoot())
    }
}

/// Links from one page to profiles, as `SitePaths.relative` gives them,
/// with the page's own part worked out once rather than for each of the
/// many nodes of a map.
struct ProfileLinks: Sendable {
    private let pagePath: String
    /// The slug of the profile the page belongs to, on a profile page.
    private let own: String?
    /// What goes before `slug/index.html`; nil when the page is not a folder.
    private let prefix: String?

    init(from pagePath: String) {
        self.pagePath = pagePath
        let path = Array(pagePath.utf8)
        let slash = UInt8(ascii: "/")
        if path.starts(with: "assets/".utf8), path.count > 7, !path[7..<path.count - 1].contains(slash) {
            own = String(decoding: path[7..<path.count - 1], as: UTF8.self)
            prefix = "../"
        } else if path.last == slash {
            own = nil
            prefix = String(repeating: "../", count: path.count { $0 == slash }) + "assets/"
        } else {
            own = nil
            prefix = nil
        }
    }

    /// ` href="…"` of the link to a profile, written straight into `out`:
    /// the same bytes as `out.attribute("href", href(slug))`.
    func writeHref(_ slug: String, into out: inout SVGOut) {
        writeHref(slug, into: &out) { $0.text(slug) }
    }

    /// `writeHref(_:into:)` of node `node` of `texts`, whose slug is `slug`.
    func writeHref(_ slug: String, escaped texts: NodeTexts, of node: Int, into out: inout SVGOut) {
        writeHref(slug, into: &out) { texts.write(.slug, of: node, into: &$0) }
    }

    /// `writeHref`, with `writeSlug` writing the slug escaped.
    @inline(__always)
    private func writeHref(_ slug: String, into out: inout SVGOut, writeSlug: (inout SVGOut) -> Void) {
        guard let prefix else { return out.attribute("href", href(slug)) }
        out.raw(#" href=""#)
        if let own, own == slug {
            out.raw("index.html")
        } else {
            // The prefix is made of dots, slashes and `assets`: nothing to escape.
            out.write(prefix)
            writeSlug(&out)
            out.raw("/index.html")
        }
        out.raw("\"")
    }

    func href(_ slug: String) -> String {
        guard let prefix else { return SitePaths.relative(from: pagePath, to: SitePaths.asset(slug)) }
        if let own, own == slug { return "index.html" }
        var href = prefix
        href.reserveCapacity(prefix.utf8.count + slug.utf8.count + 11)
        href += slug
        href += "/index.html"
        return href
    }
}
