import Content
import Diagnostics
import Dispatch
import Foundation
import Templates

/// The connection map: who works with whom, drawn and counted.
///
/// Adds to every asset its metrics, and to each asset's own page its
/// neighbours, connections grouped by kind, a small map of its
/// neighbourhood and suggested connections (docs/theme.md, "The connection
/// map"); adds `site.map`; renders `map/index.html` (template
/// `map.html`) and `map/insights/index.html` (template `insights.html`); and
/// writes `map/graph.json` for network tools. A directory of more than
/// `wholeMapLimit` assets gets an overview map at `map/` and one map per area
/// (or per type, when it has no areas) linked from it.
///
/// The graph, its metrics, layouts and suggestions are computed once, when
/// the section is made, in a fixed order (`map/graph.json` when the files
/// are written, a piece at a time); what only a profile page shows
/// (its neighbours, connection groups, suggestions and neighbourhood map) is
/// made when that page is rendered, and let go after it. Two builds of the
/// same content give the same bytes.
struct MapSection: SiteSection {
    /// Past this many assets, the whole map is split into parts.
    static let wholeMapLimit = 2000

    let requiredTemplates = ["map.html", "insights.html"]
    /// For the fields of each asset, made page by page.
    private let values: MapValues
    private let siteValue: Value
    private let pendingPages: [PendingPage]
    /// For the URLs in `map/graph.json`, which is written only when the
    /// files are (it is large, and nothing else reads it).
    private let baseURL: String?

    /// A page decided before `site` is known.
    struct PendingPage: Sendable {
        var template: String
        var path: String
        var kind: String
        var title: String
        var description: String
        var extra: [String: Value]
        /// The lists of a map page, added to `extra["map"]` only when the
        /// page is rendered: a large map's tables are big.
        var table: MapPages.Table? = nil
    }

    static let graphPath = "map/graph.json"
    static let insightsPath = "map/insights/"
    static let mapPath = "map/"

    init(model: SiteModel, wholeMapLimit: Int = MapSection.wholeMapLimit, betweennessBudget: Int = Centrality.exactBudget) {
        let content = model.content
        let graph = ConnectionGraph(assets: content.assets, stories: content.stories, mentions: model.mentions, areaSlug: content.config.areaSlug)
        // The graph's metrics (whose betweenness is shared out over every
        // core), and beside them what is made from the content alone.
        let types = content.config.types
        // With one node per asset, the model's title order is the nodes'.
        let titleOrder = graph.count == content.assets.count ? model.assetsByTitle.compactMap { graph.index[$0.slug] } : nil
        let (data, prepared) = SideBySide.run(
            { MapData(graph: graph, types: types, betweennessBudget: betweennessBudget, titleOrder: titleOrder) },
            beside: { MapValues.prepare(model: model, graph: graph, titleOrder: titleOrder) })
        let values = MapValues(data: data, prepared: prepared)
        self.values = values

        let builder = MapPages(model: model, data: values.data, values: values, wholeMapLimit: wholeMapLimit)
        pendingPages = builder.pages()
        siteValue = builder.siteValue()
        baseURL = content.config.baseURL
    }

    func assetFields(_ asset: Asset) -> Object {
        guard let node = values.data.graph.index[asset.slug] else { return [:] }
        return ["metrics": values.metrics(of: node)]
    }

    func assetPageFields(_ asset: Asset) -> Object {
        guard let node = values.data.graph.index[asset.slug] else { return [:] }
        var fields = values.linkFields(of: node)
        fields["suggestions"] = values.suggestions(of: node)
        fields["neighbourhood"] = values.neighbourhood(of: node)
        return fields
    }

    func siteFields() -> Object { ["map": siteValue] }

    /// Where the map's pages go: the map, its parts and the insights.
    var pagePaths: [String] { pendingPages.map(\.path) }

    func pages(_ make: PageMaker) -> [PageJob] {
        let values = values
        return pendingPages.map { pending in
            var job = make(pending.template, pending.path, kind: pending.kind, title: pending.title, description: pending.description, pending.extra)
            if let table = pending.table {
                job.finish = { context in
                    context["map"] = PagePlan.merging(table.fields(values), into: context["map"] ?? .null)
                }
            }
            return job
        }
    }

    func files() -> [OutputFile] {
        let data = values.data, baseURL = baseURL
        return [OutputFile(path: Self.graphPath, source: .stream { output in
            try GraphExport.write(
                graph: data.graph,
                typeLabel: { data.typeInfo($0).label },
                url: { slug in (baseURL ?? "") + SitePaths.asset(slug) },
                into: &output)
        })]
    }
}

/// Two pieces of work at the same time: one on the calling thread, the
/// other on a thread started for it.
///
/// Unlike the two tasks of a `concurrentPerform`, the work on the calling
/// thread may itself be shared out over every core: libdispatch runs a
/// `concurrentPerform` started inside another on one thread alone. The
/// other piece has a thread of its own, not one of the shared pool, so it
/// never waits for a pool whose threads are all busy or waiting.
enum SideBySide {
    /// Runs `main` here and `side` beside it, and waits for both.
    static func run<Main, Side: Sendable>(_ main: () -> Main, beside side: @escaping @Sendable () -> Side) -> (Main, Side) {
        let result = ResultSlots<Side>(count: 1)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            result.set(0, side())
            done.signal()
        }
        thread.start()
        let value = main()
        done.wait()
        return (value, result.values[0]!)
    }
}
