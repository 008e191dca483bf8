import Content
import Diagnostics
import Foundation
import Templates
import Testing
import TestSupport
@testable import Site

/// The connection map: the graph, its metrics, its layout and drawings, and
/// the pages and files it adds to a site.
@Suite struct MapTests {
    // MARK: - Fixtures

    /// The basic fixture plus a café that mentions the library in its body,
    /// a story naming Ann and the library, an asset nobody links to, and one
    /// whose title tries to break out of the SVG.
    static let mapContent: [String: String] = FixtureSite.basicContent.merging([
        "content/assets/cafe.md": """
            ---
            title: Corner Café
            type: economy
            summary: Tea, toast and a noticeboard.
            area: North End
            tags: [food]
            gifts: [a room for meetings, tea urns to borrow]
            needs: [volunteers for the Saturday shift]
            ---
            Our books come from [the library](library.md).

            """,
        "content/assets/choir.md": """
            ---
            title: Canal Choir
            type: culture
            summary: Sings on Thursdays; everyone welcome.
            area: Canal Side
            needs: [a room for meetings]
            ---
            Bring your voice.

            """,
        "content/assets/evil.md": """
            ---
            title: "Evil <script>alert('x')</script> & \\"Co\\""
            type: association
            summary: "Tests that titles stay text: </svg><b>bold</b>"
            area: Canal Side
            connections:
              - to: choir
                kind: "sings <with>"
                note: "A note with </title> in it"
            ---
            Nothing here.

            """,
        "content/stories/ann-reads.md": """
            ---
            title: Ann reads at the library
            date: 2026-04-02
            assets: [ann, library]
            ---
            Ann read to the children.

            """,
    ]) { _, new in new }

    /// Loads content and renders bodies, as a build does before its pages.
    func model(_ files: [String: String] = MapTests.mapContent) throws -> (SiteModel, FixtureSite) {
        let site = try FixtureSite(files: files)
        let loaded = ContentLoader.load(root: site.root, includeDrafts: false)
        let content = try #require(loaded.content, "content failed to load: \(loaded.diagnostics.map(\.message))")
        let (model, problems) = SiteModel.build(content: content, root: site.root)
        #expect(problems.filter { $0.severity == .error }.isEmpty, "\(problems.map(\.message))")
        return (model, site)
    }

    func graph(_ model: SiteModel) -> ConnectionGraph {
        ConnectionGraph(assets: model.content.assets, stories: model.content.stories, mentions: model.mentions)
    }

    /// An undirected graph from index pairs, for metrics.
    func neighbours(_ count: Int, _ edges: [(Int, Int)]) -> [[Int]] {
        var lists = [[Int]](repeating: [], count: count)
        for (a, b) in edges {
            lists[a].append(b)
            lists[b].append(a)
        }
        return lists.map { $0.sorted() }
    }

    /// A field of an object value, by dotted path.
    func field(_ value: Value?, _ path: String) -> Value? {
        var current = value
        for key in path.split(separator: ".") {
            guard case .object(let fields)? = current else { return nil }
            current = fields[String(key)]
        }
        return current
    }

    func text(_ value: Value?) -> String? {
        switch value {
        case .string(let text)?, .safe(let text)?: text
        default: nil
        }
    }

    func list(_ value: Value?) -> [Value] {
        if case .array(let items)? = value { return items }
        return []
    }

    // MARK: - The graph

