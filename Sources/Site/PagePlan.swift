import Content
import Diagnostics
import Foundation
import Markdown
import Templates

/// Decides every page of the site and the variables each template gets.
struct PagePlan {
    static let requiredTemplates = [
        "home.html", "asset.html", "story.html", "stories.html", "terms.html", "term.html", "page.html", "404.html",
    ]

    let content: ContentSet
    let root: URL
    let options: BuildOptions

    init(content: ContentSet, root: URL, options: BuildOptions) {
        self.content = content
        self.root = root
        self.options = options
    }

    func prepare() -> (pages: [PageJob], diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let views = Views(content: content)
        let resolver = makeResolver()
        let markdownOptions = MarkdownOptions()

        // Bodies, each rendered for its own page so its links are relative to it.
        var assetBodies: [String: String] = [:]
        for asset in content.assets {
            var linked: [String] = []
            assetBodies[asset.slug] = resolver.render(
                body: asset.body, bodyStartLine: asset.bodyStartLine, source: asset.source,
                sourcePath: asset.sourcePath, pagePath: SitePaths.asset(asset.slug), options: markdownOptions,
                diagnostics: &diagnostics, linkedPages: &linked)
        }
        var storyBodies: [String: String] = [:]
        for story in content.stories {
            var linked: [String] = []
            storyBodies[story.slug] = resolver.render(
                body: story.body, bodyStartLine: story.bodyStartLine, source: story.source,
                sourcePath: story.sourcePath, pagePath: SitePaths.story(story.slug), options: markdownOptions,
                diagnostics: &diagnostics, linkedPages: &linked)
        }
        var pageBodies: [String: String] = [:]
        for page in content.pages {
            var linked: [String] = []
            pageBodies[page.slug] = resolver.render(
                body: page.body, bodyStartLine: page.bodyStartLine, source: page.source,
                sourcePath: page.sourcePath, pagePath: SitePaths.page(page.slug), options: markdownOptions,
                diagnostics: &diagnostics, linkedPages: &linked)
        }

        let assetsBySlug = Dictionary(uniqueKeysWithValues: content.assets.map { ($0.slug, $0) })
        let assetsByTitle = content.assets.sorted { Self.titleOrder($0.title, $0.slug, $1.title, $1.slug) }
        let storiesByDate = content.stories.sorted { ($0.date, $1.slug) > ($1.date, $0.slug) }

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
        for story in storiesByDate {
            for reference in story.assets where assetsBySlug[reference.slug] != nil {
                links[reference.slug, default: AssetLinks()].stories.append(views.storyRef(story))
            }
        }

        // Assets and stories in template form.
        var assetValues: [String: Value] = [:]
        var assetListValues: [Value] = []
        for asset in assetsByTitle {
            let value = views.asset(asset, body: assetBodies[asset.slug] ?? "", links: links[asset.slug] ?? AssetLinks())
            assetValues[asset.slug] = value
            // Lists carry no body: a body's links are relative to its own page.
            assetListValues.append(Self.without("body", in: value))
        }
        var storyValues: [String: Value] = [:]
        var storyListValues: [Value] = []
        for story in storiesByDate {
            let refs = story.assets.compactMap { assetsBySlug[$0.slug] }.map(views.assetRef)
            let value = views.story(story, body: storyBodies[story.slug] ?? "", assets: refs)
            storyValues[story.slug] = value
            storyListValues.append(Self.without("body", in: value))
        }
        let pagesByWeight = content.pages.sorted { ($0.weight, $0.title.lowercased(), $0.slug) < ($1.weight, $1.title.lowercased(), $1.slug) }
        let pageListValues: [Value] = pagesByWeight.map {
            .object(["slug": .string($0.slug), "title": .string($0.title), "summary": Views.text($0.summary), "url": .string(SitePaths.page($0.slug))])
        }

        // Index terms: types in site.yml order, areas and tags by name.
        let terms = TermIndex(content: content, views: views)
        let site: Value = .object([
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
        ])

        var jobs: [PageJob] = []
        func add(_ template: String, _ path: String, kind: String, title: String, description: String?, _ extra: [String: Value] = [:]) {
            var context = extra
            context["site"] = site
            context["page"] = Views.pageInfo(kind: kind, path: path, title: title, description: description ?? content.config.description)
            jobs.append(PageJob(template: template, path: path, context: context))
        }
        add("home.html", SitePaths.home, kind: "home", title: content.config.title, description: content.config.description)
        for asset in assetsByTitle {
            add("asset.html", SitePaths.asset(asset.slug), kind: "asset", title: asset.title, description: asset.summary,
                ["asset": assetValues[asset.slug]!])
        }
        add("stories.html", SitePaths.stories, kind: "stories", title: "Stories", description: nil)
        for story in storiesByDate {
            add("story.html", SitePaths.story(story.slug), kind: "story", title: story.title, description: story.summary,
                ["story": storyValues[story.slug]!])
        }
        for kind in TermKind.allCases {
            add("terms.html", SitePaths.terms(kind), kind: "terms", title: kind.title, description: nil, [
                "taxonomy": .object([
                    "kind": .string(kind.rawValue), "title": .string(kind.title),
                    "url": .string(SitePaths.terms(kind)), "items": .array(terms.items(kind)),
                ]),
            ])
            for entry in terms.entries(kind) {
                let assets = assetsByTitle.filter { entry.assets.contains($0.slug) }.map { Self.without("body", in: assetValues[$0.slug]!) }
                let stories = storiesByDate.filter { entry.stories.contains($0.slug) }.map { Self.without("body", in: storyValues[$0.slug]!) }
                add("term.html", SitePaths.term(kind, entry.slug), kind: "term", title: entry.name, description: entry.description, [
                    "term": terms.value(kind, entry),
                    "assets": .array(assets),
                    "stories": .array(stories),
                ])
            }
        }
        for page in pagesByWeight {
            add("page.html", SitePaths.page(page.slug), kind: "page", title: page.title, description: page.summary,
                ["content": views.page(page, body: pageBodies[page.slug] ?? "")])
        }
        add("404.html", SitePaths.notFound, kind: "notfound", title: "Page not found", description: nil)
        return (jobs, diagnostics)
    }

