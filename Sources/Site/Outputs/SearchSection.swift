import Content
import Diagnostics
import Foundation
import Templates

/// The search box's data (`search.json` and `search/`, see `SearchIndex`)
/// and the search page `search/index.html` (template `search.html`), where
/// the box sends people who press Enter, or who have no JavaScript.
struct SearchSection: SiteSection {
    let model: SiteModel
    /// Given, it is handed the index and the state of its shards when the files are made.
    var keeper: SearchIndexKeeper? = nil

    static let pagePath = "search/"

    var requiredTemplates: [String] { ["search.html"] }

    func siteFields() -> Object {
        ["search": .object(["url": .string(Self.pagePath), "index": "search.json"])]
    }

    func pages(_ make: PageMaker) -> [PageJob] {
        [make("search.html", Self.pagePath, kind: "search", title: "Search",
              description: "Search everything in \(model.content.config.title).")]
    }

    func files() -> [OutputFile] {
        guard let keeper else { return index().files() }
        let index = index()
        let written = index.writtenFiles()
        keeper.keep(KeptSearchIndex(index: index, shards: written.shards))
        return written.files
    }

    /// Every published asset, story and free page as a search document.
    /// Each document's text is made into terms as it is added, so the plain
    /// text of every body is never in memory at once.
    func index() -> SearchIndex {
        let content = model.content
        var kinds: Object = [
            "story": .object(["label": "Story", "colour": "#545d66"]),
            "page": .object(["label": "Page", "colour": "#545d66"]),
        ]
        for type in content.config.types {
            kinds[type.slug] = .object(["label": .string(type.label), "colour": .string(type.colour)])
        }
        var index = SearchIndex(kinds: kinds)
        // Areas and tags are shared by many texts: each one's slug is made once.
        var areaSlugs: [String: String] = [:]
        var tagSlugs: [String: String] = [:]
        func areaSlug(_ name: String) -> String {
            if let slug = areaSlugs[name] { return slug }
            let slug = content.config.areaSlug(name)
            areaSlugs[name] = slug
            return slug
        }
        func tagSlug(_ name: String) -> String {
            if let slug = tagSlugs[name] { return slug }
            let slug = Slug.term(name)
            tagSlugs[name] = slug
            return slug
        }
        var areasOfAsset: [String: [String]] = [:]
        for asset in model.assetsByTitle {
            let facts = PublicFacts(asset)
            let typeLabel = model.views.typeInfo[asset.type]?.label ?? asset.type
            let assetAreaSlugs = asset.areas.map(areaSlug)
            areasOfAsset[asset.slug] = assetAreaSlugs
            var detail = asset.areas.joined(separator: ", ")
            if asset.status != .active { detail += (detail.isEmpty ? "" : " · ") + asset.status.rawValue.capitalized }
            let meta = [typeLabel, asset.type] + asset.areas + asset.tags + asset.gifts + asset.needs
            var facets: [(String, String)] = []
            facets.reserveCapacity(1 + assetAreaSlugs.count + asset.tags.count)
            facets.append(("type", asset.type))
            for slug in assetAreaSlugs { facets.append(("area", slug)) }
            for tag in asset.tags { facets.append(("tag", tagSlug(tag))) }
            index.add(
                SearchIndex.Document(kind: asset.type, title: asset.title, path: SitePaths.asset(asset.slug), summary: asset.summary,
                                     detail: detail, facets: facets),
                fields: [[asset.title], meta, [asset.summary, facts.address ?? ""]], bodyHTML: model.assetBodies[asset.slug] ?? "")
        }
        for story in model.storiesByDate {
            var detail = Self.longDate(story.date)
            if let author = story.author, !author.isEmpty { detail += " · by \(author)" }
            var facets: [(String, String)] = [("type", "story")]
            var areas: [String] = []
            for reference in story.assets {
                for area in areasOfAsset[reference.slug] ?? [] where !areas.contains(area) { areas.append(area) }
            }
            for area in areas { facets.append(("area", area)) }
            for tag in story.tags { facets.append(("tag", tagSlug(tag))) }
            index.add(
                SearchIndex.Document(kind: "story", title: story.title, path: SitePaths.story(story.slug), summary: story.summary ?? "",
                                     detail: detail, facets: facets),
                fields: [[story.title], story.tags + [story.author ?? ""], [story.summary ?? ""]],
                bodyHTML: model.storyBodies[story.slug] ?? "")
        }
        for page in model.pagesByWeight {
            index.add(
                SearchIndex.Document(kind: "page", title: page.title, path: SitePaths.page(page.slug), summary: page.summary ?? "",
                                     detail: "", facets: [("type", "page")]),
                fields: [[page.title], [], [page.summary ?? ""]], bodyHTML: model.pageBodies[page.slug] ?? "")
        }
        return index
    }

    private static let months = ["January", "February", "March", "April", "May", "June", "July",
                                 "August", "September", "October", "November", "December"]

    /// `2026-03-14` → `14 March 2026`, the way the theme prints dates.
    static func longDate(_ date: String) -> String {
        // `YYYY-MM-DD`, as nearly every date is, read from its digits.
        let bytes = date.utf8
        if bytes.count == 10, bytes.enumerated().allSatisfy({ $0.offset == 4 || $0.offset == 7 ? $0.element == UInt8(ascii: "-") : (0x30...0x39).contains($0.element) }) {
            func number(_ range: Range<Int>) -> Int {
                range.reduce(0) { $0 * 10 + Int(bytes[bytes.index(bytes.startIndex, offsetBy: $1)] - 0x30) }
            }
            let (year, month, day) = (number(0..<4), number(5..<7), number(8..<10))
            guard (1...12).contains(month) else { return date }
            return "\(day) \(months[month - 1]) \(year)"
        }
        let parts = date.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]) else { return date }
        return "\(parts[2]) \(months[parts[1] - 1]) \(parts[0])"
    }
}

/// The search index of a build and the state of its written shards, kept
/// so that an edit to one text rewrites only the shards it touches.
struct KeptSearchIndex: Sendable {
    var index: SearchIndex
    var shards: SearchIndex.ShardState
}

/// Where a build's search section leaves its index for the preview.
final class SearchIndexKeeper: @unchecked Sendable {
    private let lock = NSLock()
    private var kept: KeptSearchIndex?

    func keep(_ index: KeptSearchIndex) {
        lock.lock()
        kept = index
        lock.unlock()
    }

    /// The index kept, if the files were made; the keeper lets go of it.
    func take() -> KeptSearchIndex? {
        lock.lock()
        defer { lock.unlock() }
        let index = kept
        kept = nil
        return index
    }
}