    @Test func graphTakesEdgesFromConnectionsMentionsAndStories() throws {
        let (model, site) = try model()
        defer { site.remove() }
        let graph = graph(model)
        #expect(graph.nodes.map(\.slug) == ["ann", "cafe", "choir", "evil", "garden", "library"])
        let edges = graph.edges.map { "\(graph.nodes[$0.from].slug) \($0.type.rawValue) \(graph.nodes[$0.to].slug) \($0.kind)" }
        #expect(edges == [
            "ann connection garden volunteers at",
            "evil connection choir sings <with>",
            "garden connection library partners with",
            "cafe mention library ",
            "garden mention library ",
            "ann story library ",
            "garden story library ",
        ])
        // Story edges carry their stories; connections carry their notes.
        let story = try #require(graph.edges.first { $0.type == .story && graph.nodes[$0.from].slug == "garden" })
        #expect(story.stories.map { graph.stories[$0].slug } == ["seed-swap"])
        #expect(graph.edges[2].note == "Seed swap every spring.")
        // Links collapse every edge between a pair into one, strongest first.
        let gardenLibrary = try #require(graph.links().first { graph.nodes[$0.a].slug == "garden" && graph.nodes[$0.b].slug == "library" })
        #expect(gardenLibrary.types == [.connection, .mention, .story])
        #expect(gardenLibrary.aToB && !gardenLibrary.bToA)
        #expect(graph.isolated.isEmpty)
        #expect(graph.components.map(\.count) == [4, 2])
    }

    @Test func draftsSelfLinksAndDuplicatesStayOffTheMap() throws {
        var files = FixtureSite.basicContent
        files["content/assets/ann.md"] = """
            ---
            title: Ann Baker
            type: individual
            summary: Bakes bread.
            connections:
              - to: ann
              - to: garden
              - to: garden
              - to: secret
            ---
            Ann bakes.

            """
        let (model, site) = try model(files)
        defer { site.remove() }
        let graph = graph(model)
        #expect(graph.index["secret"] == nil)
        let fromAnn = graph.edges.filter { graph.nodes[$0.from].slug == "ann" }
        #expect(fromAnn.map { graph.nodes[$0.to].slug } == ["garden"])
    }

    // MARK: - Betweenness

    struct Known: Sendable, CustomTestStringConvertible {
        var name: String
        var count: Int
        var edges: [(Int, Int)]
        var scores: [Double]
        var testDescription: String { name }
    }

    static let knownGraphs: [Known] = [
        Known(name: "path of three", count: 3, edges: [(0, 1), (1, 2)], scores: [0, 1, 0]),
        Known(name: "path of five", count: 5, edges: [(0, 1), (1, 2), (2, 3), (3, 4)], scores: [0, 3, 4, 3, 0]),
        Known(name: "star of five", count: 5, edges: [(0, 1), (0, 2), (0, 3), (0, 4)], scores: [6, 0, 0, 0, 0]),
        Known(name: "two triangles joined by a bridge", count: 6,
              edges: [(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)], scores: [0, 0, 6, 6, 0, 0]),
        Known(name: "square: two shortest paths share the credit", count: 4,
              edges: [(0, 1), (1, 2), (2, 3), (3, 0)], scores: [0.5, 0.5, 0.5, 0.5]),
        Known(name: "two separate pairs", count: 4, edges: [(0, 1), (2, 3)], scores: [0, 0, 0, 0]),
    ]

    @Test(arguments: knownGraphs)
    func betweennessOfSmallGraphs(_ known: Known) {
        let result = Centrality.betweenness(neighbours: neighbours(known.count, known.edges), keys: (0..<known.count).map { UInt64($0) })
        #expect(result.isExact)
        for (node, expected) in known.scores.enumerated() {
            #expect(abs(result.scores[node] - expected) < 1e-9, "node \(node): \(result.scores[node]) ≠ \(expected)")
        }
        // Normalised by the (n−1)(n−2)/2 pairs of other nodes.
        let pairs = Double(known.count - 1) * Double(known.count - 2) / 2
        #expect(abs(result.normalised[known.scores.indices.max { known.scores[$0] < known.scores[$1] }!] - known.scores.max()! / pairs) < 1e-9)
    }

    @Test func sampledBetweennessIsDeterministicAndFindsTheBridge() {
        // Two rings of 150 joined through one node: every path between them crosses it.
        var edges: [(Int, Int)] = []
        for i in 0..<150 { edges.append((i, (i + 1) % 150)) }
        for i in 0..<150 { edges.append((150 + i, 150 + (i + 1) % 150)) }
        edges.append((0, 300))
        edges.append((300, 150))
        let graph = neighbours(301, edges)
        let keys = (0..<301).map { StableHash.of("node-\($0)") }
        let first = Centrality.betweenness(neighbours: graph, keys: keys, budget: 1000)
        let second = Centrality.betweenness(neighbours: graph, keys: keys, budget: 1000)
        #expect(!first.isExact)
        #expect(first.pivots == 64)
        #expect(first.scores == second.scores)
        // The bridge and its two ends carry every path from one ring to the other.
        let top = first.scores.indices.max { first.scores[$0] < first.scores[$1] }!
        #expect([0, 150, 300].contains(top))
        let exact = Centrality.betweenness(neighbours: graph, keys: keys)
        #expect(exact.isExact)
        #expect(abs(exact.scores[300] - 150 * 150) < 1e-6)
    }

    // MARK: - Layout

    @Test func barnesHutWithAZeroAngleIsTheExactSum() {
        var xs: [Double] = [], ys: [Double] = []
        for i in 0..<200 {
            let hash = StableHash.of("p\(i)")
            xs.append(StableHash.unit(hash, 0) * 500)
            ys.append(StableHash.unit(hash, 32) * 500)
        }
        let tree = QuadTree(xs: xs, ys: ys)
        for node in [0, 57, 199] {
            var fx = 0.0, fy = 0.0
            for other in 0..<200 where other != node {
                let dx = xs[node] - xs[other], dy = ys[node] - ys[other]
                let d2 = dx * dx + dy * dy
                fx += dx / d2
                fy += dy / d2
            }
            let exact = tree.repulsion(on: node, xs: xs, ys: ys, strength: 1, theta: 0)
            #expect(abs(exact.x - fx) < 1e-9 * max(1, abs(fx)))
            #expect(abs(exact.y - fy) < 1e-9 * max(1, abs(fy)))
            let approximate = tree.repulsion(on: node, xs: xs, ys: ys, strength: 1, theta: ForceLayout.theta)
            let error = ((approximate.x - fx) * (approximate.x - fx) + (approximate.y - fy) * (approximate.y - fy)).squareRoot()
            #expect(error < 0.1 * (fx * fx + fy * fy).squareRoot() + 1e-3)
        }
    }

    @Test func quadTreeCopesWithPointsOnOneSpot() {
        let tree = QuadTree(xs: [1, 1, 1, 5], ys: [2, 2, 2, 5])
        let force = tree.repulsion(on: 0, xs: [1, 1, 1, 5], ys: [2, 2, 2, 5], strength: 1, theta: 0.8)
        #expect(force.x.isFinite && force.y.isFinite)
    }

    /// A graph of `count` nodes in clusters, with a few isolated ones.
    func clusteredGraph(_ count: Int) -> (seeds: [UInt64], edges: [(Int, Int)]) {
        var edges: [(Int, Int)] = []
        for node in 1..<count where node % 17 != 0 {
            let target = Int(StableHash.of("t\(node)") % UInt64(node))
            if target % 17 != 0 { edges.append((target, node)) }
            if node % 5 == 0 { edges.append((node - 1, node)) }
        }
        return ((0..<count).map { StableHash.of("asset-\($0)") }, edges)
    }

    @Test func layoutIsDeterministic() {
        let (seeds, edges) = clusteredGraph(400)
        let first = PackedLayout(seeds: seeds, edges: edges)
        let second = PackedLayout(seeds: seeds, edges: edges)
        #expect(first.positions == second.positions)
        #expect(first.unconnectedCount > 0)
        #expect(first.positions.allSatisfy { $0.x.isFinite && $0.y.isFinite })
        // The parallel path (large graphs) gives the same answer every time too.
        let big = clusteredGraph(ForceLayout.parallelFrom + 200)
        let a = ForceLayout.layout(seeds: big.seeds, edges: big.edges, iterations: 4)
        let b = ForceLayout.layout(seeds: big.seeds, edges: big.edges, iterations: 4)
        #expect(a == b)
    }

    @Test func forcesWorkedOutSideBySideGiveTheSamePositions() {
        let (seeds, edges) = clusteredGraph(700)
        let startX = seeds.map { StableHash.unit($0, 0) * 400 - 200 }
        let startY = seeds.map { StableHash.unit($0, 32) * 400 - 200 }
        let from = edges.map { Int32($0.0) }, to = edges.map { Int32($0.1) }
        var (oneX, oneY) = (startX, startY)
        ForceLayout.relax(xs: &oneX, ys: &oneY, from: from, to: to, steps: 6, chunks: 1)
        var (eightX, eightY) = (startX, startY)
        ForceLayout.relax(xs: &eightX, ys: &eightY, from: from, to: to, steps: 6, chunks: 8)
        #expect(oneX != startX)
        #expect(oneX == eightX)
        #expect(oneY == eightY)
    }

    @Test func sameContentGivesTheSameSVGBytes() throws {
        let (model, site) = try model()
        defer { site.remove() }
        let first = MapSection(model: model)
        let second = MapSection(model: model)
        let make = PageMaker(site: .null, defaultDescription: nil)
        #expect(first.pages(make).map { $0.finishedContext() } == second.pages(make).map { $0.finishedContext() })
        for asset in model.content.assets {
            #expect(first.assetFields(asset) == second.assetFields(asset))
            #expect(first.assetPageFields(asset) == second.assetPageFields(asset))
        }
        let svg = try #require(text(field(first.pages(make).first?.context["map"], "svg")))
        #expect(svg.hasPrefix("<svg "))
        #expect(svg.hasSuffix("</svg>"))
    }

    // MARK: - Drawings

    /// Compares with a golden file, or records it with RECORD_GOLDEN=1 (and fails, so recording is never silent).
    func golden(_ name: String, _ actual: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("MapGolden").appendingPathComponent(name)
        if TestSupport.recording {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
            Issue.record("recorded \(name); run the tests again without RECORD_GOLDEN", sourceLocation: sourceLocation)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(actual == expected, "\(name) differs from its golden file; re-record with RECORD_GOLDEN=1 if the change is meant",
                sourceLocation: sourceLocation)
    }

    @Test func smallMapMatchesItsGoldenSVG() throws {
        let (model, site) = try model()
        defer { site.remove() }
        let make = PageMaker(site: .null, defaultDescription: nil)
        let page = try #require(MapSection(model: model).pages(make).first { $0.path == "map/" })
        try golden("small-map.svg", try #require(text(field(page.context["map"], "svg"))) + "\n")
    }

    @Test func neighbourhoodMatchesItsGoldenSVG() throws {
        let (model, site) = try model()
        defer { site.remove() }
        let garden = try #require(model.assetsBySlug["garden"])
        let section = MapSection(model: model)
        // Drawn for the profile page only; lists do not carry it.
        #expect(section.assetFields(garden)["neighbourhood"] == nil)
        let fields = section.assetPageFields(garden)
        try golden("garden-neighbourhood.svg", try #require(text(field(fields["neighbourhood"], "svg"))) + "\n")
    }

    @Test func hostileTitlesStayText() throws {
        let (model, site) = try model()
        defer { site.remove() }
        let make = PageMaker(site: .null, defaultDescription: nil)
        let section = MapSection(model: model)
        let svg = try #require(text(field(section.pages(make).first?.context["map"], "svg")))
        #expect(!svg.contains("<script"))
        #expect(!svg.contains("</svg><b>"))
        #expect(svg.contains("Evil &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Co&quot;"))
        let choir = try #require(model.assetsBySlug["choir"])
        let neighbourhood = try #require(text(field(section.assetPageFields(choir)["neighbourhood"], "svg")))
        #expect(!neighbourhood.contains("<script"))
        let json = String(decoding: try #require(bytes(section.files().first)), as: UTF8.self)
        #expect(!json.contains("<script"))
        #expect(json.contains(#"\u003cscript\u003e"#))
    }

    func bytes(_ file: OutputFile?) -> [UInt8]? {
        try? file?.bytes()
    }

    struct Formatting: Sendable, CustomTestStringConvertible {
        var value: Double
        var text: String
        var testDescription: String { text }
    }

    @Test(arguments: [
        Formatting(value: 0, text: "0"), Formatting(value: -0.04, text: "0"), Formatting(value: 0.04, text: "0"),
        Formatting(value: 3.14159, text: "3.1"), Formatting(value: -2, text: "-2"), Formatting(value: 12.96, text: "13"),
        Formatting(value: -0.25, text: "-0.3"), Formatting(value: .nan, text: "0"), Formatting(value: 1234.56, text: "1234.6"),
    ])
    func coordinatesHaveOneDecimal(_ formatting: Formatting) {
        #expect(SVGText.number(formatting.value) == formatting.text)
    }

    @Test func escapingWorksOnScalars() {
        #expect(SVGText.escape("\"\u{301}<a href='x'>&") == "&quot;\u{301}&lt;a href=&#39;x&#39;&gt;&amp;")
        #expect(SVGText.escape("tab\there\u{0}\u{7}") == "tab here")
        #expect(SVGText.shorten("Northside Community Pantry and Friends", to: 20) == "Northside Community…")
        #expect(SVGText.shorten("Short", to: 20) == "Short")
    }

    @Test(arguments: ["assets/garden/", "assets/library/", "map/", "map/areas/canal-side/", "map/no-area/", "", "404.html"])
    func profileLinksAreTheSameAsTheRelativeFilters(page: String) {
        for slug in ["garden", "library"] {
            #expect(MapData.assetHref(from: page, to: slug) == SitePaths.relative(from: page, to: SitePaths.asset(slug)))
        }
    }

    @Test func labelsThatWouldCollideAreLeftOut() {
        // Three nodes on top of each other: only the most important gets a label.
        func node(_ id: String, _ x: Double, _ priority: Double) -> MapDrawing.Node {
            MapDrawing.Node(id: id, title: "Label \(id)", tooltip: id, type: "space", colour: "#2b7a3d", areas: [], tags: [],
                            href: "../\(id)/index.html", position: Point(x: x, y: 0), radius: 5, priority: priority,
                            sides: [.right])
        }
        let drawing = MapDrawing(id: "t", title: "t", description: "t",
                                 nodes: [node("a", 0, 1), node("b", 2, 5), node("c", 200, 1)], lines: [])
        let svg = drawing.render()
        #expect(svg.contains(">Label b</text>"))
        #expect(!svg.contains(">Label a</text>"))
        #expect(svg.contains(">Label c</text>"))
        #expect(svg.contains("<title>a</title>"))
    }

    // MARK: - Gifts and needs

    struct Match: Sendable, CustomTestStringConvertible {
        var need: String
        var gift: String
        var matches: Bool
        var testDescription: String { "\(need) / \(gift)" }
    }

    @Test(arguments: [
        Match(need: "A room for meetings", gift: "a room, for meetings!", matches: true),
        Match(need: "a van for gigs", gift: "a van on Saturdays", matches: true),
        Match(need: "storage for the gazebos", gift: "storage space", matches: true),
        Match(need: "benches", gift: "a workshop with benches", matches: false),
        Match(need: "new benches", gift: "benches", matches: true),
        Match(need: "volunteers for events", gift: "gazebos for events", matches: false),
        Match(need: "help on Saturdays", gift: "help on Saturdays with anything", matches: false),
        Match(need: "some help", gift: "help with forms", matches: false),
        Match(need: "pruning fruit trees", gift: "pruning", matches: true),
        Match(need: "storage space", gift: "growing space", matches: false),
        Match(need: "fresh fruit and vegetables", gift: "free fruit in season", matches: true),
        Match(need: "fresh fruit and vegetables", gift: "pruning fruit trees", matches: false),
        Match(need: "a room for meetings", gift: "a quiet room after school", matches: true),
    ])
    func needsMatchGifts(_ match: Match) {
        let found = GiftMatcher.suggestions(
            gifts: [[], [match.gift]], needs: [[match.need], []], tags: [[], []],
            titles: ["A", "B"], slugs: ["a", "b"], connected: { _, _ in false })
        #expect(!found.isEmpty == match.matches, "\(found)")
        if let first = found.first {
            #expect(first.needer == 0 && first.giver == 1)
        }
    }

    @Test func matchingFindsTagsAndSkipsDeclaredConnections() {
        let gifts = [[], ["a room for meetings"], []]
        let needs = [["a room for meetings", "live music for events"], [], []]
        let tags = [[], [], ["Music"]]
        let found = GiftMatcher.suggestions(gifts: gifts, needs: needs, tags: tags, titles: ["A", "B", "C"], slugs: ["a", "b", "c"],
                                            connected: { _, _ in false })
        #expect(found.map(\.giver) == [1, 2])
        #expect(found[0].reason == .same)
        #expect(found[1].reason == .tag("music"))
        let connected = GiftMatcher.suggestions(gifts: gifts, needs: needs, tags: tags, titles: ["A", "B", "C"], slugs: ["a", "b", "c"],
                                                connected: { min($0, $1) == 0 && max($0, $1) == 1 })
        #expect(connected.map(\.giver) == [2])
    }

    /// The matcher as its documentation states it, looking at every gift
    /// for every need, in the order the matcher offers them: the same
    /// phrase, then shared core words, then a tag. Slow, but with no index
    /// and no cut-off.
    static func everyMatch(gifts: [[String]], needs: [[String]], tags: [[String]], titles: [String], slugs: [String],
                           connected: (Int, Int) -> Bool) -> [GiftMatcher.Suggestion] {
        typealias Suggestion = GiftMatcher.Suggestion
        let read = gifts.map { $0.map { (phrase: GiftMatcher.normalise($0), words: GiftMatcher.words($0)) } }
        var coreCount: [String: Int] = [:]
        for list in read { for gift in list { for word in gift.words where word.isCore { coreCount[word.plain, default: 0] += 1 } } }
        var tagged: [String: [Int]] = [:]
        for (node, list) in tags.enumerated() {
            for word in Set(list.flatMap { GiftMatcher.words($0).map(\.plain) }) { tagged[word, default: []].append(node) }
        }
        let ranks = titles.indices.sorted { (titles[$0].lowercased(), slugs[$0]) < (titles[$1].lowercased(), slugs[$1]) }
        var rank = [Int](repeating: 0, count: titles.count)
        for (position, node) in ranks.enumerated() { rank[node] = position }
        func before(_ a: Suggestion, _ b: Suggestion) -> Bool {
            (-a.score, rank[a.needer], rank[a.giver]) < (-b.score, rank[b.needer], rank[b.giver])
        }
        var result: [Suggestion] = []
        for (needer, list) in needs.enumerated() {
            var best: [Int: Suggestion] = [:]
            func offer(_ giver: Int, _ need: String, _ gift: String?, _ reason: GiftMatcher.Reason, _ score: Int) {
                guard giver != needer, !connected(needer, giver), (best[giver]?.score ?? -1) < score else { return }
                best[giver] = Suggestion(needer: needer, giver: giver, need: need, gift: gift, reason: reason, score: score)
            }
            for need in list {
                let phrase = GiftMatcher.normalise(need), words = GiftMatcher.words(need)
                let core = Set(words.filter(\.isCore).map(\.plain))
                for (giver, analysed) in read.enumerated() {
                    for (position, gift) in analysed.enumerated() where !phrase.isEmpty && gift.phrase == phrase {
                        offer(giver, need, gifts[giver][position], .same, 100)
                    }
                }
                for (giver, analysed) in read.enumerated() {
                    for (position, gift) in analysed.enumerated() {
                        let giftCore = Set(gift.words.filter(\.isCore).map(\.plain))
                        let usable = core.intersection(giftCore).filter { coreCount[$0]! <= GiftMatcher.commonWordLimit }
                        guard !usable.isEmpty, core.subtracting(giftCore).isEmpty || giftCore.subtracting(core).isEmpty else { continue }
                        let shared = words.compactMap { word in gift.words.first { $0.plain == word.plain }.map { (word, $0) } }
                        offer(giver, need, gifts[giver][position], .words(shared.map(\.0.written)),
                              shared.reduce(0) { $0 + ($1.0.isCore && $1.1.isCore ? 10 : 3) })
                    }
                }
                if !best.values.contains(where: { $0.need == need }), let head = words.last(where: \.isCore),
                   let nodes = tagged[head.plain], nodes.count <= GiftMatcher.distinctiveTagLimit {
                    for giver in nodes.sorted() { offer(giver, need, nil, .tag(head.written), 5) }
                }
            }
            result += best.values.sorted(by: before).prefix(GiftMatcher.keptPerNeeder)
        }
        return result.sorted(by: before)
    }

    @Test(arguments: [1, 2, 3, 4])
    func matchingKeepsWhatLookingAtEveryGiftKeeps(seed: UInt64) {
        // Few phrases among many assets, so that one phrase is offered by
        // far more givers than a needer keeps; titles repeat, so that slugs
        // break ties; some pairs are connected already.
        var random = SplitMix(seed: seed)
        let phrases = ["A room for meetings", "a room, for meetings!", "meeting room", "a quiet room after school",
                       "storage space", "growing space", "a van for gigs", "a van on Saturdays", "live music",
                       "fruit trees", "pruning fruit trees", "some help", "tea urn", "tea and cake", "café space"]
        let count = 240
        func some(_ most: Int) -> [String] { (0..<Int.random(in: 0...most, using: &random)).map { _ in phrases.randomElement(using: &random)! } }
        let gifts = (0..<count).map { _ in some(3) }
        let needs = (0..<count).map { _ in some(2) }
        let tags = (0..<count).map { _ in Int.random(in: 0..<20, using: &random) == 0 ? ["music", "tea"].shuffled(using: &random) : [] }
        let titles = (0..<count).map { _ in "Asset \(Int.random(in: 0..<60, using: &random))" }
        let slugs = (0..<count).map { "asset-\($0)" }
        let pairs = Set((0..<count * 2).map { _ in
            let a = Int.random(in: 0..<count, using: &random), b = Int.random(in: 0..<count, using: &random)
            return min(a, b) * count + max(a, b)
        })
        let connected: (Int, Int) -> Bool = { pairs.contains(min($0, $1) * count + max($0, $1)) }
        let found = GiftMatcher.suggestions(gifts: gifts, needs: needs, tags: tags, titles: titles, slugs: slugs, connected: connected)
        let expected = Self.everyMatch(gifts: gifts, needs: needs, tags: tags, titles: titles, slugs: slugs, connected: connected)
        #expect(found.count == expected.count)
        if let first = found.indices.first(where: { $0 >= expected.count || found[$0] != expected[$0] }) {
            Issue.record("suggestion \(first) is \(found[first]), where looking at every gift gives \(first < expected.count ? "\(expected[first])" : "none")")
        }
        // Some needer had more givers of one phrase than it keeps.
        // Given the title order, the matcher finds the same.
        let order = titles.indices.sorted { (titles[$0].lowercased(), slugs[$0]) < (titles[$1].lowercased(), slugs[$1]) }
        #expect(GiftMatcher.suggestions(gifts: gifts, needs: needs, tags: tags, titles: titles, slugs: slugs,
                                        titleOrder: order, connected: connected) == found)
        let perNeeder = Dictionary(grouping: expected) { (suggestion: GiftMatcher.Suggestion) in suggestion.needer }
        #expect(perNeeder.values.contains { $0.count == GiftMatcher.keptPerNeeder })
    }

    @Test(arguments: [false, true])
    func suggestionsSortAsTheirOrderSays(withAScoreTooLargeForTheKey: Bool) {
        var random = SplitMix(seed: 7)
        let count = 300
        let ordering = GiftMatcher.Ordering(rank: Array(0..<count).shuffled(using: &random))
        var suggestions = (0..<2_000).map { _ in
            GiftMatcher.Suggestion(
                needer: Int.random(in: 0..<count, using: &random), giver: Int.random(in: 0..<count, using: &random),
                need: "n", gift: nil, reason: .same, score: [5, 10, 13, 100, 130].randomElement(using: &random)!)
        }
        // One suggestion for each needer and giver, as the matcher makes them.
        var seen: Set<[Int]> = []
        suggestions = suggestions.filter { seen.insert([$0.needer, $0.giver]).inserted }
        if withAScoreTooLargeForTheKey { suggestions[17].score = 3_000_000 }
        var sorted = suggestions
        ordering.sort(&sorted)
        #expect(sorted == suggestions.sorted(by: ordering.before))
        #expect(sorted.first?.score == (withAScoreTooLargeForTheKey ? 3_000_000 : 130))
    }

    @Test func theModelsTitleOrderIsTheGraphsOwn() {
        // Titles that differ only in case, repeat, or go beyond ASCII.
        let titles = ["Zebra Crossing", "apple store", "Apple Store", "Éclair Café", "eclair cafe", "Apple store", "zebra crossing", "Ω", "", "10 Downing"]
        let assets = titles.enumerated().map { position, title in
            Asset(slug: "asset-\((position * 7) % 10)", sourcePath: "content/assets/a\(position).md",
                  source: SourceFile(path: "content/assets/a\(position).md", text: ""), title: title, type: "space", summary: "s")
        }
        let graph = ConnectionGraph(assets: assets, stories: [], mentions: [])
        let fromModel = SiteModel.sortedByTitle(assets).compactMap { graph.index[$0.slug] }
        #expect(fromModel == MapData.titleOrder(of: graph))
        let given = MapData(graph: graph, types: [], titleOrder: fromModel)
        #expect(given.titleRank == MapData(graph: graph, types: []).titleRank)
    }

    // MARK: - A whole site

    /// The fixture theme, with a profile that prints the map fields.
    static let mapTemplates: [String: String] = FixtureSite.minimalTemplates.merging([
        "templates/asset.html": """
            {% extends "base.html" %}{% block content %}<h1>{{ asset.title }}</h1>\
            {% for g in asset.connection_groups %}{% for i in g.items %}<p class="group">{{ g.kind }} {{ i.direction }} \
            <a href="{{ i.asset.url | relative }}">{{ i.asset.title }}</a>{% for s in i.stories %} story:{{ s.title }}{% endfor %}</p>{% endfor %}{% endfor %}\
            {% for o in asset.other_links %}<p class="other">{{ o.mention }} <a href="{{ o.asset.url | relative }}">{{ o.asset.title }}</a>\
            {% for s in o.stories %} story:{{ s.title }}{% endfor %}</p>{% endfor %}\
            {% for s in asset.suggestions %}<p class="suggest">{{ s.direction }} {{ s.asset.title }}: {{ s.need }}</p>{% endfor %}\
            <p class="metrics">degree {{ asset.metrics.degree }} rank {{ asset.metrics.connector_rank }}</p>\
            {% if asset.neighbourhood %}<figure>{{ asset.neighbourhood.svg }}</figure>{% endif %}{% endblock %}
            """,
    ]) { _, new in new }

    @Test func everyConnectionShowsOnBothEnds() throws {
        let site = try FixtureSite(files: Self.mapContent, templates: Self.mapTemplates)
        defer { site.remove() }
        _ = try SiteBuilder(options: BuildOptions(root: site.root)).build()

        let garden = try site.read("assets/garden/index.html")
        #expect(garden.contains(#"<p class="group">partners with to <a href="../library/index.html">Northside Library</a> story:The seed swap</p>"#))
        #expect(garden.contains(#"<p class="group">volunteers at from <a href="../ann/index.html">Ann Baker</a></p>"#))
        #expect(garden.contains("degree 2 rank </p>"))
        let library = try site.read("assets/library/index.html")
        #expect(library.contains("degree 3 rank 1</p>"))
        #expect(library.contains(#"<p class="group">partners with from <a href="../garden/index.html">Community Garden</a> story:The seed swap</p>"#))
        #expect(library.contains(#"<p class="other">from <a href="../cafe/index.html">Corner Café</a></p>"#))
        #expect(library.contains(#"<p class="other"> <a href="../ann/index.html">Ann Baker</a> story:Ann reads at the library</p>"#))
        let ann = try site.read("assets/ann/index.html")
        #expect(ann.contains(#"<p class="group">volunteers at to <a href="../garden/index.html">Community Garden</a></p>"#))
        #expect(ann.contains(#"<p class="other"> <a href="../library/index.html">Northside Library</a> story:Ann reads at the library</p>"#))
        let cafe = try site.read("assets/cafe/index.html")
        #expect(cafe.contains(#"<p class="other">to <a href="../library/index.html">Northside Library</a></p>"#))
        #expect(cafe.contains(#"<p class="suggest">needs Canal Choir: a room for meetings</p>"#))
        let choir = try site.read("assets/choir/index.html")
        #expect(choir.contains(#"<p class="suggest">offers Corner Café: a room for meetings</p>"#))
        #expect(choir.contains(#"<p class="group">sings &lt;with&gt; from <a href="../evil/index.html">"#))

        // The neighbourhood map links every node relative to the profile, the asset itself at its centre.
        #expect(garden.contains(#"<a href="index.html" aria-current="page"><title>Community Garden (Spaces)</title>"#))
        #expect(garden.contains(#"<a href="../library/index.html"><title>Northside Library (Institutions)</title>"#))

        // The map page lists every edge; its nodes link up one folder.
        let map = try site.read("map/index.html")
        #expect(map.contains(#"<a href="../assets/garden/index.html" class="map-node" data-id="garden""#))
        for edge in ["Ann Baker connection Community Garden", "Community Garden connection Northside Library",
                     "Community Garden mention Northside Library", "Corner Café mention Northside Library",
                     "Community Garden story Northside Library", "Ann Baker story Northside Library"] {
            #expect(map.contains(#"<p class="edge">\#(edge)</p>"#), "missing \(edge)")
        }
        let insights = try site.read("map/insights/index.html")
        #expect(insights.contains(#"<p class="connector">Northside Library</p>"#))
        #expect(!insights.contains(#"class="isolated""#))

        // graph.json is in the shape network tools import.
        let data = try Data(contentsOf: site.output.appendingPathComponent("map/graph.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let elements = try #require(json["elements"] as? [[String: Any]])
        let connections = try #require(json["connections"] as? [[String: Any]])
        #expect(elements.count == 6)
        #expect(elements.first?["id"] as? String == "ann")
        #expect(elements.first?["label"] as? String == "Ann Baker")
        #expect(elements.first?["type"] as? String == "Individuals")
        #expect(connections.count == 7)
        #expect(connections.first?["from"] as? String == "ann")
        #expect(connections.first?["to"] as? String == "garden")
        #expect(connections.first?["type"] as? String == "connection")
        #expect(connections.first?["direction"] as? String == "directed")
        #expect(connections.last?["direction"] as? String == "undirected")
    }

    @Test func pageOnlyFieldsStayOutOfLists() throws {
        let (model, fixture) = try model()
        defer { fixture.remove() }
        let section = MapSection(model: model)
        let cafe = try #require(model.assetsBySlug["cafe"])
        // Lists carry the metrics alone.
        let listed = section.assetFields(cafe)
        #expect(Set(listed.keys) == ["metrics"])
        #expect(field(listed["metrics"], "degree") == .int(1))
        #expect(field(listed["metrics"], "mentions") == .int(1))
        let page = section.assetPageFields(cafe)
        #expect(Set(page.keys) == ["neighbours", "connection_groups", "other_links", "suggestions", "neighbourhood"])
        #expect(list(page["neighbours"]).compactMap { text(field($0, "asset.slug")) } == ["library"])
        #expect(list(page["suggestions"]).compactMap { text(field($0, "asset.slug")) } == ["choir"])

        // In a build: `site.assets` has no neighbours or suggestions, the profile has.
        var templates = Self.mapTemplates
        templates["templates/home.html"] = """
            {% extends "base.html" %}{% block content %}{% for a in site.assets %}<p class="listed">{{ a.slug }} \
            degree {{ a.metrics.degree }}{% if a.neighbours %} neighbours{% endif %}{% if a.suggestions %} suggestions{% endif %}\
            {% if a.connection_groups %} groups{% endif %}{% if a.other_links %} others{% endif %}</p>{% endfor %}{% endblock %}
            """
        let site = try FixtureSite(files: Self.mapContent, templates: templates)
        defer { site.remove() }
        _ = try SiteBuilder(options: BuildOptions(root: site.root)).build()
        let home = try site.read("index.html")
        #expect(home.contains(#"<p class="listed">cafe degree 1</p>"#))
        #expect(home.contains(#"<p class="listed">library degree 3</p>"#))
        let profile = try site.read("assets/cafe/index.html")
        #expect(profile.contains(#"<p class="other">to <a href="../library/index.html">Northside Library</a></p>"#))
        #expect(profile.contains(#"<p class="suggest">needs Canal Choir: a room for meetings</p>"#))
    }

    @Test func anAssetWithoutLinksIsAnInvitation() throws {
        var files = Self.mapContent
        files["content/assets/lonely.md"] = """
            ---
            title: Lonely Hearts Club
            type: association
            summary: Nobody has linked to us yet.
            ---
            Say hello.

            """
        let site = try FixtureSite(files: files, templates: Self.mapTemplates)
        defer { site.remove() }
        _ = try SiteBuilder(options: BuildOptions(root: site.root)).build()
        let insights = try site.read("map/insights/index.html")
        #expect(insights.contains(#"<p class="isolated">Lonely Hearts Club</p>"#))
        let lonely = try site.read("assets/lonely/index.html")
        #expect(!lonely.contains("<figure>"))
        #expect(lonely.contains("degree 0 rank </p>"))
        #expect(try site.read("map/index.html").contains("Not connected yet (1)"))
    }

    @Test func aLargeDirectoryIsMappedAreaByArea() throws {
        let (model, site) = try model()
        defer { site.remove() }
        let section = MapSection(model: model, wholeMapLimit: 3)
        let pages = section.pages(PageMaker(site: .null, defaultDescription: nil))
        #expect(pages.map(\.path) == ["map/", "map/areas/canal-side/", "map/areas/north-end/", "map/no-area/", "map/insights/"])
        let overview = try #require(pages.first?.context["map"])
        #expect(text(field(overview, "kind")) == "overview")
        let parts = list(field(overview, "parts"))
        #expect(parts.compactMap { text(field($0, "name")) } == ["Canal Side", "North End", "No area given"])
        let svg = try #require(text(field(overview, "svg")))
        #expect(svg.contains(#"<a href="areas/canal-side/index.html""#))
        // The tables are added when the page is rendered.
        #expect(field(pages[1].context["map"], "edges") == nil)
        let canal = try #require(pages[1].finishedContext()["map"])
        #expect(text(field(canal, "kind")) == "part")
        let canalSVG = try #require(text(field(canal, "svg")))
        #expect(canalSVG.contains(#"<a href="../../../assets/library/index.html""#))
        #expect(!canalSVG.contains(#"data-id="garden""#))
        // The table lists links leaving the part too.
        #expect(list(field(canal, "edges")).contains { text(field($0, "from.slug")) == "garden" })
        #expect(list(field(canal, "nodes")).compactMap { text(field($0, "asset.slug")) } == ["choir", "evil", "library"])
    }

    // MARK: - Writing without checks

    @Test(arguments: [-1234.56, -0.35, -0.25, -0.05, -0.04, 0, 0.05, 0.15, 0.25, 0.45, 2.5, 12.95, 99.95, 1e14 + 0.05, -9.5e13,
        7, 9.96, -9.95, 10, 99.94, 100, -100.05, 123.4, 999.94, 999.95, -999.96, 1000, 1000.05, 1e15, -2e18, 1e300, .infinity])
    func writtenCoordinatesAreTheFormattedOnes(value: Double) {
        var out = SVGOut(capacity: 16)
        out.number(value)
        #expect(out.string == SVGText.number(value))
    }

    @Test(arguments: ["", "plain text, longer than eight bytes", "Café", "…", "a…b", "Žižkov – “Bridge” club ☃", "é" + String(repeating: "x", count: 40) + "ü",
        "abcdefgh&ijklmnop<qrstuvwx\"yz'1234567>\u{7F}\tABCDEFGH\u{FFFE}xyzxyzxy\u{FEFF}&#0123456789 \u{1}",
        "abcdefgh&ij", "abcdefghijk&", "abcdefgh\u{FFFE}", "abcdefghé", "abcdefghij\u{FFFF}", "12345678", "1234567\u{EF}x"])
    func writtenTextIsJoinedFromItsRuns(text: String) {
        var out = SVGOut(capacity: 8)
        out.raw("<t>")
        out.text(text)
        out.raw("</t>")
        out.text(text)
        let expected = "<t>" + SVGText.escape(text) + "</t>" + SVGText.escape(text)
        #expect(out.string == expected)
        #expect(out.string.utf8.elementsEqual(expected.utf8))
    }

    @Test func runsOutsideASCIIAreJoinedWhereTheyWereWritten() {
        var out = SVGOut(capacity: 8)
        out.raw("…")
        out.raw("<a>")
        out.write("é")
        out.text("Café & co")
        out.raw("…")
        out.number(-12.5)
        out.text("plain text, longer than eight bytes")
        out.write("../")
        out.text("Žižkov")
        out.write("ü")
        #expect(out.string == "…<a>éCafé &amp; co…-12.5plain text, longer than eight bytes../Žižkovü")
        var plain = SVGOut(capacity: 8)
        plain.raw("<svg>")
        plain.text("a < b")
        #expect(plain.string == "<svg>a &lt; b")
    }

    @Test(arguments: [
        (1, ["A"], 0, "T is linked to 1 asset: A."),
        (2, ["A", "B"], 1, "T is linked to 2 assets: A and B. 1 more asset is two steps away."),
        (3, ["A", "B", "Café"], 4, "T is linked to 3 assets: A, B and Café. 4 more assets are two steps away."),
        (20, ["A", "B"], 0, "T is linked to 20 assets (the 2 with most links are drawn): A and B."),
        (4, ["A", "B", "C", "D"], 0, "T is linked to 4 assets: A, B, C and D."),
    ])
    func neighbourhoodsAreDescribedInWords(direct: Int, ring: [String], second: Int, expected: String) {
        #expect(Neighbourhood.describe(title: "T", direct: direct, ring: ring, second: second) == expected)
    }

    @Test(arguments: ["", "short", "exactly8", "a longer plain title", "carriage\r\nreturn", "0123456789abcde\r", "Café", "plain title, then é",
        "\u{7F}\u{1}\u{D}", "\u{0D}\u{0D}\u{0D}\u{0D}\u{0D}\u{0D}\u{0D}\u{0D}", "\u{0C}\u{0E}\u{1D}\u{2D}\u{8D}"])
    func wideBytesAndReturnsAreFound(text: String) {
        var text = text
        let expected = text.utf8.contains { $0 >= 0x80 || $0 == 0x0D }
        #expect(text.withUTF8 { SVGText.hasWideOrReturn($0) } == expected)
        #expect(SVGText.isPlainASCII(text) == !expected)
    }

    @Test func labelsAreCutWhereTheirTitlesLie() {
        let title = "Northside Community Pantry and Friends"
        var drawing = MapDrawing(
            id: "d", title: "t", description: "d",
            nodes: [MapDrawing.Node(
                id: "n", title: title, tooltip: title, type: "", colour: "#000", areas: [], tags: [], href: "x",
                position: Point(x: 0, y: 0), radius: 5, priority: 1, mustLabel: true)],
            lines: [])
        drawing.labelLimit = 20
        #expect(drawing.render().contains(">Northside Community…</text>"))
        drawing.nodes[0].title = "Café Ünïcode and Friends of the Park"
        #expect(drawing.render().contains(">" + SVGText.shorten("Café Ünïcode and Friends of the Park", to: 20) + "</text>"))
    }

    @Test(arguments: ["Northside Community Pantry and Friends", "Tom & Jerry's \"Workshop\" <Hall> of the long titles",
        "Café Ünïcode and Friends of the Park", "Tabs\tand\nlines in a title long enough", "short", "Bad\u{1}byte\u{FFFE} in a longer title"])
    func nodesWrittenFromEscapedTextsMatchTheirStrings(title: String) {
        let slugs = ["a&b", "café", "plain"]
        let titles = ["First one", title, "Third & last, with a long title"]
        let labels = ["Spaces", "Groups & clubs", "Ünïons"]
        let texts = NodeTexts(count: 3) { (slugs[$0], titles[$0], labels[$0], $0 == 1 ? "#2b7a3d" : "\"red\"") }
        var drawing = MapDrawing(
            id: "d", title: "t", description: "d",
            nodes: (0..<3).map { node in
                MapDrawing.Node(
                    id: slugs[node], title: titles[node], tooltip: titles[node], tooltipNote: labels[node], type: "t",
                    colour: node == 1 ? "#2b7a3d" : "\"red\"", areas: [], tags: [], href: "",
                    position: Point(x: Double(node) * 60, y: 0), radius: 5, priority: Double(node), mustLabel: true)
            },
            lines: [MapDrawing.Line(a: 0, b: 1, type: .connection, types: [.connection, .mention], aToB: true, bToA: false),
                    MapDrawing.Line(a: 1, b: 2, type: .story, types: [.story], aToB: false, bToA: false)])
        drawing.labelLimit = 20
        drawing.profileLinks = ProfileLinks(from: "assets/plain/")
        for interactive in [true, false] {
            drawing.interactive = interactive
            drawing.texts = nil
            for index in drawing.nodes.indices { drawing.nodes[index].textIndex = -1 }
            let fromStrings = drawing.render()
            drawing.texts = texts
            for index in drawing.nodes.indices { drawing.nodes[index].textIndex = index }
            let fromTexts = drawing.render()
            #expect(fromTexts == fromStrings)
            #expect(fromTexts.utf8.elementsEqual(fromStrings.utf8))
        }
        #expect(drawing.render().contains(#"href="../a&amp;b/index.html""#))
    }

    @Test func shapedObjectsEqualTheirLiterals() {
        let shape = ObjectShape(["asset", "connections", "mention", "stories", "types"])
        let made = shape.make(.string("a"), .array([.int(1)]), .null, .bool(true), "story")
        let literal: Value = .object(["asset": .string("a"), "connections": .array([.int(1)]), "mention": .null, "stories": .bool(true), "types": "story"])
        #expect(made == literal)
        // The template is not changed by what is made from it.
        #expect(shape.make(.int(1), .int(2), .int(3), .int(4), .int(5))
            == .object(["asset": .int(1), "connections": .int(2), "mention": .int(3), "stories": .int(4), "types": .int(5)]))
        #expect(shape.make(.null, .null, .null, .null, .null) == .object(["asset": .null, "connections": .null, "mention": .null, "stories": .null, "types": .null]))
    }

    @Test(arguments: ["Don't stop -- the MUSIC!!", "  a van,  for gigs ", "''", "R2-D2's spare\r\nparts", "Room4Rent"])
    func plainTextIsNormalisedAsAnyOther(text: String) {
        // A letter outside ASCII sends the text down the general path.
        let normalised = GiftMatcher.normalise(text)
        #expect(GiftMatcher.normalise(text + " é") == (normalised.isEmpty ? "é" : normalised + " é"))
        #expect(!normalised.hasPrefix(" ") && !normalised.hasSuffix(" ") && !normalised.contains("  "))
    }

    @Test(arguments: ["classes", "libraries", "boxes", "benches", "dishes", "quizzes", "volunteers", "glass", "campus", "tennis", "gardens", "stairs"])
    func wordsAreStemmedAsAnyOther(word: String) {
        // A letter outside ASCII in front sends the word down the general path;
        // the words are long enough for it not to change which rule applies.
        #expect("é" + GiftMatcher.stem(word) == GiftMatcher.stem("é" + word))
    }

    @Test func plainWordsAreStemmed() {
        #expect(GiftMatcher.stem("libraries") == "library")
        #expect(GiftMatcher.stem("lies") == "lie")
        #expect(GiftMatcher.stem("boxes") == "box")
        #expect(GiftMatcher.stem("vans") == "van")
        #expect(GiftMatcher.stem("gas") == "gas")
        #expect(GiftMatcher.stem("glass") == "glass")
        #expect(GiftMatcher.words("Volunteers for the gardens").map(\.plain) == ["volunteer", "garden"])
        #expect(GiftMatcher.words("Volunteers for the gardens").map(\.isCore) == [true, false])
        #expect(GiftMatcher.words("Bénévoles for the gardens").map(\.plain) == ["bénévole", "garden"])
        #expect(GiftMatcher.words("a van, an ox and some vans").map(\.plain) == ["van"])
    }

    @Test func theGraphFileIsWrittenInChunks() throws {
        let (model, site) = try model()
        defer { site.remove() }
        let graph = ConnectionGraph(assets: model.content.assets, stories: model.content.stories, mentions: model.mentions)
        let whole = GraphExport.bytes(graph: graph, typeLabel: { $0 }, url: { "/" + $0 })
        let chunks = ChunkList()
        var output = OutputBuffer { chunks.items.append(Array($0)) }
        try GraphExport.write(graph: graph, typeLabel: { $0 }, url: { "/" + $0 }, into: &output)
        try output.flush()
        #expect(chunks.items.flatMap { $0 } == whole)
        #expect(String(decoding: whole, as: UTF8.self).hasPrefix("{\n  \"elements\": ["))
    }

    final class ChunkList: @unchecked Sendable {
        var items: [[UInt8]] = []
    }
}
