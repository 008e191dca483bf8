import Content
import Diagnostics
import Dispatch
import Foundation
import Templates

/// Decides every page of the site and the variables each template gets.
struct PagePlan {
    static let coreTemplates = [
        "home.html", "asset.html", "story.html", "stories.html", "terms.html", "term.html", "page.html", "404.html",
    ]

    let model: SiteModel
    let sections: [any SiteSection]

    init(model: SiteModel, searchKeeper: SearchIndexKeeper? = nil) {
        self.model = model
        self.sections = Sections.all(model, searchKeeper: searchKeeper)
    }

    var requiredTemplates: [String] { Self.coreTemplates + sections.flatMap(\.requiredTemplates) }

    /// Pages to render and problems found. The sections' files are made
    /// later, by `files()`, once the pages are written.
    func prepare() -> (pages: [PageJob], diagnostics: [Diagnostic]) {
        let content = model.content
        let views = model.views
        let assetsBySlug = model.assetsBySlug

        // Connections in both directions, and the stories naming each asset.
        // The short form of each asset and story is made once and shared.
        var assetRefs: [String: Value] = [:]
        assetRefs.reserveCapacity(content.assets.count)
        for asset in content.assets { assetRefs[asset.slug] = views.assetRef(asset) }
        var links: [String: AssetLinks] = [:]
        for asset in content.assets {
            for connection in asset.connections {
                guard let target = assetRefs[connection.to] else { continue }
                let note = Views.text(connection.note)
                links[asset.slug, default: AssetLinks()].outgoing.append(
                    .object(["asset": target, "kind": .string(connection.kind), "note": note]))
                links[connection.to, default: AssetLinks()].incoming.append(
                    .object(["asset": assetRefs[asset.slug]!, "kind": .string(connection.kind), "note": note]))
            }
        }
        for story in model.storiesByDate {
            let ref = views.storyRef(story)
            for reference in story.assets where assetsBySlug[reference.slug] != nil {
                links[reference.slug, default: AssetLinks()].stories.append(ref)
            }
        }

        // Assets and stories in template form, each built once and shared by
        // every list that shows it. Lists carry no body (a body's links are
        // relative to its own page): the body, and the fields only the
        // asset's or story's own page shows, are added when that page is rendered.
        // Each value depends on its own asset or story only, so they are made
        // on every core, in order.
        let sections = self.sections
        let model = self.model
        let assetLinks = links
        let assetListValues = Self.inOrder(model.assetsByTitle) { asset -> Value in
            var fields = views.assetFields(asset, links: assetLinks[asset.slug] ?? AssetLinks())
            for section in sections { fields.merge(section.assetFields(asset)) }
            return .object(fields.sharingNames())
        }
        let sharedAssetRefs = assetRefs
        let storyListValues = Self.inOrder(model.storiesByDate) { story -> Value in
            let refs = story.assets.compactMap { sharedAssetRefs[$0.slug] }
            var value = views.story(story, assets: refs)
            for section in sections { value = Self.merging(section.storyFields(story), into: value) }
            return value
        }
        // Where each asset and story is in those lists, by slug.
        var assetPosition: [String: Int] = [:]
        assetPosition.reserveCapacity(model.assetsByTitle.count)
        for (index, asset) in model.assetsByTitle.enumerated() { assetPosition[asset.slug] = index }
        var storyPosition: [String: Int] = [:]
        storyPosition.reserveCapacity(model.storiesByDate.count)
        for (index, story) in model.storiesByDate.enumerated() { storyPosition[story.slug] = index }
        let pageListValues: [Value] = model.pagesByWeight.map {
            .object(["slug": .string($0.slug), "title": .string($0.title), "summary": Views.text($0.summary), "url": .string(SitePaths.page($0.slug))])
        }

        // Index terms: types in site.yml order, areas and tags by name.
        let terms = model.terms
        var siteFields: Object = [
            "title": .string(content.config.title),
            "description": Views.text(content.config.description),
            "language": .string(content.config.language),
            "base_url": Views.text(content.config.baseURL),
            "types": .array(terms.items(.type)),
            "areas": .array(terms.items(.area)),
            "tags": .array(terms.items(.tag)),
            "assets": .array(assetListValues),
            "stories": .array(storyListValues),
            "pages": .array(pageListValues),
            "counts": .object([
                "assets": .int(content.assets.count),
                "stories": .int(content.stories.count),
                "types": .int(terms.entries(.type).count),
                "areas": .int(terms.entries(.area).count),
                "tags": .int(terms.entries(.tag).count),
                "pages": .int(content.pages.count),
            ]),
        ]
        for section in sections { siteFields.merge(section.siteFields()) }
        let make = PageMaker(site: .object(siteFields), defaultDescription: content.config.description)

        var jobs: [PageJob] = []
        jobs.reserveCapacity(model.assetsByTitle.count + model.storiesByDate.count + 8)
        jobs.append(make("home.html", SitePaths.home, kind: "home", title: content.config.title, description: content.config.description))
        // Each asset and story page keeps only its position; the model and
        // the sections are held once for all of them.
        let finisher = PageFinisher(model: model, sections: sections)
        let assets = model.assetsByTitle, stories = model.storiesByDate
        jobs.append(contentsOf: Self.inOrder(Array(assets.indices)) { index -> PageJob in
            let asset = assets[index]
            var job = make("asset.html", SitePaths.asset(asset.slug), kind: "asset", title: asset.title, description: asset.summary,
                           ["asset": assetListValues[index]])
            job.finish = { context in finisher.finishAsset(&context, at: index) }
            return job
        })
        jobs.append(make("stories.html", SitePaths.stories, kind: "stories", title: "Stories", description: nil))
        jobs.append(contentsOf: Self.inOrder(Array(stories.indices)) { index -> PageJob in
            let story = stories[index]
            var job = make("story.html", SitePaths.story(story.slug), kind: "story", title: story.title, description: story.summary,
                           ["story": storyListValues[index]])
            job.finish = { context in finisher.finishStory(&context, at: index) }
            return job
        })
        for kind in TermKind.allCases {
            jobs.append(make("terms.html", SitePaths.terms(kind), kind: "terms", title: kind.title, description: nil, [
                "taxonomy": .object([
                    "kind": .string(kind.rawValue), "title": .string(kind.title),
                    "url": .string(SitePaths.terms(kind)), "items": .array(terms.items(kind)),
                ]),
            ]))
            for entry in terms.entries(kind) {
                // The term's own members, in title (assets) and date (stories) order.
                let assets = Self.members(entry.assets, positions: assetPosition, values: assetListValues)
                let stories = Self.members(entry.stories, positions: storyPosition, values: storyListValues)
                jobs.append(make("term.html", SitePaths.term(kind, entry.slug), kind: "term", title: entry.name, description: entry.description, [
                    "term": terms.value(kind, entry),
                    "assets": .array(assets),
                    "stories": .array(stories),
                ]))
            }
        }
        for page in model.pagesByWeight {
            jobs.append(make("page.html", SitePaths.page(page.slug), kind: "page", title: page.title, description: page.summary,
                             ["content": views.page(page, body: model.pageBodies[page.slug] ?? "")]))
        }
        jobs.append(make("404.html", SitePaths.notFound, kind: "notfound", title: "Page not found", description: nil))

        // Sections make their pages independently of each other: all at
        // once, then gathered in section order.
        let outputs = ResultSlots<[PageJob]>(count: sections.count)
        DispatchQueue.concurrentPerform(iterations: sections.count) { index in
            outputs.set(index, sections[index].pages(make))
        }
        var diagnostics: [Diagnostic] = []
        for (section, pages) in zip(sections, outputs.values) {
            jobs.append(contentsOf: pages ?? [])
            diagnostics.append(contentsOf: section.diagnostics)
        }
        return (jobs, diagnostics)
    }

