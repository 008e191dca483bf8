import Content
import Diagnostics
import Dispatch
import Foundation
import Templates

/// The pages of the connection map: the map itself (whole, or an overview
/// with one map per part for a large directory) and the insights page.
struct MapPages {
    let model: SiteModel
    let data: MapData
    let values: MapValues
    let wholeMapLimit: Int

    /// A piece of a large map: the assets of one area (or type).
    struct Part: Sendable {
        /// `area`, `type`, or `none` for assets without an area.
        var kind: String
        var slug: String
        var name: String
        var path: String
        var members: [Int]
    }

    /// How many connections crossing areas the insights page lists one by one.
    static let crossingListLimit = 200
    /// How many suggestions the insights page lists.
    static let suggestionListLimit = 200
    /// Members listed for each cluster.
    static let clusterMemberLimit = 12

    var graph: ConnectionGraph { data.graph }
    var isSplit: Bool { graph.count > wholeMapLimit }

    // MARK: - Parts

    /// The parts of a large map: by area when the directory uses at least two
    /// areas, otherwise by type. An asset in two areas is on both maps.
    func parts() -> [Part] {
        let usedAreas = Set(graph.nodes.flatMap(\.areas))
        if usedAreas.count >= 2 {
            var members: [String: [Int]] = [:]
            var names: [String: String] = [:]
            var none: [Int] = []
            for (node, info) in graph.nodes.enumerated() {
                if info.areas.isEmpty { none.append(node) }
                for (slug, name) in zip(info.areas, info.areaNames) {
                    if members[slug]?.last != node { members[slug, default: []].append(node) }
                    if names[slug] == nil { names[slug] = name }
                }
            }
            var parts = members.keys.sorted { SiteModel.titleOrder(names[$0]!, $0, names[$1]!, $1) }.map {
                Part(kind: "area", slug: $0, name: names[$0]!, path: "map/areas/\($0)/", members: members[$0]!)
            }
            if !none.isEmpty { parts.append(Part(kind: "none", slug: "no-area", name: "No area given", path: "map/no-area/", members: none)) }
            return parts
        }
        var members: [String: [Int]] = [:]
        for (node, info) in graph.nodes.enumerated() { members[info.type, default: []].append(node) }
        return members.keys.sorted { data.typePosition($0) != data.typePosition($1) ? data.typePosition($0) < data.typePosition($1) : $0 < $1 }.map {
            Part(kind: "type", slug: $0, name: data.typeInfo($0).label, path: "map/types/\($0)/", members: members[$0]!)
        }
    }

    // MARK: - Pages

    func pages() -> [MapSection.PendingPage] {
        var pages: [MapSection.PendingPage] = []
        let siteTitle = model.content.config.title
        let links = data.links.count
        // The insights are made while the maps are drawn.
        let insights = ResultSlots<Value>(count: 1)
        if !isSplit {
            // The whole map is drawn on this thread, so that its layout can
            // use every core; the insights beside it.
            let all = Array(0..<graph.count)
            let (map, insightsValue) = SideBySide.run(
                { mapValue(members: all, path: MapSection.mapPath, kind: "whole", part: nil, parts: []) },
                beside: { self.insightsValue() })
            insights.set(0, insightsValue)
            pages.append(MapSection.PendingPage(
                template: "map.html", path: MapSection.mapPath, kind: "map", title: "Connection map",
                description: "How the \(graph.count) assets of \(siteTitle) connect: \(links) \(links == 1 ? "link" : "links") in one map.",
                extra: ["map": map.value], table: map.table))
        } else {
            let parts = parts()
            let partList = partValues(parts)
            // The overview, then every part; parts are drawn in parallel.
            pages.append(MapSection.PendingPage(
                template: "map.html", path: MapSection.mapPath, kind: "map", title: "Connection map",
                description: "How the \(graph.count) assets of \(siteTitle) connect, area by area.",
                extra: ["map": overviewValue(parts, partList: partList)]))
            let slots = ResultSlots<(value: Value, table: Table)>(count: parts.count)
            // The insights first, as they take longest, then the parts,
            // biggest first, so that no core is left with a big one at the end.
            let order = parts.indices.sorted {
                parts[$0].members.count != parts[$1].members.count ? parts[$0].members.count > parts[$1].members.count : $0 < $1
            }
            DispatchQueue.concurrentPerform(iterations: parts.count + 1) { task in
                if task == 0 {
                    insights.set(0, insightsValue())
                    return
                }
                let index = order[task - 1]
                let part = parts[index]
                slots.set(index, mapValue(members: part.members, path: part.path, kind: "part", part: part, parts: partList))
            }
            for (position, part) in parts.enumerated() {
                pages.append(MapSection.PendingPage(
                    template: "map.html", path: part.path, kind: "map", title: "Connection map: \(part.name)",
                    description: "How the \(part.members.count) assets of \(part.name) connect.",
                    extra: ["map": slots.values[position]?.value ?? .null], table: slots.values[position]?.table))
            }
        }
        pages.append(MapSection.PendingPage(
            template: "insights.html", path: MapSection.insightsPath, kind: "insights", title: "Connection insights",
            description: "Who connects the neighbourhood, who is not connected yet, and which connections could be made.",
            extra: ["insights": insights.values[0] ?? .null]))
        return pages
    }

