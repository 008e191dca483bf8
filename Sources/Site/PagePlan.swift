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

    init(model: SiteModel) {
        self.model = model
        self.sections = Sections.all(model)
    }

    var requiredTemplates: [String] { Self.coreTemplates + sections.flatMap(\.requiredTemplates) }

    /// Pages to render, files to write as they are, and problems found.
    func prepare() -> (pages: [PageJob], files: [OutputFile], diagnostics: [Diagnostic]) {
        let content = model.content
        let views = model.views
        let assetsBySlug = model.assetsBySlug

        // Connections in both directions, and the stories naming each asset.
        var links: [String: AssetLinks] = [:]
        for asset in content.assets {
            for connection in asset.connections {
                guard let target = assetsBySlug[connection.to] else { continue }
                let note = Views.text(connection.note)
                links[asset.slug, default: AssetLinks()].outgoing.append(
                    .object(["asset": views.assetRef(target), "kind": .string(connection.kind), "note": note]))
                links[target.slug, default: AssetLinks()].incoming.append(
                    .object(["asset": views.assetRef(asset), "kind": .string(connection.kind), "note": note]))
            }
        }
        for story in model.storiesByDate {
            for reference in story.assets where assetsBySlug[reference.slug] != nil {
                links[reference.slug, default: AssetLinks()].stories.append(views.storyRef(story))
            }
        }

        // Assets and stories in template form. Lists carry no body: a body's
        // links are relative to its own page.
        var assetValues: [String: Value] = [:]
        var assetListValues: [Value] = []
        for asset in model.assetsByTitle {
            var value = views.asset(asset, body: model.assetBodies[asset.slug] ?? "", links: links[asset.slug] ?? AssetLinks())
            for section in sections {
                for (key, field) in section.assetFields(asset) { value = Self.setting(key, to: field, in: value) }
            }
            assetValues[asset.slug] = value
            assetListValues.append(Self.setting("body", to: nil, in: value))
        }
        var storyValues: [String: Value] = [:]
        var storyListValues: [Value] = []
        for story in model.storiesByDate {
            let refs = story.assets.compactMap { assetsBySlug[$0.slug] }.map(views.assetRef)
            var value = views.story(story, body: model.storyBodies[story.slug] ?? "", assets: refs)
            for section in sections {
                for (key, field) in section.storyFields(story) { value = Self.setting(key, to: field, in: value) }
            }
            storyValues[story.slug] = value
            storyListValues.append(Self.setting("body", to: nil, in: value))
        }
        let pageListValues: [Value] = model.pagesByWeight.map {
            .object(["slug": .string($0.slug), "title": .string($0.title), "summary": Views.text($0.summary), "url": .string(SitePaths.page($0.slug))])
        }

        // Index terms: types in site.yml order, areas and tags by name.
        let terms = TermIndex(content: content)
        var siteFields: [String: Value] = [
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
        for section in sections { siteFields.merge(section.siteFields()) { _, new in new } }
        let make = PageMaker(site: .object(siteFields), defaultDescription: content.config.description)

        var jobs: [PageJob] = []
        jobs.append(make("home.html", SitePaths.home, kind: "home", title: content.config.title, description: content.config.description))
        for asset in model.assetsByTitle {
            jobs.append(make("asset.html", SitePaths.asset(asset.slug), kind: "asset", title: asset.title, description: asset.summary,
                             ["asset": assetValues[asset.slug]!]))
        }
        jobs.append(make("stories.html", SitePaths.stories, kind: "stories", title: "Stories", description: nil))
        for story in model.storiesByDate {
            jobs.append(make("story.html", SitePaths.story(story.slug), kind: "story", title: story.title, description: story.summary,
                             ["story": storyValues[story.slug]!]))
        }
        var assetPosition: [String: Int] = [:]
        for (index, asset) in model.assetsByTitle.enumerated() { assetPosition[asset.slug] = index }
        var storyPosition: [String: Int] = [:]
        for (index, story) in model.storiesByDate.enumerated() { storyPosition[story.slug] = index }
        for kind in TermKind.allCases {
            jobs.append(make("terms.html", SitePaths.terms(kind), kind: "terms", title: kind.title, description: nil, [
                "taxonomy": .object([
                    "kind": .string(kind.rawValue), "title": .string(kind.title),
                    "url": .string(SitePaths.terms(kind)), "items": .array(terms.items(kind)),
                ]),
            ]))
            for entry in terms.entries(kind) {
                // The term's own members, in title (assets) and date (stories) order.
                let assets = entry.assets.sorted { (assetPosition[$0] ?? .max, $0) < (assetPosition[$1] ?? .max, $1) }.map {
                    Self.setting("body", to: nil, in: assetValues[$0]!)
                }
                let stories = entry.stories.sorted { (storyPosition[$0] ?? .max, $0) < (storyPosition[$1] ?? .max, $1) }.map {
                    Self.setting("body", to: nil, in: storyValues[$0]!)
                }
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

        // Sections make their pages and files independently of each other:
        // all at once, then gathered in section order.
        let sections = self.sections
        let outputs = ResultSlots<(pages: [PageJob], files: [OutputFile])>(count: sections.count)
        DispatchQueue.concurrentPerform(iterations: sections.count) { index in
            outputs.set(index, (sections[index].pages(make), sections[index].files()))
        }
        var files: [OutputFile] = []
        var diagnostics: [Diagnostic] = []
        for (section, output) in zip(sections, outputs.values) {
            if let output {
                jobs.append(contentsOf: output.pages)
                files.append(contentsOf: output.files)
            }
            diagnostics.append(contentsOf: section.diagnostics)
        }
        return (jobs, files, diagnostics)
    }

    /// The object with one field set (or removed, for nil).
    static func setting(_ key: String, to field: Value?, in value: Value) -> Value {
        guard case .object(var fields) = value else { return value }
        fields[key] = field
        return .object(fields)
    }
}

/// The type, area and tag index: which assets and stories each term gathers.
struct TermIndex {
    struct Entry {
        var slug: String
        var name: String
        var colour: String?
        var description: String?
        var assets: Set<String> = []
        var stories: Set<String> = []
    }

    private var table: [TermKind: [Entry]] = [:]

    init(content: ContentSet) {
        var types: [Entry] = content.config.types.map { Entry(slug: $0.slug, name: $0.label, colour: $0.colour) }
        var typePosition: [String: Int] = [:]
        for (index, type) in types.enumerated() { typePosition[type.slug] = index }
        var areas: [String: Entry] = [:]
        for area in content.config.areas { areas[area.slug] = Entry(slug: area.slug, name: area.name, description: area.description) }
        var tags: [String: Entry] = [:]
        var areasOfAsset: [String: [String]] = [:]
        for asset in content.assets {
            if let index = typePosition[asset.type] { types[index].assets.insert(asset.slug) }
            for name in asset.areas {
                let slug = content.config.areaSlug(name)
                areas[slug, default: Entry(slug: slug, name: name)].assets.insert(asset.slug)
                areasOfAsset[asset.slug, default: []].append(slug)
            }
            for name in asset.tags {
                let slug = Slug.term(name)
                tags[slug, default: Entry(slug: slug, name: name)].assets.insert(asset.slug)
            }
        }
        for story in content.stories {
            for name in story.tags {
                let slug = Slug.term(name)
                tags[slug, default: Entry(slug: slug, name: name)].stories.insert(story.slug)
            }
            for reference in story.assets {
                for areaSlug in areasOfAsset[reference.slug] ?? [] { areas[areaSlug]?.stories.insert(story.slug) }
            }
        }
        table[.type] = types
        table[.area] = areas.values.sorted { SiteModel.titleOrder($0.name, $0.slug, $1.name, $1.slug) }
        table[.tag] = tags.values.sorted { SiteModel.titleOrder($0.name, $0.slug, $1.name, $1.slug) }
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
