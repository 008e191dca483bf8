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
        self.data = data
        let graph = data.graph
        let views = model.views
        refs = graph.nodes.map { node in
            model.assetsBySlug[node.slug].map(views.assetRef) ?? .object(["slug": .string(node.slug), "title": .string(node.title)])
        }
        var storiesBySlug: [String: Story] = [:]
        for story in model.content.stories { storiesBySlug[story.slug] = story }
        storyRefs = graph.stories.map { info in
            storiesBySlug[info.slug].map(views.storyRef) ?? .object(["slug": .string(info.slug), "title": .string(info.title)])
        }
        var edgesOf = [[Int]](repeating: [], count: graph.count)
        var declared: Set<Int> = []
        for (position, edge) in graph.edges.enumerated() {
            edgesOf[edge.from].append(position)
            edgesOf[edge.to].append(position)
            if edge.type == .connection { declared.insert(graph.pairKey(edge.from, edge.to)) }
        }
        self.edgesOf = edgesOf

        var gifts: [[String]] = [], needs: [[String]] = [], tags: [[String]] = []
        for node in graph.nodes {
            let asset = model.assetsBySlug[node.slug]
            gifts.append(asset?.gifts ?? [])
            needs.append(asset?.needs ?? [])
            tags.append(asset?.tags ?? [])
        }
        suggestions = GiftMatcher.suggestions(
            gifts: gifts, needs: needs, tags: tags,
            titles: graph.nodes.map(\.title), slugs: graph.nodes.map(\.slug),
            connected: { declared.contains(graph.pairKey($0, $1)) })
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
        .object([
            "from": refs[edge.from],
            "to": refs[edge.to],
            "type": .string(edge.type.rawValue),
            "type_label": .string(edge.type.label),
            "kind": Views.text(edge.kind),
            "note": Views.text(edge.note),
            "direction": .string(edge.type.isDirected ? "directed" : "undirected"),
            "stories": .array(edge.stories.map { storyRefs[$0] }),
        ])
    }

    func suggestionValue(_ suggestion: GiftMatcher.Suggestion, other: Int, direction: String?) -> Value {
        var fields: [String: Value] = [
            "asset": refs[other],
            "need": .string(suggestion.need),
            "gift": Views.text(suggestion.gift),
            "reason": .string(suggestion.reason.text),
            "match": .string(Self.matchName(suggestion.reason)),
        ]
        if let direction {
            fields["direction"] = .string(direction)
        } else {
            fields["needer"] = refs[suggestion.needer]
            fields["giver"] = refs[suggestion.giver]
            fields.removeValue(forKey: "asset")
        }
        return .object(fields)
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
        return .object([
            "degree": .int(data.degree[node]),
            "connections": .int(connectionCount),
            "mentions": .int(mentionCount),
            "story_links": .int(storyCount),
            "betweenness": .double(Self.rounded(data.centrality.normalised[node], places: 4)),
            "connector_rank": data.connectorRank[node].map { .int($0) } ?? .null,
            "cluster": componentSize > 1 ? .int(component + 1) : .null,
            "cluster_size": .int(componentSize),
            "isolated": .bool(data.degree[node] == 0),
        ])
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
    func linkFields(of node: Int) -> [String: Value] {
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
        var otherLinks: [Value] = []
        // Kind in lower case (for grouping), as first written, and items.
        // An asset has few kinds: a list is searched faster than a dictionary.
        var groups: [(key: String, kind: String, items: [Value])] = []
        for slot in order {
            let other = around[slot], entry = entries[slot]
            let stories = stories(node, other)
            var types: [Value] = []
            if !entry.connections.isEmpty { types.append("connection") }
            if entry.mentionTo || entry.mentionFrom { types.append("mention") }
            if entry.inStory { types.append("story") }
            neighbours.append(.object([
                "asset": refs[other],
                "connections": .array(entry.connections.map {
                    .object(["kind": .string($0.kind), "note": Views.text($0.note), "direction": .string($0.outgoing ? "to" : "from")])
                }),
                "mention": mentionText(entry),
                "stories": stories,
                "types": .array(types),
            ]))
            if entry.connections.isEmpty {
                otherLinks.append(.object(["asset": refs[other], "mention": mentionText(entry), "stories": stories]))
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
                let value: Value = .object([
                    "asset": refs[other],
                    "direction": .string(direction),
                    "notes": Views.list(item.notes),
                    "stories": stories,
                ])
                if let group = groups.firstIndex(where: { $0.key == item.key }) {
                    groups[group].items.append(value)
                } else {
                    groups.append((item.key, item.kind, [value]))
                }
            }
        }
        let groupValues: [Value] = groups.sorted { $0.key < $1.key }.map { group in
            .object(["kind": .string(group.kind), "items": .array(group.items)])
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

    /// A number rounded to a few decimal places, so templates print it short and the same everywhere.
    static func rounded(_ value: Double, places: Int) -> Double {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return (value * scale).rounded() / scale
    }
}
