import Content
import Diagnostics
import Dispatch
import Foundation
import Markdown
import Templates

/// Everything known about a site once its content is loaded and its bodies
/// rendered: the shared input of every page and every other output.
struct SiteModel: Sendable {
    let content: ContentSet
    let views: Views
    /// Published assets by slug, and sorted by title.
    let assetsBySlug: [String: Asset]
    let assetsByTitle: [Asset]
    /// Published stories, newest first.
    let storiesByDate: [Story]
    /// Free pages by weight, then title.
    let pagesByWeight: [Page]
    /// Rendered bodies by slug, their links relative to their own page.
    let assetBodies: [String: String]
    let storyBodies: [String: String]
    let pageBodies: [String: String]
    /// Links from one profile's body to another profile.
    let mentions: [Mention]
    /// The types, areas and tags, and what each gathers: made once for the
    /// index pages and for every output that lists the terms.
    let terms: TermIndex

    /// One body link from an asset profile to another asset.
    struct Mention: Sendable, Hashable {
        var from: String
        var to: String
    }

    /// One body to render for its own page.
    struct BodyJob: Sendable {
        var body: Substring
        var line: Int
        var source: SourceFile
        var sourcePath: String
        var pagePath: String
        /// The slug of the asset whose body this is (its links to other assets are mentions); nil for stories and pages.
        var asset: String? = nil
    }

    /// One rendered body: its HTML, the problems in it, the site paths it links to.
    struct RenderedBody: Sendable {
        var html: String
        var diagnostics: [Diagnostic]
        var linked: [String]
        /// For an asset's body, the other assets it links to.
        var mentions: [Mention] = []
    }

    /// What the model holds besides the bodies: made from the content alone,
    /// while the bodies render.
    private struct Orders: Sendable {
        var views: Views
        var assetsBySlug: [String: Asset]
        var assetsByTitle: [Asset]
        var storiesByDate: [Story]
        var pagesByWeight: [Page]
        var terms: TermIndex

        init(content: ContentSet) {
            views = Views(content: content)
            assetsBySlug = Dictionary(uniqueKeysWithValues: content.assets.map { ($0.slug, $0) })
            assetsByTitle = SiteModel.sortedByTitle(content.assets)
            storiesByDate = content.stories.sorted { ($0.date, $1.slug) > ($1.date, $0.slug) }
            pagesByWeight = content.pages.sorted {
                ($0.weight, $0.title.lowercased(), $0.slug) < ($1.weight, $1.title.lowercased(), $1.slug)
            }
            terms = TermIndex(content: content)
        }
    }

    /// Loads bodies and orders everything.
    /// - Returns: the model, and the problems found in bodies (broken links, images without alt text).
    static func build(content: ContentSet, root: URL) -> (SiteModel, [Diagnostic]) {
        let resolver = makeResolver(content: content, root: root)
        var jobs: [BodyJob] = []
        jobs.reserveCapacity(content.assets.count + content.stories.count + content.pages.count)
        for asset in content.assets {
            jobs.append(BodyJob(body: asset.body, line: asset.bodyStartLine, source: asset.source,
                                sourcePath: asset.sourcePath, pagePath: SitePaths.asset(asset.slug), asset: asset.slug))
        }
        for story in content.stories {
            jobs.append(BodyJob(body: story.body, line: story.bodyStartLine, source: story.source,
                                sourcePath: story.sourcePath, pagePath: SitePaths.story(story.slug)))
        }
        for page in content.pages {
            jobs.append(BodyJob(body: page.body, line: page.bodyStartLine, source: page.source,
                                sourcePath: page.sourcePath, pagePath: SitePaths.page(page.slug)))
        }
        // cmark is re-entrant: bodies render on every core, in chunks. The
        // orders and the term index are made at the same time, as the first
        // task, so that no core waits for them at the end.
        let bodies = jobs
        let chunk = 64
        let chunks = (bodies.count + chunk - 1) / chunk
        let slots = ResultSlots<[RenderedBody]>(count: chunks)
        let ordered = ResultSlots<Orders>(count: 1)
        DispatchQueue.concurrentPerform(iterations: chunks + 1) { task in
            guard task > 0 else {
                ordered.set(0, Orders(content: content))
                return
            }
            let index = task - 1
            let lower = index * chunk, upper = min(bodies.count, lower + chunk)
            slots.set(index, bodies[lower..<upper].map { render($0, resolver: resolver) })
        }
        let rendered = slots.values.flatMap { $0 ?? [] }
        let orders = ordered.values[0]!

        var diagnostics: [Diagnostic] = []
        for body in rendered { diagnostics.append(contentsOf: body.diagnostics) }
        var mentions: [Mention] = []
        var assetBodies: [String: String] = [:]
        assetBodies.reserveCapacity(content.assets.count)
        for (asset, body) in zip(content.assets, rendered) {
            assetBodies[asset.slug] = body.html
            mentions.append(contentsOf: body.mentions)
        }
        var storyBodies: [String: String] = [:]
        for (story, body) in zip(content.stories, rendered.dropFirst(content.assets.count)) { storyBodies[story.slug] = body.html }
        var pageBodies: [String: String] = [:]
        for (page, body) in zip(content.pages, rendered.dropFirst(content.assets.count + content.stories.count)) {
            pageBodies[page.slug] = body.html
        }

        let model = SiteModel(
            content: content,
            views: orders.views,
            assetsBySlug: orders.assetsBySlug,
            assetsByTitle: orders.assetsByTitle,
            storiesByDate: orders.storiesByDate,
            pagesByWeight: orders.pagesByWeight,
            assetBodies: assetBodies, storyBodies: storyBodies, pageBodies: pageBodies,
            mentions: mentions, terms: orders.terms)
        return (model, diagnostics)
    }