    /// `site.map`: where the map is and how big it is.
    func siteValue() -> Value {
        .object([
            "url": .string(MapSection.mapPath),
            "insights_url": .string(MapSection.insightsPath),
            "graph_url": .string(MapSection.graphPath),
            "counts": countsValue(),
        ])
    }

    func countsValue() -> Value {
        var connections = 0, mentions = 0, storyLinks = 0
        for edge in graph.edges {
            switch edge.type {
            case .connection: connections += 1
            case .mention: mentions += 1
            case .story: storyLinks += 1
            }
        }
        var clusters = 0
        for component in graph.components where component.count > 1 { clusters += 1 }
        var isolated = 0
        for neighbours in graph.neighbours where neighbours.isEmpty { isolated += 1 }
        return .object([
            "assets": .int(graph.count),
            "links": .int(data.links.count),
            "connections": .int(connections),
            "mentions": .int(mentions),
            "story_links": .int(storyLinks),
            "clusters": .int(clusters),
            "isolated": .int(isolated),
        ])
    }

    func partValues(_ parts: [Part]) -> [Value] {
        parts.map { part in
            var isMember = [Bool](repeating: false, count: graph.count)
            for node in part.members { isMember[node] = true }
            var inside = 0
            for link in data.links where isMember[link.a] && isMember[link.b] { inside += 1 }
            return .object([
                "kind": .string(part.kind), "slug": .string(part.slug), "name": .string(part.name),
                "url": .string(part.path), "count": .int(part.members.count), "links": .int(inside),
            ])
        }
    }

    // MARK: - One map

    /// The lists of a map page, kept as node and edge positions until the
    /// page is rendered: its `nodes` (members in title order) and its
    /// `edges` (the table of every edge with an end on the map).
    struct Table: Sendable {
        var nodes: [Int32]
        var edges: [Int32]

        /// `map.nodes` and `map.edges`, as values.
        func fields(_ values: MapValues) -> Object {
            let data = values.data
            let edges = data.graph.edges
            return [
                "nodes": .array(nodes.map { node in
                    let node = Int(node)
                    return .object([
                        "asset": values.refs[node],
                        "degree": .int(data.degree[node]),
                        "betweenness": .double(MapValues.rounded(data.centrality.normalised[node], places: 4)),
                    ])
                }),
                "edges": .array(self.edges.map { values.edgeValue(edges[Int($0)]) }),
            ]
        }
    }