    /// `make` applied to every item, on every core, the results in the items' order.
    static func inOrder<Item: Sendable, Made>(_ items: [Item], _ make: @Sendable (Item) -> Made) -> [Made] {
        let chunk = 256
        let chunks = (items.count + chunk - 1) / chunk
        guard chunks > 1 else { return items.map(make) }
        let slots = ResultSlots<[Made]>(count: chunks)
        DispatchQueue.concurrentPerform(iterations: chunks) { index in
            let lower = index * chunk, upper = min(items.count, lower + chunk)
            slots.set(index, items[lower..<upper].map(make))
        }
        var values: [Made] = []
        values.reserveCapacity(items.count)
        for slot in slots.values { values.append(contentsOf: slot ?? []) }
        return values
    }

    /// The values of a term's members in list order: the order of `positions`
    /// (every listed slug has one), each slug's own value taken from `values`
    /// by its position. Each slug is looked up once, not at every comparison.
    static func members(_ slugs: Set<String>, positions: [String: Int], values: [Value]) -> [Value] {
        var found: [Int] = []
        found.reserveCapacity(slugs.count)
        for slug in slugs {
            if let position = positions[slug] { found.append(position) }
        }
        found.sort()
        return found.map { values[$0] }
    }

    /// Hands every section's files (JSON, CSV, XML, SVG) to `write`, on
    /// every core: the sections make their lists of files at once, and each
    /// file is written as soon as its section has listed it, by whichever
    /// thread is free, streamed (large) files first. A streamed file is made
    /// while it is written, and every file is let go once written, so the
    /// files are never all in memory together.
    /// - Returns: how many files were written, and the first error `write`
    ///   threw (in section order); after an error no more files are started.
    func files(_ write: @Sendable (OutputFile) throws -> Void) -> (count: Int, error: (any Error)?) {
        let sections = self.sections
        let queue = SectionFileQueue(sections: sections.count)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 64))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let job = queue.next() {
                switch job {
                case .list(let section):
                    queue.add(sections[section].files(), of: section)
                case .write(let section, let file):
                    do {
                        try write(file)
                        queue.written()
                    } catch {
                        queue.failed(section, error)
                    }
                }
            }
        }
        return queue.outcome
    }

    /// Adds an asset page's body and page-only fields to its `asset` variable.
    static func finishAsset(_ context: inout [String: Value], _ asset: Asset, body: String, sections: [any SiteSection]) {
        var fields: Object = ["body": .safe(body)]
        for section in sections { fields.merge(section.assetPageFields(asset)) }
        context["asset"] = merging(fields, into: context["asset"] ?? .null)
    }

    /// Adds a story page's body and page-only fields to its `story` variable.
    static func finishStory(_ context: inout [String: Value], _ story: Story, body: String, sections: [any SiteSection]) {
        var fields: Object = ["body": .safe(body)]
        for section in sections { fields.merge(section.storyPageFields(story)) }
        context["story"] = merging(fields, into: context["story"] ?? .null)
    }

    /// The object with `fields` added (replacing fields of the same name), copied once.
    static func merging(_ fields: Object, into value: Value) -> Value {
        guard !fields.isEmpty, case .object(var object) = value else { return value }
        object.merge(fields)
        return .object(object)
    }

    /// The object with one field set (or removed, for nil). An object given
    /// a new field shares its names with the others given the same one.
    static func setting(_ key: String, to field: Value?, in value: Value) -> Value {
        guard case .object(var fields) = value else { return value }
        let count = fields.count
        fields[key] = field
        return .object(fields.count == count ? fields : fields.sharingNames())
    }
}

