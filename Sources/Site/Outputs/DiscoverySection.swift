import Content
import Diagnostics
import Templates

/// What lets feed readers and search engines find the directory: the Atom
/// feed of stories (`stories/feed.xml`), `sitemap.xml`, `robots.txt`, and
/// JSON-LD for every profile (`asset.json_ld`) and story (`story.json_ld`).
///
/// Feeds and sitemaps need absolute addresses, so `stories/feed.xml` and
/// `sitemap.xml` are written only when site.yml gives `base_url`;
/// `robots.txt` is always written and names the sitemap when there is one.
/// Without `base_url`, JSON-LD leaves out its `url`, `image` and `@id`.
struct DiscoverySection: SiteSection {
    let model: SiteModel
    let urls: AbsoluteURLs
    let structured: StructuredData
    /// The pages of the connection map, which the map section plans.
    let mapPages: [String]

    static let feedPath = "stories/feed.xml"
    static let sitemapPath = "sitemap.xml"
    /// The newest stories the feed carries.
    static let feedLength = 50

    init(model: SiteModel, mapPages: [String] = []) {
        self.model = model
        self.mapPages = mapPages
        self.urls = AbsoluteURLs(config: model.content.config)
        self.structured = StructuredData(model: model, urls: urls)
    }

    func assetPageFields(_ asset: Asset) -> Object { ["json_ld": structured.asset(asset)] }

    func storyPageFields(_ story: Story) -> Object { ["json_ld": structured.story(story)] }

    func siteFields() -> Object {
        [
            "feed_url": urls.base == nil ? .null : .string(Self.feedPath),
            "sitemap_url": urls.base == nil ? .null : .string(Self.sitemapPath),
        ]
    }

    func files() -> [OutputFile] {
        var files = [OutputFile(path: "robots.txt", source: .bytes(Array(robots().utf8)))]
        if urls.base != nil {
            files.append(OutputFile(path: Self.feedPath, source: .bytes(Array(feed().utf8))))
            let section = self
            files.append(OutputFile(path: Self.sitemapPath, source: .stream { try section.writeSitemap(into: &$0) }))
        }
        return files
    }

    func robots() -> String {
        var text = "# \(model.content.config.title): every page may be read and indexed.\nUser-agent: *\nDisallow:\n"
        if let sitemap = urls.url(Self.sitemapPath) { text += "\nSitemap: \(sitemap)\n" }
        return text
    }

    /// Every page worth finding, with the date it was last checked where known.
    func sitemapEntries() -> [(path: String, lastmod: String?)] {
        var entries: [(String, String?)] = [(SitePaths.home, nil)]
        for asset in model.assetsByTitle { entries.append((SitePaths.asset(asset.slug), asset.updated)) }
        entries.append((SitePaths.stories, model.storiesByDate.first?.date))
        for story in model.storiesByDate { entries.append((SitePaths.story(story.slug), story.date)) }
        for kind in TermKind.allCases {
            entries.append((SitePaths.terms(kind), nil))
            for entry in model.terms.entries(kind) { entries.append((SitePaths.term(kind, entry.slug), nil)) }
        }
        for page in model.pagesByWeight { entries.append((SitePaths.page(page.slug), nil)) }
        entries.append((PrintSection.pagePath, nil))
        entries.append((PlacesSection.pagePath, nil))
        for path in mapPages { entries.append((path, nil)) }
        return entries
    }

    /// Writes `sitemap.xml` an entry at a time.
    func writeSitemap(into output: inout OutputBuffer) throws {
        output.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n")
        for entry in sitemapEntries() {
            guard let url = urls.url(entry.path) else { continue }
            output.append("  <url>")
            output.append(XMLText.element("loc", url))
            if let lastmod = entry.lastmod { output.append(XMLText.element("lastmod", lastmod)) }
            output.append("</url>\n")
            try output.flushIfFull()
        }
        output.append("</urlset>\n")
    }

    /// The Atom feed of the newest stories; each entry carries its body,
    /// whose relative links resolve against the story's address (`xml:base`).
    func feed() -> String {
        let config = model.content.config
        let stories = model.storiesByDate.prefix(Self.feedLength)
        let newest = stories.first?.date ?? model.content.assets.compactMap(\.updated).max() ?? "2000-01-01"
        let feedURL = urls.url(Self.feedPath) ?? ""
        let storiesURL = urls.url(SitePaths.stories) ?? ""
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        xml += "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"\(XMLText.escaped(config.language))\">\n"
        xml += "  " + XMLText.element("id", feedURL) + "\n"
        xml += "  " + XMLText.element("title", "Stories · \(config.title)") + "\n"
        if let description = config.description, !description.isEmpty {
            xml += "  " + XMLText.element("subtitle", description) + "\n"
        }
        xml += "  <link rel=\"self\" type=\"application/atom+xml\" href=\"\(XMLText.escaped(feedURL))\"/>\n"
        xml += "  <link rel=\"alternate\" type=\"text/html\" href=\"\(XMLText.escaped(storiesURL))\"/>\n"
        xml += "  " + XMLText.element("updated", Self.timestamp(newest)) + "\n"
        xml += "  <author>" + XMLText.element("name", config.title) + "</author>\n"
        xml += "  <generator>Kith</generator>\n"
        for story in stories {
            let url = urls.url(SitePaths.story(story.slug)) ?? ""
            xml += "  <entry>\n"
            xml += "    " + XMLText.element("id", url) + "\n"
            xml += "    " + XMLText.element("title", story.title) + "\n"
            xml += "    <link rel=\"alternate\" type=\"text/html\" href=\"\(XMLText.escaped(url))\"/>\n"
            xml += "    " + XMLText.element("published", Self.timestamp(story.date)) + "\n"
            xml += "    " + XMLText.element("updated", Self.timestamp(story.date)) + "\n"
            if let author = story.author, !author.isEmpty {
                xml += "    <author>" + XMLText.element("name", author) + "</author>\n"
            }
            for tag in story.tags {
                xml += "    <category term=\"\(XMLText.escaped(Slug.term(tag)))\" label=\"\(XMLText.escaped(tag))\"/>\n"
            }
            if let summary = story.summary, !summary.isEmpty {
                xml += "    " + XMLText.element("summary", summary) + "\n"
            }
            xml += "    <content type=\"html\" xml:base=\"\(XMLText.escaped(url))\">"
            xml += XMLText.escaped(model.storyBodies[story.slug] ?? "") + "</content>\n"
            xml += "  </entry>\n"
        }
        return xml + "</feed>\n"
    }

