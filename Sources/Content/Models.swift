import Diagnostics

/// The settings of `content/site.yml`.
public struct SiteConfig: Sendable, Equatable {
    public var title: String
    public var description: String?
    /// A language tag such as `en` or `en-GB`.
    public var language: String
    /// The public address of the site, always ending in `/` when given.
    public var baseURL: String?
    /// The six built-in types (individual, association, institution, space,
    /// economy, culture) in that order, then the types site.yml adds.
    public var types: [AssetTypeInfo]
    /// The areas declared in site.yml, in file order (empty when none are declared).
    public var areas: [AreaInfo]
    /// After how many months an `updated` date counts as stale.
    public var staleAfterMonths: Int
    /// A "suggest an edit" address pattern; `{path}` stands for a source path
    /// such as `content/assets/garden.md`.
    public var editURL: String?

    public init(
        title: String, description: String? = nil, language: String = "en", baseURL: String? = nil,
        types: [AssetTypeInfo] = AssetTypeInfo.builtIn, areas: [AreaInfo] = [],
        staleAfterMonths: Int = 12, editURL: String? = nil
    ) {
        self.title = title
        self.description = description
        self.language = language
        self.baseURL = baseURL
        self.types = types
        self.areas = areas
        self.staleAfterMonths = staleAfterMonths
        self.editURL = editURL
    }
}

/// One kind of asset: a slug used in front matter, a label for people and a colour.
public struct AssetTypeInfo: Sendable, Hashable {
    public var slug: String
    public var label: String
    /// A CSS hex colour (`#1f5fa8`).
    public var colour: String

    public init(slug: String, label: String, colour: String) {
        self.slug = slug
        self.label = label
        self.colour = colour
    }

    /// The six kinds of community asset of asset-based community development,
    /// each with a colour that keeps a contrast of at least 4.5:1 with white.
    public static let builtIn: [AssetTypeInfo] = [
        AssetTypeInfo(slug: "individual", label: "Individuals", colour: "#1f5fa8"),
        AssetTypeInfo(slug: "association", label: "Associations", colour: "#a34a00"),
        AssetTypeInfo(slug: "institution", label: "Institutions", colour: "#6a3d9a"),
        AssetTypeInfo(slug: "space", label: "Spaces", colour: "#2b7a3d"),
        AssetTypeInfo(slug: "economy", label: "Local economy", colour: "#b0263f"),
        AssetTypeInfo(slug: "culture", label: "Culture", colour: "#00727d"),
    ]

    /// The colour of a type added in site.yml without a `colour`.
    public static let defaultColour = "#5f6368"
}

/// A neighbourhood or ward declared in site.yml.
public struct AreaInfo: Sendable, Hashable {
    public var slug: String
    public var name: String
    public var description: String?

    public init(slug: String, name: String, description: String? = nil) {
        self.slug = slug
        self.name = name
        self.description = description
    }
}

public enum AssetStatus: String, Sendable, Hashable, CaseIterable {
    case active
    case paused
    case closed
}

/// A position in decimal degrees.
public struct Geo: Sendable, Hashable {
    public var lat: Double
    public var lon: Double

    public init(lat: Double, lon: Double) {
        self.lat = lat
        self.lon = lon
    }
}

/// One line of an asset's `contact`, such as `email: hello@example.org`.
public struct ContactEntry: Sendable, Hashable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// A picture: `src` is a site path such as `media/garden.jpg`.
public struct ImageRef: Sendable, Hashable {
    public var src: String
    public var alt: String

    public init(src: String, alt: String) {
        self.src = src
        self.alt = alt
    }
}

/// An edge of the connection map declared in an asset's front matter.
public struct Connection: Sendable, Hashable {
    /// The slug of the asset connected to.
    public var to: String
    public var kind: String
    public var note: String?
    /// Where the `to` value is written in the file (1-based line and column, width in columns).
    public var line: Int
    public var column: Int
    public var width: Int

    public static let defaultKind = "works with"

    public init(to: String, kind: String = Connection.defaultKind, note: String? = nil,
                line: Int = 0, column: Int = 0, width: Int = 1) {
        self.to = to
        self.kind = kind
        self.note = note
        self.line = line
        self.column = column
        self.width = width
    }
}

/// A slug named in front matter, with where it is written.
public struct SlugReference: Sendable, Hashable {
    public var slug: String
    public var line: Int
    public var column: Int
    public var width: Int

    public init(slug: String, line: Int = 0, column: Int = 0, width: Int = 1) {
        self.slug = slug
        self.line = line
        self.column = column
        self.width = width
    }
}

