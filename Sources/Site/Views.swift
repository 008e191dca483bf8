import Content
import Diagnostics
import Templates

/// Builds the values templates see (docs/theme.md) from the content model.
/// Values shared by many pages (the site, each asset) are built once.
struct Views {
    let content: ContentSet
    let typeInfo: [String: AssetTypeInfo]
    /// The value of each type, area and tag, built once and shared by every
    /// asset that names it.
    private let typeValues: [String: Value]
    private let termRefs: [TermKind: [String: Value]]
    /// The `edit_url` pattern of site.yml cut at each `{path}`, or nil when
    /// there is none, so each page's address is a join rather than a search.
    private let editURLParts: [String]?

    init(content: ContentSet) {
        self.content = content
        if let pattern = content.config.editURL, !pattern.isEmpty {
            editURLParts = pattern.components(separatedBy: "{path}")
        } else {
            editURLParts = nil
        }
        var types: [String: AssetTypeInfo] = [:]
        for type in content.config.types { types[type.slug] = type }
        self.typeInfo = types
        var typeValues: [String: Value] = [:]
        var areas: [String: Value] = [:]
        var tags: [String: Value] = [:]
        for asset in content.assets {
            if typeValues[asset.type] == nil { typeValues[asset.type] = Self.makeTypeValue(asset.type, types[asset.type]) }
            for name in asset.areas where areas[name] == nil {
                areas[name] = Self.makeTermRef(.area, content.config.areaSlug(name), name)
            }
            for name in asset.tags where tags[name] == nil { tags[name] = Self.makeTermRef(.tag, Slug.term(name), name) }
        }
        for story in content.stories {
            for name in story.tags where tags[name] == nil { tags[name] = Self.makeTermRef(.tag, Slug.term(name), name) }
        }
        self.typeValues = typeValues
        self.termRefs = [.area: areas, .tag: tags]
    }

    /// The slug of a type, area or tag name.
    func slug(_ kind: TermKind, _ name: String) -> String {
        kind == .area ? content.config.areaSlug(name) : Slug.term(name)
    }

    static func text(_ value: String?) -> Value {
        guard let value, !value.isEmpty else { return .null }
        return .string(value)
    }

    static func list(_ values: [String]) -> Value { .array(values.map { .string($0) }) }

    func typeValue(_ slug: String) -> Value {
        typeValues[slug] ?? Self.makeTypeValue(slug, typeInfo[slug])
    }

    private static func makeTypeValue(_ slug: String, _ info: AssetTypeInfo?) -> Value {
        .object([
            "slug": .string(slug),
            "label": .string(info?.label ?? slug),
            "colour": .string(info?.colour ?? "#666666"),
            "url": .string(SitePaths.term(.type, slug)),
        ])
    }

    func termRef(_ kind: TermKind, _ name: String) -> Value {
        termRefs[kind]?[name] ?? Self.makeTermRef(kind, slug(kind, name), name)
    }

    private static func makeTermRef(_ kind: TermKind, _ slug: String, _ name: String) -> Value {
        .object(["slug": .string(slug), "name": .string(name), "url": .string(SitePaths.term(kind, slug))])
    }

    static func image(_ image: ImageRef?) -> Value {
        guard let image else { return .null }
        return .object(["src": .string(image.src), "alt": .string(image.alt)])
    }

    /// The short form of an asset used in lists of connections and stories.
    func assetRef(_ asset: Asset) -> Value {
        .object([
            "slug": .string(asset.slug),
            "title": .string(asset.title),
            "url": .string(SitePaths.asset(asset.slug)),
            "summary": .string(asset.summary),
            "type": typeValue(asset.type),
        ])
    }

    func storyRef(_ story: Story) -> Value {
        .object([
            "slug": .string(story.slug),
            "title": .string(story.title),
            "url": .string(SitePaths.story(story.slug)),
            "date": .string(story.date),
            "summary": Self.text(story.summary),
        ])
    }

    /// An individual's contact details, address and position are published
    /// only when the profile says `public_contact: true`.
    static func isPrivate(_ asset: Asset) -> Bool {
        asset.type == "individual" && !asset.publicContact
    }