    /// A `YYYY-MM-DD` date as an Atom timestamp at midnight UTC.
    static func timestamp(_ date: String) -> String { date + "T00:00:00Z" }
}

/// schema.org descriptions of profiles and stories, as JSON-LD values.
///
/// Asset types map to schema.org types: individual → Person, association
/// and institution → Organization, space → Place, economy → LocalBusiness,
/// culture → Organization (most culture entries are choirs, bands, festival
/// committees and trails kept by a group), and any type site.yml adds → Thing.
struct StructuredData: Sendable {
    let model: SiteModel
    let urls: AbsoluteURLs

    static func schemaType(_ assetType: String) -> String {
        switch assetType {
        case "individual": "Person"
        case "association", "institution", "culture": "Organization"
        case "space": "Place"
        case "economy": "LocalBusiness"
        default: "Thing"
        }
    }

    func asset(_ asset: Asset) -> Value {
        let facts = PublicFacts(asset)
        let type = Self.schemaType(asset.type)
        let isOrganization = type == "Organization" || type == "LocalBusiness"
        let isPlace = type == "Place" || type == "LocalBusiness"
        var ld: Object = [
            "@context": "https://schema.org",
            "@type": .string(type),
            "name": .string(asset.title),
            "description": .string(asset.summary),
        ]
        if let url = urls.url(SitePaths.asset(asset.slug)) {
            ld["@id"] = .string(url + "#asset")
            ld["url"] = .string(url)
        }
        if let image = asset.image, let src = urls.url(image.src) { ld["image"] = .string(src) }
        if let website = facts.website { ld["sameAs"] = .string(website) }
        guard type != "Thing" else { return .object(ld) }

        if let phone = facts.phone { ld["telephone"] = .string(phone) }
        if let email = facts.email, type != "Place" { ld["email"] = .string(email) }
        if type != "Person", !asset.tags.isEmpty { ld["keywords"] = .string(asset.tags.joined(separator: ", ")) }
        if type != "Place" {
            if !asset.gifts.isEmpty { ld["knowsAbout"] = Views.list(asset.gifts) }
            if !asset.needs.isEmpty {
                ld["seeks"] = .array(asset.needs.map { .object(["@type": "Demand", "name": .string($0)]) })
            }
        }
        if let address = facts.address { ld["address"] = .string(address) }
        let geo: Value? = facts.geo.map {
            .object(["@type": "GeoCoordinates", "latitude": .double($0.lat), "longitude": .double($0.lon)])
        }
        if isPlace {
            if let geo { ld["geo"] = geo }
            if !asset.areas.isEmpty {
                ld["containedInPlace"] = .array(asset.areas.map { .object(["@type": "Place", "name": .string($0)]) })
            }
        }
        if isOrganization {
            if !asset.areas.isEmpty { ld["areaServed"] = Views.list(asset.areas) }
            if type == "Organization", let geo { ld["location"] = .object(["@type": "Place", "geo": geo]) }
        }
        if type == "LocalBusiness", let hours = asset.hours { ld["openingHours"] = .string(hours) }
        return .object(ld)
    }

    func story(_ story: Story) -> Value {
        let config = model.content.config
        var ld: Object = [
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": .string(story.title),
            "datePublished": .string(story.date),
            "inLanguage": .string(config.language),
        ]
        if let summary = story.summary, !summary.isEmpty { ld["description"] = .string(summary) }
        if let author = story.author, !author.isEmpty { ld["author"] = .object(["@type": "Person", "name": .string(author)]) }
        if !story.tags.isEmpty { ld["keywords"] = .string(story.tags.joined(separator: ", ")) }
        if let url = urls.url(SitePaths.story(story.slug)) {
            ld["@id"] = .string(url + "#story")
            ld["url"] = .string(url)
            ld["mainEntityOfPage"] = .string(url)
        }
        if let image = story.image, let src = urls.url(image.src) { ld["image"] = .string(src) }
        var publisher: Object = ["@type": "Organization", "name": .string(config.title)]
        if let home = urls.base { publisher["url"] = .string(home) }
        ld["publisher"] = .object(publisher)
        let about: [Value] = story.assets.compactMap { model.assetsBySlug[$0.slug] }.map { asset in
            var thing: Object = ["@type": .string(Self.schemaType(asset.type)), "name": .string(asset.title)]
            if let url = urls.url(SitePaths.asset(asset.slug)) { thing["@id"] = .string(url + "#asset"); thing["url"] = .string(url) }
            return .object(thing)
        }
        if !about.isEmpty { ld["about"] = .array(about) }
        return .object(ld)
    }
}
