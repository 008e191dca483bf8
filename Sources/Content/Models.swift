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
///
/// An asset has some thirty fields, most of them strings and arrays, and the
/// build hands assets from list to list and section to section. The fields
/// live in one shared, immutable box so that copying an asset costs one
/// reference count rather than one for every field; setting a field makes a
/// new box, which only readers and importers of content ever do.
public struct Asset: Sendable {
    /// The stored fields of an asset.
    @usableFromInline
    struct Fields: Sendable {
        @usableFromInline var slug: String
        @usableFromInline var sourcePath: String
        @usableFromInline var source: SourceFile
        @usableFromInline var title: String
        @usableFromInline var type: String
        @usableFromInline var summary: String
        @usableFromInline var areas: [String]
        @usableFromInline var tags: [String]
        @usableFromInline var address: String?
        @usableFromInline var geo: Geo?
        @usableFromInline var contact: [ContactEntry]
        @usableFromInline var hours: String?
        @usableFromInline var cost: String?
        @usableFromInline var audience: String?
        @usableFromInline var accessibility: String?
        @usableFromInline var languages: [String]
        @usableFromInline var gifts: [String]
        @usableFromInline var needs: [String]
        @usableFromInline var status: AssetStatus
        @usableFromInline var connections: [Connection]
        @usableFromInline var image: ImageRef?
        @usableFromInline var updated: String?
        @usableFromInline var publicContact: Bool
        @usableFromInline var draft: Bool
        @usableFromInline var body: Substring
        @usableFromInline var bodyStartLine: Int
        @usableFromInline var bodyStartOffset: Int
    }

    /// The box that copies of an asset share; it is never changed once made.
    @usableFromInline
    final class Storage: Sendable {
        @usableFromInline let fields: Fields

        @usableFromInline
        init(_ fields: Fields) { self.fields = fields }
    }

    @usableFromInline var storage: Storage

    /// Changes the fields in a new box, leaving other copies as they were.
    @inlinable
    mutating func edit(_ change: (inout Fields) -> Void) {
        var fields = storage.fields
        change(&fields)
        storage = Storage(fields)
    }

    @inlinable public var slug: String {
        get { storage.fields.slug }
        set { edit { $0.slug = newValue } }
    }
    /// `content/assets/garden.md`
    @inlinable public var sourcePath: String {
        get { storage.fields.sourcePath }
        set { edit { $0.sourcePath = newValue } }
    }
    @inlinable public var source: SourceFile {
        get { storage.fields.source }
        set { edit { $0.source = newValue } }
    }
    @inlinable public var title: String {
        get { storage.fields.title }
        set { edit { $0.title = newValue } }
    }
    /// The slug of one of `SiteConfig.types`.
    @inlinable public var type: String {
        get { storage.fields.type }
        set { edit { $0.type = newValue } }
    }
    @inlinable public var summary: String {
        get { storage.fields.summary }
        set { edit { $0.summary = newValue } }
    }
    /// Area names; when site.yml declares areas, the declared name of each.
    @inlinable public var areas: [String] {
        get { storage.fields.areas }
        set { edit { $0.areas = newValue } }
    }
    @inlinable public var tags: [String] {
        get { storage.fields.tags }
        set { edit { $0.tags = newValue } }
    }
    @inlinable public var address: String? {
        get { storage.fields.address }
        set { edit { $0.address = newValue } }
    }
    @inlinable public var geo: Geo? {
        get { storage.fields.geo }
        set { edit { $0.geo = newValue } }
    }
    /// Contact lines in file order; empty when there are none.
    @inlinable public var contact: [ContactEntry] {
        get { storage.fields.contact }
        set { edit { $0.contact = newValue } }
    }
    @inlinable public var hours: String? {
        get { storage.fields.hours }
        set { edit { $0.hours = newValue } }
    }
    @inlinable public var cost: String? {
        get { storage.fields.cost }
        set { edit { $0.cost = newValue } }
    }
    @inlinable public var audience: String? {
        get { storage.fields.audience }
        set { edit { $0.audience = newValue } }
    }
    @inlinable public var accessibility: String? {
        get { storage.fields.accessibility }
        set { edit { $0.accessibility = newValue } }
    }
    @inlinable public var languages: [String] {
        get { storage.fields.languages }
        set { edit { $0.languages = newValue } }
    }
    @inlinable public var gifts: [String] {
        get { storage.fields.gifts }
        set { edit { $0.gifts = newValue } }
    }
    @inlinable public var needs: [String] {
        get { storage.fields.needs }
        set { edit { $0.needs = newValue } }
    }
    @inlinable public var status: AssetStatus {
        get { storage.fields.status }
        set { edit { $0.status = newValue } }
    }
    @inlinable public var connections: [Connection] {
        get { storage.fields.connections }
        set { edit { $0.connections = newValue } }
    }
    @inlinable public var image: ImageRef? {
        get { storage.fields.image }
        set { edit { $0.image = newValue } }
    }
    /// `YYYY-MM-DD`, a real calendar date.
    @inlinable public var updated: String? {
        get { storage.fields.updated }
        set { edit { $0.updated = newValue } }
    }
    /// Individuals' contact details are published only when this is true.
    @inlinable public var publicContact: Bool {
        get { storage.fields.publicContact }
        set { edit { $0.publicContact = newValue } }
    }
    @inlinable public var draft: Bool {
        get { storage.fields.draft }
        set { edit { $0.draft = newValue } }
    }
    /// The Markdown text after the front matter, unchanged (part of `source.text`).
    @inlinable public var body: Substring {
        get { storage.fields.body }
        set { edit { $0.body = newValue } }
    }
    /// The 1-based line of the file where the body begins.
    @inlinable public var bodyStartLine: Int {
        get { storage.fields.bodyStartLine }
        set { edit { $0.bodyStartLine = newValue } }
    }
    /// The UTF-8 offset in `source.text` where the body begins.
    @inlinable public var bodyStartOffset: Int {
        get { storage.fields.bodyStartOffset }
        set { edit { $0.bodyStartOffset = newValue } }
    }

    public init(
        slug: String, sourcePath: String, source: SourceFile, title: String, type: String, summary: String,
        areas: [String] = [], tags: [String] = [], address: String? = nil, geo: Geo? = nil,
        contact: [ContactEntry] = [], hours: String? = nil, cost: String? = nil, audience: String? = nil,
        accessibility: String? = nil, languages: [String] = [], gifts: [String] = [], needs: [String] = [],
        status: AssetStatus = .active, connections: [Connection] = [], image: ImageRef? = nil,
        updated: String? = nil, publicContact: Bool = false, draft: Bool = false,
        body: Substring = "", bodyStartLine: Int = 1, bodyStartOffset: Int = 0
    ) {
        storage = Storage(Fields(
            slug: slug,
            sourcePath: sourcePath,
            source: source,
            title: title,
            type: type,
            summary: summary,
            areas: areas,
            tags: tags,
            address: address,
            geo: geo,
            contact: contact,
            hours: hours,
            cost: cost,
            audience: audience,
            accessibility: accessibility,
            languages: languages,
            gifts: gifts,
            needs: needs,
            status: status,
            connections: connections,
            image: image,
            updated: updated,
            publicContact: publicContact,
            draft: draft,
            body: body,
            bodyStartLine: bodyStartLine,
            bodyStartOffset: bodyStartOffset))
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
