import Content
import Diagnostics

/// The connection map as a graph: every published asset is a node, and the
/// edges come from three sources: `connections` in front matter, links from
/// one profile's body to another, and assets named together in a story.
///
/// Nodes are numbered in slug order, edges keep a fixed order (front-matter
/// connections by asset and position, then mentions, then story pairs), and
/// every list derived from them is sorted, so nothing here depends on the
/// iteration order of a dictionary.
struct ConnectionGraph: Sendable {
    /// Where an edge comes from.
    enum EdgeType: String, Sendable, CaseIterable, Comparable {
        /// Declared in front matter: directed, with a kind and a note.
        case connection
        /// A link from one profile's body to another: directed.
        case mention
        /// Two assets named in the same story: undirected.
        case story

        /// Drawing order and strength: a declared connection outranks a mention, which outranks a story.
        var rank: Int {
            switch self {
            case .connection: 0
            case .mention: 1
            case .story: 2
            }
        }

        static func < (lhs: EdgeType, rhs: EdgeType) -> Bool { lhs.rank < rhs.rank }

        var label: String {
            switch self {
            case .connection: "Connection"
            case .mention: "Mentioned in a profile"
            case .story: "Named together in a story"
            }
        }

        var isDirected: Bool { self != .story }
    }

    struct Node: Sendable {
        var slug: String
        var title: String
        var type: String
        /// Area slugs and names, in the order the profile gives them.
        var areas: [String]
        var areaNames: [String]
        var tags: [String]
        var tagNames: [String]
        var summary: String
    }

    struct Edge: Sendable {
        var from: Int
        var to: Int
        var type: EdgeType
        /// The connection's kind (`supplies`, `meets at`); empty for mentions and stories.
        var kind: String
        var note: String?
        /// For story edges, the stories (indices into `stories`) naming both ends, newest first.
        var stories: [Int]
    }

    struct StoryInfo: Sendable {
        var slug: String
        var title: String
        var date: String
    }

    let nodes: [Node]
    let index: [String: Int]
    let edges: [Edge]
    let stories: [StoryInfo]
    /// Undirected simple adjacency: for each node, the distinct nodes it shares
    /// any edge with, in ascending index order.
    let neighbours: [[Int]]
    /// Stories naming both ends of a pair, keyed by `pairKey`.
    let storiesByPair: [Int: [Int]]
    /// Connected components, largest first (ties: smallest node index first).
    let components: [[Int]]
    /// For each node, its position in `components`.
    let componentOf: [Int]

    var count: Int { nodes.count }

    /// A key for an unordered pair of nodes.
    func pairKey(_ a: Int, _ b: Int) -> Int { a < b ? a &* nodes.count &+ b : b &* nodes.count &+ a }