    /// Renders one body for its own page.
    static func render(_ job: BodyJob, resolver: LinkResolver) -> RenderedBody {
        var diagnostics: [Diagnostic] = []
        var linked: [String] = []
        let html = resolver.render(
            body: job.body, bodyStartLine: job.line, source: job.source, sourcePath: job.sourcePath, pagePath: job.pagePath,
            options: MarkdownOptions(), diagnostics: &diagnostics, linkedPages: &linked)
        let mentions = job.asset.map { mentioned(by: $0, linked: linked) } ?? []
        return RenderedBody(html: html, diagnostics: diagnostics, linked: linked, mentions: mentions)
    }

    /// The other assets an asset's body links to, each once, in order.
    static func mentioned(by slug: String, linked: [String]) -> [Mention] {
        var mentions: [Mention] = []
        var seen: Set<String> = []
        for target in linked where target.hasPrefix("assets/") {
            let other = String(target.dropFirst("assets/".count).prefix { $0 != "/" })
            if other != slug, seen.insert(other).inserted { mentions.append(Mention(from: slug, to: other)) }
        }
        return mentions
    }

    static func makeResolver(content: ContentSet, root: URL) -> LinkResolver {
        var pages: [String: String] = [:]
        pages.reserveCapacity(content.assets.count + content.stories.count + content.pages.count)
        var sitePaths: Set<String> = []
        sitePaths.reserveCapacity(pages.capacity)
        func add(_ sourcePath: String, _ sitePath: String) {
            pages[sourcePath] = sitePath
            sitePaths.insert(sitePath)
        }
        for asset in content.assets { add(asset.sourcePath, SitePaths.asset(asset.slug)) }
        for story in content.stories { add(story.sourcePath, SitePaths.story(story.slug)) }
        for page in content.pages { add(page.sourcePath, SitePaths.page(page.slug)) }
        let media = Set(content.mediaFiles.map { "content/media/" + $0 })
        // Every .md file of the content folders, drafts included: listed only
        // if a link names a file that is not published.
        let published = pages
        return LinkResolver(pages: pages, sitePaths: sitePaths, media: media) {
            var all = Set(published.keys)
            for folder in ["assets", "stories", "pages"] {
                let url = root.appendingPathComponent("content/\(folder)")
                for name in (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? [] where name.hasSuffix(".md") {
                    all.insert("content/\(folder)/\(name)")
                }
            }
            return all
        }
    }

    /// Assets in `titleOrder`, each title lowered once rather than at every comparison.
    static func sortedByTitle(_ assets: [Asset]) -> [Asset] {
        let keys = assets.map { $0.title.lowercased() }
        return assets.indices.sorted { (keys[$0], assets[$0].slug) < (keys[$1], assets[$1].slug) }.map { assets[$0] }
    }

    /// Case-insensitive title order, ties broken by slug so the order is total.
    static func titleOrder(_ a: String, _ aSlug: String, _ b: String, _ bSlug: String) -> Bool {
        let left = a.lowercased(), right = b.lowercased()
        return left != right ? left < right : aSlug < bSlug
    }
}

/// A part of the site beyond the core pages (the connection map, feeds,
/// search data, open-data exports). Each section reads the model and adds
/// fields, pages and files; `Sections.all` lists them.
protocol SiteSection: Sendable {
    /// Extra fields for the value of one asset (`asset.neighbours`, …).
    func assetFields(_ asset: Asset) -> Object
    /// Extra fields for the value of one story (`story.title_slug`, …).
    func storyFields(_ story: Story) -> Object
    /// Fields of an asset that only its own page shows (`asset.json_ld`,
    /// `asset.neighbourhood`): worked out when that page is rendered and
    /// dropped after it, so lists of assets do not carry them.
    func assetPageFields(_ asset: Asset) -> Object
    /// Fields of a story that only its own page shows (`story.json_ld`).
    func storyPageFields(_ story: Story) -> Object
    /// Extra fields of `site`, seen by every template.
    func siteFields() -> Object
    /// Pages rendered through templates; `make` fills in `site` and `page`.
    func pages(_ make: PageMaker) -> [PageJob]
    /// Files written as they are (JSON, CSV, XML, SVG).
    func files() -> [OutputFile]
    /// Templates this section needs in the theme.
    var requiredTemplates: [String] { get }
    /// Problems found while preparing the section.
    var diagnostics: [Diagnostic] { get }
}

extension SiteSection {
    func assetFields(_ asset: Asset) -> Object { [:] }
    func storyFields(_ story: Story) -> Object { [:] }
    func assetPageFields(_ asset: Asset) -> Object { [:] }
    func storyPageFields(_ story: Story) -> Object { [:] }
    func siteFields() -> Object { [:] }
    func pages(_ make: PageMaker) -> [PageJob] { [] }
    func files() -> [OutputFile] { [] }
    var requiredTemplates: [String] { [] }
    var diagnostics: [Diagnostic] { [] }
}

/// Makes a page job with the shared `site` value and a `page` description.
struct PageMaker: Sendable {
    let site: Value
    let defaultDescription: String?

    func callAsFunction(
        _ template: String, _ path: String, kind: String, title: String, description: String?,
        _ extra: [String: Value] = [:]
    ) -> PageJob {
        var context = extra
        context["site"] = site
        context["page"] = Views.pageInfo(kind: kind, path: path, title: title, description: description ?? defaultDescription)
        return PageJob(template: template, path: path, context: context)
    }
}