    func contact(_ asset: Asset) -> Value {
        if asset.contact.isEmpty || Self.isPrivate(asset) { return .null }
        var known: Object = [:]
        var others: [Value] = []
        for entry in asset.contact {
            switch entry.key {
            case "email", "phone", "website": known[entry.key] = .string(entry.value)
            default: others.append(.object(["key": .string(entry.key), "value": .string(entry.value)]))
            }
        }
        known["others"] = .array(others)
        return .object(known.sharingNames())
    }

    /// The pattern's `{path}`, wherever it is, replaced by `sourcePath`.
    func editURL(_ sourcePath: String) -> Value {
        guard let parts = editURLParts else { return .null }
        return .string(parts.count == 1 ? parts[0] : parts.joined(separator: sourcePath))
    }

    /// The asset value of `site.assets` and of every list; its own page adds `body`.
    func asset(_ asset: Asset, links: AssetLinks) -> Value {
        .object(assetFields(asset, links: links))
    }

    /// The fields of `asset(_:links:)`, for callers that add more before
    /// making the value, so the object is built once.
    func assetFields(_ asset: Asset, links: AssetLinks) -> Object {
        var geo: Value = .null
        if let point = asset.geo, !Self.isPrivate(asset) {
            geo = .object(["lat": .double(point.lat), "lon": .double(point.lon)])
        }
        return [
            "slug": .string(asset.slug),
            "url": .string(SitePaths.asset(asset.slug)),
            "title": .string(asset.title),
            "summary": .string(asset.summary),
            "status": .string(asset.status.rawValue),
            "type": typeValue(asset.type),
            "areas": .array(asset.areas.map { termRef(.area, $0) }),
            "tags": .array(asset.tags.map { termRef(.tag, $0) }),
            "address": Self.isPrivate(asset) ? .null : Self.text(asset.address),
            "hours": Self.text(asset.hours),
            "cost": Self.text(asset.cost),
            "audience": Self.text(asset.audience),
            "accessibility": Self.text(asset.accessibility),
            "languages": Self.list(asset.languages),
            "gifts": Self.list(asset.gifts),
            "needs": Self.list(asset.needs),
            "image": Self.image(asset.image),
            "updated": Self.text(asset.updated),
            "source_path": .string(asset.sourcePath),
            "edit_url": editURL(asset.sourcePath),
            "contact": contact(asset),
            "connections": .array(links.outgoing),
            "connected_from": .array(links.incoming),
            "stories": .array(links.stories),
            "geo": geo,
        ]
    }

    /// The story value of `site.stories` and of every list; its own page adds `body`.
    func story(_ story: Story, assets: [Value]) -> Value {
        .object([
            "slug": .string(story.slug),
            "url": .string(SitePaths.story(story.slug)),
            "title": .string(story.title),
            "date": .string(story.date),
            "author": Self.text(story.author),
            "summary": Self.text(story.summary),
            "tags": .array(story.tags.map { termRef(.tag, $0) }),
            "image": Self.image(story.image),
            "assets": .array(assets),
            "source_path": .string(story.sourcePath),
            "edit_url": editURL(story.sourcePath),
        ])
    }

    func page(_ page: Page, body: String) -> Value {
        .object([
            "slug": .string(page.slug),
            "url": .string(SitePaths.page(page.slug)),
            "title": .string(page.title),
            "summary": Self.text(page.summary),
            "body": .safe(body),
            "source_path": .string(page.sourcePath),
            "edit_url": editURL(page.sourcePath),
        ])
    }

    /// `page`: what every template knows about the page it renders.
    static func pageInfo(kind: String, path: String, title: String, description: String?) -> Value {
        .object([
            "kind": .string(kind),
            "path": .string(path),
            "title": .string(title),
            "description": text(description),
        ])
    }
}

/// The connections of one asset, already in template form.
struct AssetLinks {
    var outgoing: [Value] = []
    var incoming: [Value] = []
    var stories: [Value] = []
}