    /// The `map` value of a page drawing `members`, but for the lists in
    /// `table`, which `Table.fields` adds when the page is rendered.
    func mapValue(members: [Int], path: String, kind: String, part: Part?, parts: [Value]) -> (value: Value, table: Table) {
        // Each node's position among the members (-1 for the others): an
        // array, as every edge of the graph is looked up in it.
        var local = [Int](repeating: -1, count: graph.count)
        for (position, node) in members.enumerated() { local[node] = position }

        var pairs: [(Int, Int)] = []
        var lines: [MapDrawing.Line] = []
        for node in members {
            for next in graph.neighbours[node] where next > node {
                let b = local[next]
                guard b >= 0, let link = data.link(node, next) else { continue }
                pairs.append((local[node], b))
                lines.append(MapDrawing.Line(a: local[node], b: b, type: link.strongest, types: link.types, aToB: link.aToB, bToA: link.bToA))
            }
        }
        let layout = PackedLayout(seeds: members.map { StableHash.of(graph.nodes[$0].slug) }, edges: pairs)
        let links = ProfileLinks(from: path)
        let nodes = members.enumerated().map { position, node in
            data.drawingNode(node, at: layout.positions[position], radius: data.radius(node))
        }
        let scope = part.map { " in \($0.name)" } ?? ""
        let description = "\(members.count) \(members.count == 1 ? "asset" : "assets")\(scope) and \(lines.count) \(lines.count == 1 ? "link" : "links") between them"
            + (layout.unconnectedCount > 0 ? "; \(layout.unconnectedCount) not linked to any other asset\(part == nil ? "" : " here") are shown at the bottom." : ".")
            + " Every link is listed in the table below the map."
        var drawing = MapDrawing(
            id: "kith-map", title: part.map { "Connection map: \($0.name)" } ?? "Connection map",
            description: description, nodes: nodes, lines: lines)
        drawing.profileLinks = links
        drawing.texts = data.texts
        if let top = layout.unconnectedTop {
            let text = part == nil ? "Not connected yet (\(layout.unconnectedCount))" : "No links within \(part!.name) (\(layout.unconnectedCount))"
            drawing.band = (-8, top + 14, text)
        }
        let svg = drawing.render()

        // Rows of the table: every edge with an end on this map.
        // (Positions are sorted, not edges: moving an edge would retain its strings.)
        let edges = graph.edges
        let rows = edges.indices.filter { local[edges[$0].from] >= 0 || local[edges[$0].to] >= 0 }
            .sorted { lhs, rhs in
                let aFrom = edges[lhs].from, bFrom = edges[rhs].from
                if aFrom != bFrom { return data.titleOrder(aFrom, bFrom) }
                let aTo = edges[lhs].to, bTo = edges[rhs].to
                if aTo != bTo { return data.titleOrder(aTo, bTo) }
                let aType = edges[lhs].type, bType = edges[rhs].type
                return aType != bType ? aType < bType : lhs < rhs
            }
            .map { Int32($0) }
        let outside = data.links.filter { (local[$0.a] >= 0) != (local[$0.b] >= 0) }.count

        var typeCounts: [String: Int] = [:]
        var areaNames: [String: String] = [:]
        var tagNames: [String: String] = [:]
        for node in members {
            let info = graph.nodes[node]
            typeCounts[info.type, default: 0] += 1
            for (slug, name) in zip(info.areas, info.areaNames) where areaNames[slug] == nil { areaNames[slug] = name }
            for (slug, name) in zip(info.tags, info.tagNames) where tagNames[slug] == nil { tagNames[slug] = name }
        }
        let legend: [Value] = typeCounts.keys.sorted { data.typePosition($0) != data.typePosition($1) ? data.typePosition($0) < data.typePosition($1) : $0 < $1 }.map {
            let info = data.typeInfo($0)
            return .object(["slug": .string($0), "label": .string(info.label), "colour": .string(info.colour), "count": .int(typeCounts[$0]!)])
        }
        var lineCounts: [ConnectionGraph.EdgeType: Int] = [:]
        for line in lines { lineCounts[line.type, default: 0] += 1 }
        let lineTypes: [Value] = ConnectionGraph.EdgeType.allCases.filter { lineCounts[$0] != nil }.map {
            .object(["slug": .string($0.rawValue), "label": .string($0.label), "count": .int(lineCounts[$0]!)])
        }
        func named(_ table: [String: String]) -> [Value] {
            table.keys.sorted { SiteModel.titleOrder(table[$0]!, $0, table[$1]!, $1) }.map { .object(["slug": .string($0), "name": .string(table[$0]!)]) }
        }
        let byTitle = members.sorted { data.titleOrder($0, $1) }.map { Int32($0) }

        var fields: Object = [
            "kind": .string(kind),
            "title": .string(part.map { "Connection map: \($0.name)" } ?? "Connection map"),
            "url": .string(path),
            "svg": .safe(svg),
            "description": .string(description),
            "legend": .array(legend),
            "line_types": .array(lineTypes),
            "filters": .object(["types": .array(legend), "areas": .array(named(areaNames)), "tags": .array(named(tagNames))]),
            "outside": .int(outside),
            "unconnected": .int(layout.unconnectedCount),
            "parts": .array(parts),
            "part": .null,
            "counts": part == nil ? countsValue() : .object([
                "assets": .int(members.count),
                "links": .int(lines.count),
                "clusters": .int(layout.groupCount),
                "isolated": .int(members.filter { data.degree[$0] == 0 }.count),
            ]),
            "overview_url": .string(MapSection.mapPath),
            "insights_url": .string(MapSection.insightsPath),
            "graph_url": .string(MapSection.graphPath),
        ]
        if let part {
            fields["part"] = .object(["kind": .string(part.kind), "slug": .string(part.slug), "name": .string(part.name),
                                      "url": .string(part.path), "count": .int(part.members.count)])
        }
        return (.object(fields), Table(nodes: byTitle, edges: rows))
    }