    /// Builds the graph.
    /// - Parameters:
    ///   - assets: the published assets, sorted by slug.
    ///   - stories: the published stories (any order; they are sorted here).
    ///   - mentions: body links from one profile to another, in asset order.
    ///   - areaSlug: turns an area name into its slug.
    /// - Complexity: O(V + E + Σ k²) where k is the number of assets a story names.
    init(assets: [Asset], stories: [Story], mentions: [SiteModel.Mention], areaSlug: (String) -> String = Slug.term) {
        var index: [String: Int] = [:]
        index.reserveCapacity(assets.count)
        var nodes: [Node] = []
        nodes.reserveCapacity(assets.count)
        // Many assets share an area or a tag: each name is made a slug once.
        var areaSlugs: [String: String] = [:], tagSlugs: [String: String] = [:]
        func slugs(_ names: [String], _ known: inout [String: String], _ make: (String) -> String) -> [String] {
            names.map { name in
                if let slug = known[name] { return slug }
                let slug = make(name)
                known[name] = slug
                return slug
            }
        }
        // The node of each asset (for a repeated slug, the first asset's),
        // so that its connections are read without looking its slug up again.
        var nodeOf = [Int](repeating: 0, count: assets.count)
        // Assets are read where they lie: a copy would retain each of their fields.
        assets.withUnsafeBufferPointer { assets in
            for position in assets.indices {
                let asset = assets.baseAddress! + position
                // One look-up: a repeated slug keeps its first node.
                if let first = index.updateValue(nodes.count, forKey: asset.pointee.slug) {
                    index[asset.pointee.slug] = first
                    nodeOf[position] = first
                    continue
                }
                nodeOf[position] = nodes.count
                nodes.append(Node(
                    slug: asset.pointee.slug, title: asset.pointee.title, type: asset.pointee.type,
                    areas: slugs(asset.pointee.areas, &areaSlugs, areaSlug), areaNames: asset.pointee.areas,
                    tags: slugs(asset.pointee.tags, &tagSlugs, Slug.term), tagNames: asset.pointee.tags, summary: asset.pointee.summary))
            }
        }
        let n = nodes.count
        func key(_ a: Int, _ b: Int) -> Int { a < b ? a &* n &+ b : b &* n &+ a }

        var edges: [Edge] = []

        // Front-matter connections, in slug order and then file order. The
        // Content module has already reported self-links and duplicates
        // (K032, K033); they are skipped here all the same.
        assets.withUnsafeBufferPointer { assets in
            for position in assets.indices {
                let asset = assets.baseAddress! + position
                let from = nodeOf[position]
                var seen = SmallSet()
                for connection in asset.pointee.connections {
                    guard let to = index[connection.to], to != from, seen.insert(to) else { continue }
                    edges.append(Edge(from: from, to: to, type: .connection, kind: connection.kind,
                                      note: connection.note.flatMap { $0.isEmpty ? nil : $0 }, stories: []))
                }
            }
        }

        // Links between profile bodies.
        var seenMentions: Set<Int> = []
        for mention in mentions {
            guard let from = index[mention.from], let to = index[mention.to], from != to,
                  seenMentions.insert(from &* n &+ to).inserted else { continue }
            edges.append(Edge(from: from, to: to, type: .mention, kind: "", note: nil, stories: []))
        }

        // Stories: every pair of assets a story names, one edge per pair
        // carrying every story that names both.
        // (Positions are sorted, not stories: moving a story would retain its fields.)
        let storyOrder = stories.withUnsafeBufferPointer { stories in
            stories.indices.sorted { (stories[$0].date, stories[$1].slug) > (stories[$1].date, stories[$0].slug) }
        }
        var storyInfos: [StoryInfo] = []
        storyInfos.reserveCapacity(stories.count)
        // Each pair a story names, as (pair key, story), in story order.
        var named: [(pair: Int, story: Int)] = []
        var members: [Int] = []
        stories.withUnsafeBufferPointer { stories in
            for position in storyOrder {
                let story = stories.baseAddress! + position
                let storyIndex = storyInfos.count
                storyInfos.append(StoryInfo(slug: story.pointee.slug, title: story.pointee.title, date: story.pointee.date))
                members.removeAll(keepingCapacity: true)
                for reference in story.pointee.assets {
                    if let node = index[reference.slug], !members.contains(node) { members.append(node) }
                }
                members.sort()
                for i in members.indices {
                    for j in members.indices where j > i {
                        named.append((key(members[i], members[j]), storyIndex))
                    }
                }
            }
        }
        // By pair, each pair's stories in story order: one run per pair.
        named.sort { $0.pair != $1.pair ? $0.pair < $1.pair : $0.story < $1.story }
        var byPair: [Int: [Int]] = [:]
        var runStart = 0
        while runStart < named.count {
            let pair = named[runStart].pair
            var runEnd = runStart + 1
            while runEnd < named.count, named[runEnd].pair == pair { runEnd += 1 }
            let storiesOfPair = named[runStart..<runEnd].map(\.story)
            byPair[pair] = storiesOfPair
            let a = pair / max(n, 1), b = pair % max(n, 1)
            edges.append(Edge(from: a, to: b, type: .story, kind: "", note: nil, stories: storiesOfPair))
            runStart = runEnd
        }

        let neighbours = Self.adjacency(count: n, edges: edges)

        // Connected components by breadth-first search.
        var componentOf = Array(repeating: -1, count: n)
        var found: [[Int]] = []
        var queue: [Int] = []
        for start in 0..<n where componentOf[start] < 0 {
            componentOf[start] = found.count
            queue.removeAll(keepingCapacity: true)
            queue.append(start)
            var head = 0
            while head < queue.count {
                let node = queue[head]
                head += 1
                for next in neighbours[node] where componentOf[next] < 0 {
                    componentOf[next] = found.count
                    queue.append(next)
                }
            }
            found.append(queue.sorted())
        }
        let components = found.sorted { $0.count != $1.count ? $0.count > $1.count : $0[0] < $1[0] }
        for (position, component) in components.enumerated() {
            for node in component { componentOf[node] = position }
        }

        self.nodes = nodes
        self.index = index
        self.edges = edges
        self.stories = storyInfos
        self.neighbours = neighbours
        self.storiesByPair = byPair
        self.components = components
        self.componentOf = componentOf
    }