/// Adds the page-only variables to asset and story pages when they are
/// rendered, from the model, which it holds once for every page.
final class PageFinisher: Sendable {
    let model: SiteModel
    let sections: [any SiteSection]

    init(model: SiteModel, sections: [any SiteSection]) {
        self.model = model
        self.sections = sections
    }

    /// For the page of the asset at `index` in `model.assetsByTitle`.
    func finishAsset(_ context: inout [String: Value], at index: Int) {
        let asset = model.assetsByTitle[index]
        PagePlan.finishAsset(&context, asset, body: model.assetBodies[asset.slug] ?? "", sections: sections)
    }

    /// For the page of the story at `index` in `model.storiesByDate`.
    func finishStory(_ context: inout [String: Value], at index: Int) {
        let story = model.storiesByDate[index]
        PagePlan.finishStory(&context, story, body: model.storyBodies[story.slug] ?? "", sections: sections)
    }
}

/// The type, area and tag index: which assets and stories each term gathers.
struct TermIndex: Sendable {
    struct Entry: Sendable {
        var slug: String
        var name: String
        var colour: String?
        var description: String?
        var assets: Set<String> = []
        var stories: Set<String> = []
    }

    /// The entries of one kind of term as they are gathered: by position,
    /// found by slug, and by each name already met.
    private struct Terms {
        var entries: [Entry] = []
        var bySlug: [String: Int] = [:]
        var byName: [String: Int] = [:]

