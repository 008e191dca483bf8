import Content
import Templates

/// The connection map in template form: the short values of assets and
/// stories shared by every list, and the fields each asset gets. Only
/// compact tables are kept; the values of one asset's page are made when
/// that page is rendered.
struct MapValues: Sendable {
    let data: MapData
    /// `{slug, title, url, summary, type}` of each node, as in `asset.connections`.
    let refs: [Value]
    /// `{slug, title, url, date, summary}` of each story of the graph.
    let storyRefs: [Value]
    /// Edge indices touching each node.
    let edgesOf: [[Int]]
    /// Suggested connections, best first.
    let suggestions: [GiftMatcher.Suggestion]
    /// For each node, the positions in `suggestions` of what others offer
    /// that it needs, and of what others need that it offers: at most
    /// `suggestionsPerAsset` each, best first.
    let offered: [[Int32]]
    let wanted: [[Int32]]

    /// How many suggestions of each direction a profile shows.
    static let suggestionsPerAsset = 5

    init(model: SiteModel, data: MapData) {
        self.init(data: data, prepared: Self.prepare(model: model, graph: data.graph))
    }

    /// What is made from the graph and the content alone, not from its
    /// metrics, so it can be made while `MapData` is.
    struct Prepared: Sendable {
        var refs: [Value]
        var storyRefs: [Value]
        var edgesOf: [[Int]]
        var suggestions: [GiftMatcher.Suggestion]
    }

    /// - Parameter titleOrder: the nodes in title order, when the caller knows it already.
    static func prepare(model: SiteModel, graph: ConnectionGraph, titleOrder: [Int]? = nil) -> Prepared {
        let views = model.views
        let assets = model.content.assets
        // The nodes are the published assets in their order, slugs being
        // unique; an asset's fields are read where it lies, not copied.
        var refs: [Value] = []
        refs.reserveCapacity(graph.count)
        var gifts: [[String]] = [], needs: [[String]] = [], tags: [[String]] = []
        gifts.reserveCapacity(graph.count)
        needs.reserveCapacity(graph.count)
        tags.reserveCapacity(graph.count)
        assets.withUnsafeBufferPointer { assets in
            let inOrder = assets.count == graph.count && graph.nodes.indices.allSatisfy {
                (assets.baseAddress! + $0).pointee.slug == graph.nodes[$0].slug
            }
            for position in graph.nodes.indices {
                if inOrder {
                    let asset = assets.baseAddress! + position
                    refs.append(views.assetRef(asset.pointee))
                    gifts.append(asset.pointee.gifts)
                    needs.append(asset.pointee.needs)
                    tags.append(asset.pointee.tags)
                } else {
                    let node = graph.nodes[position]
                    let asset = model.assetsBySlug[node.slug]
                    refs.append(asset.map(views.assetRef) ?? .object(["slug": .string(node.slug), "title": .string(node.title)]))
                    gifts.append(asset?.gifts ?? [])
                    needs.append(asset?.needs ?? [])
                    tags.append(asset?.tags ?? [])
                }
            }
        }
        var storiesBySlug: [String: Int] = [:]
        for (position, story) in model.content.stories.enumerated() { storiesBySlug[story.slug] = position }
        let storyRefs: [Value] = model.content.stories.withUnsafeBufferPointer { stories in
            graph.stories.map { info in
                storiesBySlug[info.slug].map { views.storyRef((stories.baseAddress! + $0).pointee) }
                    ?? .object(["slug": .string(info.slug), "title": .string(info.title)])
            }
        }
        var edgesOf = [[Int]](repeating: [], count: graph.count)
        var declared: Set<Int> = []
        for (position, edge) in graph.edges.enumerated() {
            edgesOf[edge.from].append(position)
            edgesOf[edge.to].append(position)
            if edge.type == .connection { declared.insert(graph.pairKey(edge.from, edge.to)) }
        }
        let suggestions = GiftMatcher.suggestions(
            gifts: gifts, needs: needs, tags: tags,
            titles: graph.nodes.map(\.title), slugs: graph.nodes.map(\.slug), titleOrder: titleOrder,
            connected: { declared.contains(graph.pairKey($0, $1)) })
        return Prepared(refs: refs, storyRefs: storyRefs, edgesOf: edgesOf, suggestions: suggestions)
    }

    init(data: MapData, prepared: Prepared) {
        self.data = data
        let graph = data.graph
        refs = prepared.refs
        storyRefs = prepared.storyRefs
        edgesOf = prepared.edgesOf
        suggestions = prepared.suggestions
        var offered = [[Int32]](repeating: [], count: graph.count)
        var wanted = [[Int32]](repeating: [], count: graph.count)
        for (position, suggestion) in suggestions.enumerated() {
            if offered[suggestion.needer].count < Self.suggestionsPerAsset { offered[suggestion.needer].append(Int32(position)) }
            if wanted[suggestion.giver].count < Self.suggestionsPerAsset { wanted[suggestion.giver].append(Int32(position)) }
        }
        self.offered = offered
        self.wanted = wanted
    }