/// An asset profile: one file of `content/assets/`.
public struct Asset: Sendable {
    public var slug: String
    /// `content/assets/garden.md`
    public var sourcePath: String
    public var source: SourceFile
    public var title: String
    /// The slug of one of `SiteConfig.types`.
    public var type: String
    public var summary: String
    /// Area names; when site.yml declares areas, the declared name of each.
    public var areas: [String]
    public var tags: [String]
    public var address: String?
    public var geo: Geo?
    /// Contact lines in file order; empty when there are none.
    public var contact: [ContactEntry]
    public var hours: String?
    public var cost: String?
    public var audience: String?
    public var accessibility: String?
    public var languages: [String]
    public var gifts: [String]
    public var needs: [String]
    public var status: AssetStatus
    public var connections: [Connection]
    public var image: ImageRef?
    /// `YYYY-MM-DD`, a real calendar date.
    public var updated: String?
    /// Individuals' contact details are published only when this is true.
    public var publicContact: Bool
    public var draft: Bool
    /// The Markdown text after the front matter, unchanged (part of `source.text`).
    public var body: Substring
    /// The 1-based line of the file where the body begins.
    public var bodyStartLine: Int
    /// The UTF-8 offset in `source.text` where the body begins.
    public var bodyStartOffset: Int

    public init(
        slug: String, sourcePath: String, source: SourceFile, title: String, type: String, summary: String,
        areas: [String] = [], tags: [String] = [], address: String? = nil, geo: Geo? = nil,
        contact: [ContactEntry] = [], hours: String? = nil, cost: String? = nil, audience: String? = nil,
        accessibility: String? = nil, languages: [String] = [], gifts: [String] = [], needs: [String] = [],
        status: AssetStatus = .active, connections: [Connection] = [], image: ImageRef? = nil,
        updated: String? = nil, publicContact: Bool = false, draft: Bool = false,
        body: Substring = "", bodyStartLine: Int = 1, bodyStartOffset: Int = 0
    ) {
        self.slug = slug
        self.sourcePath = sourcePath
        self.source = source
        self.title = title
        self.type = type
        self.summary = summary
        self.areas = areas
        self.tags = tags
        self.address = address
        self.geo = geo
        self.contact = contact
        self.hours = hours
        self.cost = cost
        self.audience = audience
        self.accessibility = accessibility
        self.languages = languages
        self.gifts = gifts
        self.needs = needs
        self.status = status
        self.connections = connections
        self.image = image
        self.updated = updated
        self.publicContact = publicContact
        self.draft = draft
        self.body = body
        self.bodyStartLine = bodyStartLine
        self.bodyStartOffset = bodyStartOffset
    }
}

/// A story of what works: one file of `content/stories/`.
public struct Story: Sendable {
    public var slug: String
    public var sourcePath: String
    public var source: SourceFile
    public var title: String
    /// `YYYY-MM-DD`, a real calendar date.
    public var date: String
    public var author: String?
    public var summary: String?
    /// The assets the story is about.
    public var assets: [SlugReference]
    public var tags: [String]
    public var image: ImageRef?
    public var draft: Bool
    public var body: Substring
    public var bodyStartLine: Int
    public var bodyStartOffset: Int

    public init(
        slug: String, sourcePath: String, source: SourceFile, title: String, date: String,
        author: String? = nil, summary: String? = nil, assets: [SlugReference] = [], tags: [String] = [],
        image: ImageRef? = nil, draft: Bool = false, body: Substring = "", bodyStartLine: Int = 1,
        bodyStartOffset: Int = 0
    ) {
        self.slug = slug
        self.sourcePath = sourcePath
        self.source = source
        self.title = title
        self.date = date
        self.author = author
        self.summary = summary
        self.assets = assets
        self.tags = tags
        self.image = image
        self.draft = draft
        self.body = body
        self.bodyStartLine = bodyStartLine
        self.bodyStartOffset = bodyStartOffset
    }
}

/// A free page (about, privacy…): one file of `content/pages/`.
public struct Page: Sendable {
    public var slug: String
    public var sourcePath: String
    public var source: SourceFile
    public var title: String
    public var summary: String?
    /// Pages are listed by weight, then title.
    public var weight: Int
    public var draft: Bool
    public var body: Substring
    public var bodyStartLine: Int
    public var bodyStartOffset: Int

    public init(
        slug: String, sourcePath: String, source: SourceFile, title: String, summary: String? = nil,
        weight: Int = 0, draft: Bool = false, body: Substring = "", bodyStartLine: Int = 1, bodyStartOffset: Int = 0
    ) {
        self.slug = slug
        self.sourcePath = sourcePath
        self.source = source
        self.title = title
        self.summary = summary
        self.weight = weight
        self.draft = draft
        self.body = body
        self.bodyStartLine = bodyStartLine
        self.bodyStartOffset = bodyStartOffset
    }
}

/// Everything the site is built from.
public struct ContentSet: Sendable {
    public var config: SiteConfig
    /// Sorted by slug.
    public var assets: [Asset]
    /// Sorted by slug.
    public var stories: [Story]
    /// Sorted by slug.
    public var pages: [Page]
    /// Files under `content/media/`, relative to it (`photos/garden.jpg`), sorted.
    public var mediaFiles: [String]

    public init(config: SiteConfig, assets: [Asset] = [], stories: [Story] = [], pages: [Page] = [],
                mediaFiles: [String] = []) {
        self.config = config
        self.assets = assets
        self.stories = stories
        self.pages = pages
        self.mediaFiles = mediaFiles
    }
}

extension SiteConfig {
    /// The slug of an area name: the one site.yml declares for it, or one made from the name.
    public func areaSlug(_ name: String) -> String {
        areas.first { $0.name == name }?.slug ?? Slug.term(name)
    }
}