        /// The position of the entry a name belongs to, made when it is new;
        /// a name is made a slug only the first time it is met.
        mutating func index(of name: String, slug: (String) -> String) -> Int {
            if let known = byName[name] { return known }
            let made = slug(name)
            let index: Int
            if let existing = bySlug[made] {
                index = existing
            } else {
                index = entries.count
                bySlug[made] = index
                entries.append(Entry(slug: made, name: name))
            }
            byName[name] = index
            return index
        }
    }

    private var table: [TermKind: [Entry]] = [:]

    init(content: ContentSet) {
        var types: [Entry] = content.config.types.map { Entry(slug: $0.slug, name: $0.label, colour: $0.colour) }
        var typePosition: [String: Int] = [:]
        for (index, type) in types.enumerated() { typePosition[type.slug] = index }
        // Entries by position, found by slug; each name used is found once
        // by its slug (and made a slug once) and then by the name itself.
        var areas = Terms()
        for area in content.config.areas {
            let entry = Entry(slug: area.slug, name: area.name, description: area.description)
            if let index = areas.bySlug[area.slug] {
                areas.entries[index] = entry
            } else {
                areas.bySlug[area.slug] = areas.entries.count
                areas.entries.append(entry)
            }
        }
        var tags = Terms()
        func area(_ name: String) -> Int { areas.index(of: name, slug: content.config.areaSlug) }
        func tag(_ name: String) -> Int { tags.index(of: name, slug: Slug.term) }
        var areasOfAsset: [String: [Int]] = [:]
        for asset in content.assets {
            if let index = typePosition[asset.type] { types[index].assets.insert(asset.slug) }
            if !asset.areas.isEmpty {
                var found: [Int] = []
                found.reserveCapacity(asset.areas.count)
                for name in asset.areas {
                    let index = area(name)
                    areas.entries[index].assets.insert(asset.slug)
                    found.append(index)
                }
                areasOfAsset[asset.slug, default: []].append(contentsOf: found)
            }
            for name in asset.tags { tags.entries[tag(name)].assets.insert(asset.slug) }
        }
        for story in content.stories {
            for name in story.tags { tags.entries[tag(name)].stories.insert(story.slug) }
            for reference in story.assets {
                for index in areasOfAsset[reference.slug] ?? [] { areas.entries[index].stories.insert(story.slug) }
            }
        }
        table[.type] = types
        table[.area] = areas.entries.sorted { SiteModel.titleOrder($0.name, $0.slug, $1.name, $1.slug) }
        table[.tag] = tags.entries.sorted { SiteModel.titleOrder($0.name, $0.slug, $1.name, $1.slug) }
    }

    func entries(_ kind: TermKind) -> [Entry] { table[kind] ?? [] }

    func value(_ kind: TermKind, _ entry: Entry) -> Value {
        .object([
            "kind": .string(kind.rawValue),
            "slug": .string(entry.slug),
            "name": .string(entry.name),
            "label": .string(entry.name),
            "colour": Views.text(entry.colour),
            "description": Views.text(entry.description),
            "count": .int(entry.assets.count),
            "url": .string(SitePaths.term(kind, entry.slug)),
        ])
    }

    func items(_ kind: TermKind) -> [Value] { entries(kind).map { value(kind, $0) } }
}