    /// The distinct other ends of each node's edges, in ascending order.
    /// Made once every edge is known: the ends of all nodes are counted,
    /// laid out in one list, and each node's part sorted in place, so each
    /// node's list is made once at its exact size.
    private static func adjacency(count n: Int, edges: [Edge]) -> [[Int]] {
        var start = [Int](repeating: 0, count: n + 1)
        for edge in edges {
            start[edge.from + 1] += 1
            start[edge.to + 1] += 1
        }
        for node in 0..<n { start[node + 1] += start[node] }
        var ends = [Int](repeating: 0, count: start[n])
        var next = start
        for edge in edges {
            ends[next[edge.from]] = edge.to
            next[edge.from] += 1
            ends[next[edge.to]] = edge.from
            next[edge.to] += 1
        }
        return ends.withUnsafeMutableBufferPointer { ends in
            (0..<n).map { node in
                var list = UnsafeMutableBufferPointer(rebasing: ends[start[node]..<start[node + 1]])
                list.sort()
                var distinct = list.count
                if list.count > 1 {
                    for position in 1..<list.count where list[position] == list[position - 1] { distinct -= 1 }
                }
                return [Int](unsafeUninitializedCapacity: distinct) { buffer, initialised in
                    var written = 0
                    for position in list.indices where position == 0 || list[position] != list[position - 1] {
                        buffer[written] = list[position]
                        written += 1
                    }
                    initialised = written
                }
            }
        }
    }

    /// Stories naming both assets, newest first.
    func stories(between a: Int, _ b: Int) -> [Int] { storiesByPair[pairKey(a, b)] ?? [] }

    /// Nodes with no edge of any kind.
    var isolated: [Int] { (0..<count).filter { neighbours[$0].isEmpty } }

    /// The edges between each linked pair, one entry per pair: drawn as one
    /// line, styled by its strongest type.
    struct Link: Sendable {
        var a: Int
        var b: Int
        var types: [EdgeType]
        /// A declared connection from `a` to `b`, and from `b` to `a`.
        var aToB: Bool
        var bToA: Bool
        var strongest: EdgeType { types.min() ?? .story }
    }

    /// One `Link` per linked pair (a < b), sorted by (a, b).
    /// - Parameter within: when given, only pairs with both ends in the set.
    func links(within: Set<Int>? = nil) -> [Link] {
        var byPair: [Int: Link] = [:]
        for edge in edges {
            if let within, !within.contains(edge.from) || !within.contains(edge.to) { continue }
            let a = min(edge.from, edge.to), b = max(edge.from, edge.to)
            var link = byPair[pairKey(a, b)] ?? Link(a: a, b: b, types: [], aToB: false, bToA: false)
            if !link.types.contains(edge.type) { link.types.append(edge.type) }
            if edge.type == .connection {
                if edge.from == a { link.aToB = true } else { link.bToA = true }
            }
            byPair[pairKey(a, b)] = link
        }
        return byPair.keys.sorted().map { byPair[$0]! }
    }
}

/// The nodes seen so far in a short list, such as one asset's connections:
/// searched in a list while it is short (most are), in a set past that.
private struct SmallSet {
    private var list: [Int] = []
    private var set: Set<Int> = []

    /// Adds `node`; whether it was not there yet.
    mutating func insert(_ node: Int) -> Bool {
        if list.count < 16 {
            if list.contains(node) { return false }
            list.append(node)
            return true
        }
        if set.isEmpty { set = Set(list) }
        return set.insert(node).inserted
    }
}

/// FNV-1a, 64 bits: a stable hash of text, the same on every run and every
/// machine (unlike `Hasher`, which is seeded per process).
enum StableHash {
    static func of(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return mix(hash)
    }

    /// A final avalanche so that slugs differing in one letter land far apart.
    static func mix(_ value: UInt64) -> UInt64 {
        var x = value
        x ^= x >> 33
        x &*= 0xff51_afd7_ed55_8ccd
        x ^= x >> 33
        x &*= 0xc4ce_b9fe_1a85_ec53
        x ^= x >> 33
        return x
    }

    /// A number in [0, 1) from 32 bits of a hash.
    static func unit(_ hash: UInt64, _ shift: UInt64) -> Double {
        Double((hash >> shift) & 0xffff_ffff) / 4_294_967_296.0
    }
}