    /// The overview of a split map: one circle per part, sized by its assets,
    /// joined by lines as thick as the links between them.
    func overviewValue(_ parts: [Part], partList: [Value]) -> Value {
        var partsOf = [[Int]](repeating: [], count: graph.count)
        for (position, part) in parts.enumerated() {
            for node in part.members { partsOf[node].append(position) }
        }
        var between: [Int: Int] = [:]
        let count = parts.count
        for link in data.links {
            for p in partsOf[link.a] {
                for q in partsOf[link.b] where p != q {
                    between[min(p, q) * count + max(p, q), default: 0] += 1
                }
            }
        }
        let keys = between.keys.sorted()
        // Parts around a circle, in list order: with a dozen parts, often
        // all linked to each other, a ring reads better than springs.
        let largest = Double(parts.map(\.members.count).max() ?? 1)
        let radii = parts.map { 10 + 24 * (Double($0.members.count) / largest).squareRoot() }
        let ring = max(90, Double(parts.count) * (radii.max() ?? 10) * 3.4 / (2 * Double.pi))
        let nodes: [MapDrawing.Node] = parts.enumerated().map { position, part in
            let angle = -Double.pi / 2 + 2 * Double.pi * Double(position) / Double(max(1, parts.count))
            var node = MapDrawing.Node(
                id: part.slug, title: "\(part.name) (\(part.members.count))",
                tooltip: "\(part.name): \(part.members.count) assets", type: part.kind, colour: "#2d6a4f",
                areas: [], tags: [], href: SitePaths.relative(from: MapSection.mapPath, to: part.path),
                position: Point(x: cos(angle) * ring, y: sin(angle) * ring),
                radius: radii[position], priority: Double(part.members.count), mustLabel: true)
            node.sides = Neighbourhood.sides(for: angle)
            return node
        }
        // Line widths from 1 (the fewest links between two parts) to 6 (the most).
        let most = Double(between.values.max() ?? 1), fewest = Double(between.values.min() ?? 1)
        let lines: [MapDrawing.Line] = keys.map { key in
            let weight = most > fewest ? 1 + 5 * (Double(between[key]!) - fewest) / (most - fewest) : 2
            return MapDrawing.Line(a: key / count, b: key % count, type: .mention, types: [.mention], aToB: false, bToA: false,
                                   weight: weight)
        }
        var drawing = MapDrawing(
            id: "kith-map", title: "Connection map: overview",
            description: "\(parts.count) parts of \(graph.count) assets; a line joins two parts with links between them, thicker for more links. Each part has its own map.",
            nodes: nodes, lines: lines)
        drawing.fontSize = 13
        drawing.solidLines = true
        let rows: [Value] = keys.map { key in
            .object(["from": partList[key / count], "to": partList[key % count], "count": .int(between[key]!)])
        }.sorted { lhs, rhs in
            guard case .object(let a) = lhs, case .object(let b) = rhs, case .int(let x)? = a["count"], case .int(let y)? = b["count"] else { return false }
            return x > y
        }
        return .object([
            "kind": .string("overview"),
            "title": .string("Connection map"),
            "url": .string(MapSection.mapPath),
            "svg": .safe(drawing.render()),
            "description": .string(drawing.description),
            "parts": .array(partList),
            "part": .null,
            "part_links": .array(rows),
            "legend": .array([]),
            "line_types": .array([]),
            "filters": .null,
            "nodes": .array([]),
            "edges": .array([]),
            "counts": countsValue(),
            "overview_url": .string(MapSection.mapPath),
            "insights_url": .string(MapSection.insightsPath),
            "graph_url": .string(MapSection.graphPath),
        ])
    }

    // MARK: - Insights