    /// The stories naming both ends of a pair, as values.
    func stories(_ a: Int, _ b: Int) -> Value {
        .array(data.graph.stories(between: a, b).map { storyRefs[$0] })
    }

    /// One edge as a row of the connection table:
    /// `{from, to, type, type_label, kind, note, direction, stories}`.
    func edgeValue(_ edge: ConnectionGraph.Edge) -> Value {
        Self.edgeShape.make(
            refs[edge.from],
            refs[edge.to],
            .string(edge.type.rawValue),
            .string(edge.type.label),
            Views.text(edge.kind),
            Views.text(edge.note),
            .string(edge.type.isDirected ? "directed" : "undirected"),
            .array(edge.stories.map { storyRefs[$0] }))
    }

    func suggestionValue(_ suggestion: GiftMatcher.Suggestion, other: Int, direction: String?) -> Value {
        if let direction {
            return Self.suggestionShape.make(
                refs[other], .string(suggestion.need), Views.text(suggestion.gift), .string(suggestion.reason.text),
                .string(Self.matchName(suggestion.reason)), .string(direction))
        }
        return .object([
            "needer": refs[suggestion.needer],
            "giver": refs[suggestion.giver],
            "need": .string(suggestion.need),
            "gift": Views.text(suggestion.gift),
            "reason": .string(suggestion.reason.text),
            "match": .string(Self.matchName(suggestion.reason)),
        ])
    }

    static func matchName(_ reason: GiftMatcher.Reason) -> String {
        switch reason {
        case .same: "same"
        case .words: "words"
        case .tag: "tag"
        }
    }

    /// `metrics` of one asset: small, and set on every asset.
    func metrics(of node: Int) -> Value {
        let graph = data.graph
        var connectionCount = 0, mentionCount = 0, storyCount = 0
        for position in edgesOf[node] {
            switch graph.edges[position].type {
            case .connection: connectionCount += 1
            case .mention: mentionCount += 1
            case .story: storyCount += 1
            }
        }
        let component = graph.componentOf[node]
        let componentSize = graph.components[component].count
        return Self.metricsShape.make(
            .int(data.degree[node]),
            .int(connectionCount),
            .int(mentionCount),
            .int(storyCount),
            .double(Self.rounded(data.centrality.normalised[node], places: 4)),
            data.connectorRank[node].map { .int($0) } ?? .null,
            componentSize > 1 ? .int(component + 1) : .null,
            .int(componentSize),
            .bool(data.degree[node] == 0))
    }

    /// `suggestions` of one asset: what others offer that it needs, then
    /// what others need that it offers.
    func suggestions(of node: Int) -> Value {
        var items: [Value] = []
        for position in offered[node] {
            let suggestion = suggestions[Int(position)]
            items.append(suggestionValue(suggestion, other: suggestion.giver, direction: "offers"))
        }
        for position in wanted[node] {
            let suggestion = suggestions[Int(position)]
            items.append(suggestionValue(suggestion, other: suggestion.needer, direction: "needs"))
        }
        return .array(items)
    }

    /// `neighbours`, `connection_groups` and `other_links` of one asset,
    /// made for its own page (see `SiteSection.assetPageFields`).
    func linkFields(of node: Int) -> Object {
        let graph = data.graph
        struct Entry {
            var connections: [(kind: String, note: String?, outgoing: Bool)] = []
            var mentionTo = false
            var mentionFrom = false
            var inStory = false
        }
        // One entry per neighbour, in the (ascending) order of `graph.neighbours`,
        // which holds the other end of every edge exactly once.
        let around = graph.neighbours[node]
        var entries = [Entry](repeating: Entry(), count: around.count)
        for position in edgesOf[node] {
            let edge = graph.edges[position]
            let outgoing = edge.from == node
            let other = outgoing ? edge.to : edge.from
            var lower = 0, upper = around.count
            while lower < upper {
                let middle = (lower + upper) / 2
                if around[middle] < other { lower = middle + 1 } else { upper = middle }
            }
            switch edge.type {
            case .connection:
                entries[lower].connections.append((edge.kind, edge.note, outgoing))
            case .mention:
                if outgoing { entries[lower].mentionTo = true } else { entries[lower].mentionFrom = true }
            case .story:
                entries[lower].inStory = true
            }
        }
        let titleRank = data.titleRank
        let order = around.indices.sorted { titleRank[around[$0]] < titleRank[around[$1]] }

        func mentionText(_ entry: Entry) -> Value {
            switch (entry.mentionTo, entry.mentionFrom) {
            case (true, true): "both"
            case (true, false): "to"
            case (false, true): "from"
            case (false, false): .null
            }
        }

        var neighbours: [Value] = []
        neighbours.reserveCapacity(around.count)
        var otherLinks: [Value] = []
        // Kind in lower case (for grouping), as first written, and items.
        // An asset has few kinds: a list is searched faster than a dictionary.
        var groups: [(key: String, kind: String, items: [Value])] = []
        for slot in order {
            let other = around[slot], entry = entries[slot]
            let stories = stories(node, other)
            let types = (entry.connections.isEmpty ? 0 : 1) | (entry.mentionTo || entry.mentionFrom ? 2 : 0) | (entry.inStory ? 4 : 0)
            neighbours.append(Self.neighbourShape.make(
                refs[other],
                .array(entry.connections.map {
                    Self.connectionShape.make(.string($0.kind), Views.text($0.note), .string($0.outgoing ? "to" : "from"))
                }),
                mentionText(entry),
                stories,
                Self.linkTypeLists[types]))
            if entry.connections.isEmpty {
                otherLinks.append(Self.otherLinkShape.make(refs[other], mentionText(entry), stories))
                continue
            }
            // One item per kind: both directions of the same kind read as one.
            var kinds: [(key: String, kind: String, to: Bool, from: Bool, notes: [String])] = []
            for connection in entry.connections {
                let key = connection.kind.lowercased()
                let position = kinds.firstIndex { $0.key == key } ?? kinds.count
                if position == kinds.count { kinds.append((key, connection.kind, false, false, [])) }
                if connection.outgoing { kinds[position].to = true } else { kinds[position].from = true }
                if let note = connection.note { kinds[position].notes.append(note) }
            }
            for item in kinds {
                let direction = item.to && item.from ? "both" : (item.to ? "to" : "from")
                let value = Self.groupItemShape.make(refs[other], .string(direction), Views.list(item.notes), stories)
                if let group = groups.firstIndex(where: { $0.key == item.key }) {
                    groups[group].items.append(value)
                } else {
                    groups.append((item.key, item.kind, [value]))
                }
            }
        }
        let groupValues: [Value] = groups.sorted { $0.key < $1.key }.map { group in
            Self.groupShape.make(.string(group.kind), .array(group.items))
        }

        return [
            "neighbours": .array(neighbours),
            "connection_groups": .array(groupValues),
            "other_links": .array(otherLinks),
        ]
    }