    private func makeResolver() -> LinkResolver {
        var pages: [String: String] = [:]
        for asset in content.assets { pages[asset.sourcePath] = SitePaths.asset(asset.slug) }
        for story in content.stories { pages[story.sourcePath] = SitePaths.story(story.slug) }
        for page in content.pages { pages[page.sourcePath] = SitePaths.page(page.slug) }
        var all: Set<String> = Set(pages.keys)
        for folder in ["assets", "stories", "pages"] {
            let url = root.appendingPathComponent("content/\(folder)")
            for name in (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? [] where name.hasSuffix(".md") {
                all.insert("content/\(folder)/\(name)")
            }
        }
        let media = Set(content.mediaFiles.map { "content/media/" + $0 })
        return LinkResolver(pages: pages, allFiles: all, media: media)
    }

    static func titleOrder(_ a: String, _ aSlug: String, _ b: String, _ bSlug: String) -> Bool {
        let left = a.lowercased(), right = b.lowercased()
        return left != right ? left < right : aSlug < bSlug
    }

    static func without(_ key: String, in value: Value) -> Value {
        guard case .object(var fields) = value else { return value }
        fields.removeValue(forKey: key)
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

    init(content: ContentSet, views: Views) {
        var types: [Entry] = content.config.types.map { Entry(slug: $0.slug, name: $0.label, colour: $0.colour) }
        var typePosition: [String: Int] = [:]
        for (index, type) in types.enumerated() { typePosition[type.slug] = index }
        var areas: [String: Entry] = [:]
        for area in content.config.areas { areas[area.slug] = Entry(slug: area.slug, name: area.name, description: area.description) }
        var tags: [String: Entry] = [:]
        for asset in content.assets {
            if let index = typePosition[asset.type] { types[index].assets.insert(asset.slug) }
            for name in asset.areas {
                let slug = Slug.make(name)
                areas[slug, default: Entry(slug: slug, name: name)].assets.insert(asset.slug)
            }
            for name in asset.tags {
                let slug = Slug.make(name)
                tags[slug, default: Entry(slug: slug, name: name)].assets.insert(asset.slug)
            }
        }
        let areaOfAsset = Dictionary(grouping: content.assets.flatMap { asset in asset.areas.map { (Slug.make($0), asset.slug) } }, by: \.1)
        for story in content.stories {
            for name in story.tags {
                let slug = Slug.make(name)
                tags[slug, default: Entry(slug: slug, name: name)].stories.insert(story.slug)
            }
            for reference in story.assets {
                for (areaSlug, _) in areaOfAsset[reference.slug] ?? [] { areas[areaSlug]?.stories.insert(story.slug) }
            }
        }
        table[.type] = types
        table[.area] = areas.values.sorted { PagePlan.titleOrder($0.name, $0.slug, $1.name, $1.slug) }
        table[.tag] = tags.values.sorted { PagePlan.titleOrder($0.name, $0.slug, $1.name, $1.slug) }
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