    func insightsValue() -> Value {
        let refs = values.refs
        let connectors: [Value] = data.connectors.map { node in
            .object([
                "asset": refs[node],
                "betweenness": .double(MapValues.rounded(data.centrality.normalised[node], places: 4)),
                "percent": .string(Self.percent(data.centrality.normalised[node])),
                "degree": .int(data.degree[node]),
                "rank": .int(data.connectorRank[node] ?? 0),
            ])
        }
        let isolated = graph.isolated.sorted { data.titleOrder($0, $1) }.map { refs[$0] }

        let clusters: [Value] = graph.components.enumerated().filter { $0.element.count > 1 }.map { position, members in
            let shown = members.sorted {
                data.degree[$0] != data.degree[$1] ? data.degree[$0] > data.degree[$1] : data.titleOrder($0, $1)
            }.prefix(Self.clusterMemberLimit).sorted { data.titleOrder($0, $1) }
            return .object([
                "number": .int(position + 1),
                "size": .int(members.count),
                "assets": .array(shown.map { refs[$0] }),
                "more": .int(members.count - shown.count),
            ])
        }

        // Areas and types as numbers, each name looked up once rather than
        // for every link: area `i` is `areaSlugs[i]`, named as first written.
        var areaIndex: [String: Int] = [:]
        var areaSlugs: [String] = [], areaNames: [String] = []
        var typeIndex: [String: Int] = [:]
        var typeSlugs: [String] = []
        var nodeAreas: [[Int]] = []
        var nodeType: [Int] = []
        nodeAreas.reserveCapacity(graph.count)
        nodeType.reserveCapacity(graph.count)
        for node in graph.nodes {
            var areas: [Int] = []
            for (slug, name) in zip(node.areas, node.areaNames) {
                let area: Int
                if let known = areaIndex[slug] {
                    area = known
                } else {
                    area = areaSlugs.count
                    areaIndex[slug] = area
                    areaSlugs.append(slug)
                    areaNames.append(name)
                }
                areas.append(area)
            }
            nodeAreas.append(areas)
            if let known = typeIndex[node.type] {
                nodeType.append(known)
            } else {
                typeIndex[node.type] = typeSlugs.count
                nodeType.append(typeSlugs.count)
                typeSlugs.append(node.type)
            }
        }
        // Each area's place in title order (`SiteModel.titleOrder` of name and slug).
        let lowered = areaNames.map { $0.lowercased() }
        var areaRank = [Int](repeating: 0, count: areaSlugs.count)
        for (position, area) in areaSlugs.indices.sorted(by: {
            lowered[$0] != lowered[$1] ? lowered[$0] < lowered[$1] : areaSlugs[$0] < areaSlugs[$1]
        }).enumerated() {
            areaRank[area] = position
        }
        // The areas without repeats, in their first order (area lists are short).
        func distinct(_ areas: [Int]) -> [Int] {
            var result: [Int] = []
            result.reserveCapacity(areas.count)
            for area in areas where !result.contains(area) { result.append(area) }
            return result
        }
        func crosses(_ a: [Int], _ b: [Int]) -> Bool { !a.isEmpty && !b.isEmpty && !a.contains(where: b.contains) }

        // Links whose ends share no area (both ends having one), and how
        // many join each pair of areas (the pair in title order).
        var crossing: [ConnectionGraph.Link] = []
        var pairCounts: [Int: Int] = [:]
        let areaCount = max(areaSlugs.count, 1)
        for link in data.links {
            let a = nodeAreas[link.a], b = nodeAreas[link.b]
            guard crosses(a, b) else { continue }
            crossing.append(link)
            for x in distinct(a) {
                for y in distinct(b) {
                    let (first, second) = areaRank[x] < areaRank[y] ? (x, y) : (y, x)
                    pairCounts[first * areaCount + second, default: 0] += 1
                }
            }
        }
        func areaRef(_ area: Int) -> Value {
            .object(["slug": .string(areaSlugs[area]), "name": .string(areaNames[area]), "url": .string(SitePaths.term(.area, areaSlugs[area]))])
        }
        // Ties in order of the slugs joined by U+0000.
        let pairKeys = pairCounts.map { pair, count in
            (first: pair / areaCount, second: pair % areaCount, count: count,
             key: areaSlugs[pair / areaCount] + "\u{0}" + areaSlugs[pair % areaCount])
        }
        let areaPairs: [Value] = pairKeys.sorted {
            $0.count != $1.count ? $0.count > $1.count : $0.key < $1.key
        }.map { pair in
            .object(["from": areaRef(pair.first), "to": areaRef(pair.second), "count": .int(pair.count)])
        }
        let crossingRows: [Value] = crossing.sorted {
            $0.a != $1.a ? data.titleOrder($0.a, $1.a) : data.titleOrder($0.b, $1.b)
        }.prefix(Self.crossingListLimit).map(linkValue)

        // Counts by type and by area.
        var typeCounts = [(assets: Int, connected: Int, links: Int)](repeating: (0, 0, 0), count: typeSlugs.count)
        var areaCounts = [(assets: Int, connected: Int, links: Int, crossing: Int)](repeating: (0, 0, 0, 0), count: areaSlugs.count)
        var areaUsed = [Bool](repeating: false, count: areaSlugs.count)
        for node in graph.nodes.indices {
            let connected = data.degree[node] > 0 ? 1 : 0
            typeCounts[nodeType[node]].assets += 1
            typeCounts[nodeType[node]].connected += connected
            for area in distinct(nodeAreas[node]) {
                areaUsed[area] = true
                areaCounts[area].assets += 1
                areaCounts[area].connected += connected
            }
        }
        for link in data.links {
            let aType = nodeType[link.a], bType = nodeType[link.b]
            typeCounts[aType].links += 1
            if bType != aType { typeCounts[bType].links += 1 }
            let aAreas = nodeAreas[link.a], bAreas = nodeAreas[link.b]
            let isCrossing = crosses(aAreas, bAreas)
            for area in distinct(aAreas + bAreas) {
                areaCounts[area].links += 1
                if isCrossing { areaCounts[area].crossing += 1 }
            }
        }
        var typeRows: [String: (assets: Int, connected: Int, links: Int)] = [:]
        for (type, slug) in typeSlugs.enumerated() { typeRows[slug] = typeCounts[type] }
        var areaRows: [String: (assets: Int, connected: Int, links: Int, crossing: Int)] = [:]
        var areaName: [String: String] = [:]
        for (area, slug) in areaSlugs.enumerated() where areaUsed[area] {
            areaRows[slug] = areaCounts[area]
            areaName[slug] = areaNames[area]
        }
        let byType: [Value] = typeRows.keys.sorted { data.typePosition($0) != data.typePosition($1) ? data.typePosition($0) < data.typePosition($1) : $0 < $1 }.map {
            let info = data.typeInfo($0), row = typeRows[$0]!
            return .object([
                "slug": .string($0), "label": .string(info.label), "colour": .string(info.colour),
                "url": .string(SitePaths.term(.type, $0)), "assets": .int(row.assets), "connected": .int(row.connected),
                "isolated": .int(row.assets - row.connected), "links": .int(row.links),
            ])
        }
        let byArea: [Value] = areaRows.keys.sorted { SiteModel.titleOrder(areaName[$0]!, $0, areaName[$1]!, $1) }.map {
            let row = areaRows[$0]!
            return .object([
                "slug": .string($0), "name": .string(areaName[$0]!), "url": .string(SitePaths.term(.area, $0)),
                "assets": .int(row.assets), "connected": .int(row.connected), "isolated": .int(row.assets - row.connected),
                "links": .int(row.links), "crossing": .int(row.crossing),
            ])
        }

        let suggestions = values.suggestions.prefix(Self.suggestionListLimit).map {
            values.suggestionValue($0, other: $0.giver, direction: nil)
        }

        return .object([
            "connectors": .array(connectors),
            "betweenness": .object([
                "exact": .bool(data.centrality.isExact),
                "pivots": .int(data.centrality.pivots),
            ]),
            "isolated": .array(isolated),
            "clusters": .array(clusters),
            "crossing": .object([
                "count": .int(crossing.count),
                "percent": .string(Self.percent(data.links.isEmpty ? 0 : Double(crossing.count) / Double(data.links.count))),
                "area_pairs": .array(areaPairs),
                "links": .array(crossingRows),
                "more": .int(max(0, crossing.count - crossingRows.count)),
            ]),
            "by_type": .array(byType),
            "by_area": .array(byArea),
            "suggestions": .array(suggestions),
            "suggestion_count": .int(values.suggestions.count),
            "counts": countsValue(),
            "map_url": .string(MapSection.mapPath),
            "graph_url": .string(MapSection.graphPath),
        ])
    }

    /// A linked pair: `{a, b, types, stories}` with `types` such as `["connection", "story"]`.
    func linkValue(_ link: ConnectionGraph.Link) -> Value {
        .object([
            "a": values.refs[link.a],
            "b": values.refs[link.b],
            "types": .array(link.types.sorted().map { .string($0.rawValue) }),
            "stories": values.stories(link.a, link.b),
        ])
    }

    /// A share as a whole percentage, or "<1%" for a small but real one.
    static func percent(_ share: Double) -> String {
        if share <= 0 { return "0%" }
        let whole = Int((share * 100).rounded())
        return whole == 0 ? "<1%" : "\(whole)%"
    }
}