    /// `neighbourhood` of one asset: the small map of its profile page, drawn
    /// when that page is rendered (see `SiteSection.assetPageFields`).
    func neighbourhood(of node: Int) -> Value {
        guard let drawing = Neighbourhood.draw(data, centre: node) else { return .null }
        return .object([
            "svg": .safe(drawing.svg),
            "description": .string(drawing.description),
            "direct": .int(drawing.direct),
            "shown": .int(drawing.shownDirect),
            "second": .int(drawing.second),
        ])
    }

    /// `types` of a neighbour, made once: the list for each set of link
    /// types, the set written as bits (1 connection, 2 mention, 4 story).
    static let linkTypeLists: [Value] = (0..<8).map { set in
        var types: [Value] = []
        if set & 1 != 0 { types.append("connection") }
        if set & 2 != 0 { types.append("mention") }
        if set & 4 != 0 { types.append("story") }
        return .array(types)
    }

    // The shapes of the objects made for every profile, their keys hashed once.
    static let neighbourShape = ObjectShape(["asset", "connections", "mention", "stories", "types"])
    static let connectionShape = ObjectShape(["kind", "note", "direction"])
    static let otherLinkShape = ObjectShape(["asset", "mention", "stories"])
    static let groupItemShape = ObjectShape(["asset", "direction", "notes", "stories"])
    static let groupShape = ObjectShape(["kind", "items"])
    static let metricsShape = ObjectShape([
        "degree", "connections", "mentions", "story_links", "betweenness", "connector_rank", "cluster", "cluster_size", "isolated",
    ])
    static let edgeShape = ObjectShape(["from", "to", "type", "type_label", "kind", "note", "direction", "stories"])
    static let suggestionShape = ObjectShape(["asset", "need", "gift", "reason", "match", "direction"])

    /// A number rounded to a few decimal places, so templates print it short and the same everywhere.
    static func rounded(_ value: Double, places: Int) -> Double {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return (value * scale).rounded() / scale
    }
}

/// Objects with the same keys, made many times: every object made shares
/// one list of names, hashed once, and holds only its values.
struct ObjectShape: Sendable {
    private let keys: ObjectKeys

    init(_ keys: [String]) {
        precondition(keys.count <= 9, "an object shape has at most 9 keys")
        self.keys = ObjectKeys(keys)
    }

    /// The object with the `n`-th value under the `n`-th key of the shape.
    func make(_ v0: Value, _ v1: Value, _ v2: Value = .null, _ v3: Value = .null, _ v4: Value = .null,
              _ v5: Value = .null, _ v6: Value = .null, _ v7: Value = .null, _ v8: Value = .null) -> Value {
        let count = keys.count
        var values: [Value] = []
        values.reserveCapacity(count)
        values.append(v0)
        values.append(v1)
        if count > 2 { values.append(v2) }
        if count > 3 { values.append(v3) }
        if count > 4 { values.append(v4) }
        if count > 5 { values.append(v5) }
        if count > 6 { values.append(v6) }
        if count > 7 { values.append(v7) }
        if count > 8 { values.append(v8) }
        return .object(Object(keys: keys, values: values))
    }
}
