import Content
import Diagnostics

/// The types, areas and tags in the order `TermIndex` lists them, for the
/// outputs that need only the list (the sitemap, the print edition, the map
/// of places, `directory.json`): the assets and stories of each term are not
/// gathered, and each different name is made into a slug once.
enum TermList {
    struct Entry: Equatable {
        var slug: String
        var name: String
        var description: String?
    }

    /// The entries of one kind: types in site.yml order, areas and tags by name (then slug).
    static func entries(_ kind: TermKind, content: ContentSet) -> [Entry] {
        switch kind {
        case .type:
            return content.config.types.map { Entry(slug: $0.slug, name: $0.label) }
        case .area:
            var entries: [String: Entry] = [:]
            for area in content.config.areas { entries[area.slug] = Entry(slug: area.slug, name: area.name, description: area.description) }
            var seen: Set<String> = []
            for asset in content.assets {
                for name in asset.areas where seen.insert(name).inserted {
                    let slug = content.config.areaSlug(name)
                    if entries[slug] == nil { entries[slug] = Entry(slug: slug, name: name) }
                }
            }
            return sorted(entries.values)
        case .tag:
            var entries: [String: Entry] = [:]
            var seen: Set<String> = []
            func add(_ names: [String]) {
                for name in names where seen.insert(name).inserted {
                    let slug = Slug.term(name)
                    if entries[slug] == nil { entries[slug] = Entry(slug: slug, name: name) }
                }
            }
            for asset in content.assets { add(asset.tags) }
            for story in content.stories { add(story.tags) }
            return sorted(entries.values)
        }
    }

    /// In `SiteModel.titleOrder`, each name lowered once.
    private static func sorted(_ entries: some Collection<Entry>) -> [Entry] {
        let keyed = entries.map { (key: $0.name.lowercased(), entry: $0) }
        return keyed.sorted { ($0.key, $0.entry.slug) < ($1.key, $1.entry.slug) }.map(\.entry)
    }
}
