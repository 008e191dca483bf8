import Content
import Diagnostics
import Templates

/// Open data: `directory.json` (every published asset and story, with its
/// fields and connections) and the Open Referral HSDS 1.1 export in `hsds/`.
/// Individuals' contact details, address and position are left out unless
/// their profile says `public_contact: true` (see `PublicFacts`).
struct OpenDataSection: SiteSection {
    let model: SiteModel

    static let directoryPath = "directory.json"

    func siteFields() -> Object {
        ["open_data": .object(["directory": .string(Self.directoryPath), "hsds": .string(HSDSExport.folder + "datapackage.json")])]
    }

    func files() -> [OutputFile] {
        [directoryFile()] + HSDSExport(model: model).files()
    }

    /// `directory.json`, made while it is written.
    func directoryFile() -> OutputFile {
        let section = self
        return OutputFile(path: Self.directoryPath, source: .stream { try section.writeDirectory(into: &$0) })
    }

    /// Writes `directory.json` one asset and one story at a time, so the
    /// whole document is never in memory: the bytes are those of
    /// `DataJSON.bytes(_:pretty: true, lineDepth: 2)` for the whole value,
    /// an object whose keys are `areas`, `assets`, `format`, `site`,
    /// `stories`, `types` and `version`.
    func writeDirectory(into output: inout OutputBuffer) throws {
        let content = model.content
        let urls = AbsoluteURLs(config: content.config)
        let published = model.assetsBySlug

        // Connections, mentions and stories seen from the other end.
        var incoming: [String: [(from: String, connection: Connection)]] = [:]
        var mentionedBy: [String: [String]] = [:]
        var mentions: [String: [String]] = [:]
        var storiesOf: [String: [String]] = [:]
        incoming.reserveCapacity(content.assets.count)
        mentionedBy.reserveCapacity(content.assets.count)
        mentions.reserveCapacity(content.assets.count)
        storiesOf.reserveCapacity(content.assets.count)
        for asset in content.assets {
            for connection in asset.connections where published[connection.to] != nil {
                incoming[connection.to, default: []].append((asset.slug, connection))
            }
        }
        for mention in model.mentions {
            mentions[mention.from, default: []].append(mention.to)
            mentionedBy[mention.to, default: []].append(mention.from)
        }
        for story in model.storiesByDate {
            for reference in story.assets where published[reference.slug] != nil {
                storiesOf[reference.slug, default: []].append(story.slug)
            }
        }

        func topKey(_ key: String, first: Bool = false) {
            if !first { output.append(UInt8(ascii: ",")) }
            DataJSON.newline(1, into: &output.bytes)
            DataJSON.writeString(key, into: &output.bytes)
            output.append(": ")
        }
        func topValue(_ value: Value) {
            DataJSON.write(value, pretty: true, lineDepth: 2, depth: 1, into: &output.bytes)
        }
        /// A top-level list, one entry per line.
        func list<Item>(_ items: some Collection<Item>, _ write: (Item, inout [UInt8]) -> Void) throws {
            output.append(UInt8(ascii: "["))
            var first = true
            for item in items {
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                DataJSON.newline(2, into: &output.bytes)
                write(item, &output.bytes)
                try output.flushIfFull()
            }
            if !first { DataJSON.newline(1, into: &output.bytes) }
            output.append(UInt8(ascii: "]"))
        }

        output.append(UInt8(ascii: "{"))
        topKey("areas", first: true)
        topValue(.array(model.terms.entries(.area).map {
            .object(["slug": .string($0.slug), "name": .string($0.name), "description": Views.text($0.description)])
        }))
        topKey("assets")
        try list(content.assets) { asset, bytes in
            Self.writeAsset(asset, into: &bytes, urls: urls, published: published,
                            incoming: incoming[asset.slug] ?? [], mentions: mentions[asset.slug] ?? [],
                            mentionedBy: mentionedBy[asset.slug] ?? [], stories: storiesOf[asset.slug] ?? [])
        }
        topKey("format")
        topValue("kith-directory")
        topKey("site")
        topValue(.object([
            "title": .string(content.config.title),
            "description": Views.text(content.config.description),
            "language": .string(content.config.language),
            "base_url": Views.text(urls.base),
        ]))
        topKey("stories")
        try list(model.storiesByDate) { story, bytes in
            Self.writeStory(story, into: &bytes, urls: urls, published: published)
        }
        topKey("types")
        topValue(.array(content.config.types.map {
            .object(["slug": .string($0.slug), "label": .string($0.label), "colour": .string($0.colour)])
        }))
        topKey("version")
        topValue(1)
        DataJSON.newline(0, into: &output.bytes)
        output.append(UInt8(ascii: "}"))
        output.append(UInt8(ascii: "\n"))
    }

    /// An asset's line of `directory.json` as `writeDirectory` writes it,
    /// with the line break and indent before it, made from each of two
    /// versions of the asset that differ only in their text: the line to
    /// find and the one to put in its place.
    func assetLines(_ old: Asset, _ new: Asset) -> (old: [UInt8], new: [UInt8]) {
        let asset = old
        let content = model.content
        let published = model.assetsBySlug
        let slug = asset.slug
        var incoming: [(from: String, connection: Connection)] = []
        for other in content.assets {
            for connection in other.connections where connection.to == slug && published[slug] != nil {
                incoming.append((other.slug, connection))
            }
        }
        var mentions: [String] = [], mentionedBy: [String] = [], stories: [String] = []
        for mention in model.mentions {
            if mention.from == slug { mentions.append(mention.to) }
            if mention.to == slug { mentionedBy.append(mention.from) }
        }
        for story in model.storiesByDate where published[slug] != nil {
            for reference in story.assets where reference.slug == slug { stories.append(story.slug) }
        }
        let urls = AbsoluteURLs(config: content.config)
        func line(_ asset: Asset) -> [UInt8] {
            var bytes: [UInt8] = []
            DataJSON.newline(2, into: &bytes)
            Self.writeAsset(asset, into: &bytes, urls: urls, published: published,
                            incoming: incoming, mentions: mentions, mentionedBy: mentionedBy, stories: stories)
            return bytes
        }
        return (line(old), line(new))
    }

    /// A story's line of `directory.json`, with the line break and indent before it.
    func storyLine(_ story: Story) -> [UInt8] {
        var bytes: [UInt8] = []
        DataJSON.newline(2, into: &bytes)
        Self.writeStory(story, into: &bytes, urls: AbsoluteURLs(config: model.content.config), published: model.assetsBySlug)
        return bytes
    }

    /// One asset of `directory.json`, on one line.
    static func writeAsset(
        _ asset: Asset, into bytes: inout [UInt8], urls: AbsoluteURLs, published: [String: Asset],
        incoming: [(from: String, connection: Connection)], mentions: [String], mentionedBy: [String], stories: [String]
    ) {
        let facts = PublicFacts(asset)
        let page = SitePaths.asset(asset.slug)
        var object = DataJSONObject(into: &bytes)
        object.field("accessibility", text: asset.accessibility, into: &bytes)
        object.field("address", text: facts.address, into: &bytes)
        object.field("areas", strings: asset.areas, into: &bytes)
        object.field("audience", text: asset.audience, into: &bytes)
        object.field("body", string: asset.body, into: &bytes)
        object.key("connected_from", into: &bytes)
        writeConnections(incoming, into: &bytes) { entry, object, bytes in
            object.field("from", string: entry.from, into: &bytes)
            object.field("kind", string: entry.connection.kind, into: &bytes)
            object.field("note", text: entry.connection.note, into: &bytes)
        }
        object.key("connections", into: &bytes)
        writeConnections(asset.connections.filter { published[$0.to] != nil }, into: &bytes) { connection, object, bytes in
            object.field("kind", string: connection.kind, into: &bytes)
            object.field("note", text: connection.note, into: &bytes)
            object.field("to", string: connection.to, into: &bytes)
        }
        object.key("contact", into: &bytes)
        writeContact(facts.contact, into: &bytes)
        object.field("cost", text: asset.cost, into: &bytes)
        object.key("geo", into: &bytes)
        if let geo = facts.geo {
            var position = DataJSONObject(into: &bytes)
            position.field("lat", number: geo.lat, into: &bytes)
            position.field("lon", number: geo.lon, into: &bytes)
            position.end(into: &bytes)
        } else {
            bytes.append(contentsOf: "null".utf8)
        }
        object.field("gifts", strings: asset.gifts, into: &bytes)
        object.field("hours", text: asset.hours, into: &bytes)
        object.key("image", into: &bytes)
        writeImage(asset.image, into: &bytes)
        object.field("languages", strings: asset.languages, into: &bytes)
        object.field("mentioned_by", strings: mentionedBy, into: &bytes)
        object.field("mentions", strings: mentions, into: &bytes)
        object.field("needs", strings: asset.needs, into: &bytes)
        object.field("page", string: page, into: &bytes)
        object.field("slug", string: asset.slug, into: &bytes)
        object.field("status", string: asset.status.rawValue, into: &bytes)
        object.field("stories", strings: stories, into: &bytes)
        object.field("summary", string: asset.summary, into: &bytes)
        object.field("tags", strings: asset.tags, into: &bytes)
        object.field("title", string: asset.title, into: &bytes)
        object.field("type", string: asset.type, into: &bytes)
        object.field("updated", text: asset.updated, into: &bytes)
        object.field("url", text: urls.url(page), into: &bytes)
        object.end(into: &bytes)
    }

    /// Contact lines as an object, or `null` when there are none: the bytes
    /// `DataJSON` writes for an `Object` made of the lines in turn (a later
    /// line of the same key replaces the value, keys in `Object.sortedByName` order).
    static func writeContact(_ contact: [ContactEntry], into bytes: inout [UInt8]) {
        guard !contact.isEmpty else {
            bytes.append(contentsOf: "null".utf8)
            return
        }
        var fields: [(key: String, value: String)] = []
        fields.reserveCapacity(contact.count)
        for entry in contact {
            // The same key is the same bytes, as `Object` finds a field of a small object.
            if let position = fields.firstIndex(where: { $0.key == entry.key && $0.key.utf8.elementsEqual(entry.key.utf8) }) {
                fields[position].value = entry.value
            } else {
                fields.append((entry.key, entry.value))
            }
        }
        fields.sort { $0.key < $1.key }
        bytes.append(UInt8(ascii: "{"))
        for (position, field) in fields.enumerated() {
            if position > 0 { bytes.append(UInt8(ascii: ",")) }
            DataJSON.writeString(field.key, into: &bytes)
            bytes.append(UInt8(ascii: ":"))
            DataJSON.writeString(field.value, into: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// An image as `Views.image` has it: `{"alt":…,"src":…}`, or `null`.
    static func writeImage(_ image: ImageRef?, into bytes: inout [UInt8]) {
        guard let image else {
            bytes.append(contentsOf: "null".utf8)
            return
        }
        var object = DataJSONObject(into: &bytes)
        object.field("alt", string: image.alt, into: &bytes)
        object.field("src", string: image.src, into: &bytes)
        object.end(into: &bytes)
    }

    /// A list of connections, each an object whose fields `write` gives.
    private static func writeConnections<Item>(
        _ items: [Item], into bytes: inout [UInt8], _ write: (Item, inout DataJSONObject, inout [UInt8]) -> Void
    ) {
        bytes.append(UInt8(ascii: "["))
        for (position, item) in items.enumerated() {
            if position > 0 { bytes.append(UInt8(ascii: ",")) }
            var object = DataJSONObject(into: &bytes)
            write(item, &object, &bytes)
            object.end(into: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// One story of `directory.json`, on one line.
    static func writeStory(_ story: Story, into bytes: inout [UInt8], urls: AbsoluteURLs, published: [String: Asset]) {
        let page = SitePaths.story(story.slug)
        var object = DataJSONObject(into: &bytes)
        object.field("assets", strings: story.assets.map(\.slug).filter { published[$0] != nil }, into: &bytes)
        object.field("author", text: story.author, into: &bytes)
        object.field("body", string: story.body, into: &bytes)
        object.field("date", string: story.date, into: &bytes)
        object.key("image", into: &bytes)
        writeImage(story.image, into: &bytes)
        object.field("page", string: page, into: &bytes)
        object.field("slug", string: story.slug, into: &bytes)
        object.field("summary", text: story.summary, into: &bytes)
        object.field("tags", strings: story.tags, into: &bytes)
        object.field("title", string: story.title, into: &bytes)
        object.field("url", text: urls.url(page), into: &bytes)
        object.end(into: &bytes)
    }
}

/// The Open Referral Human Services Data Specification 1.1 export: a
/// tabular data package in `hsds/`. Each asset is an organization and a
/// service of the same name; an asset with a public address or position
/// has a location (and a physical address when it has an address); a
/// public phone number is a phone of the organization and its service.
///
/// Ids are name-based UUIDs of the table and the slug
/// (`organization/northside-library`), so they stay the same from build to
/// build and when the site moves. Kith keeps an address as one line, so
/// all of it goes in `address_1`; city, postal code and country are left empty.
struct HSDSExport {
    let model: SiteModel

    static let folder = "hsds/"

    /// One CSV file of the package: its HSDS resource name and fields (name, type), in HSDS order.
    struct Table {
        var resource: String
        var file: String
        var fields: [(name: String, type: String)]
        var foreignKeys: [(field: String, resource: String)] = []

        var header: [String] { fields.map(\.name) }
    }

    static let organizations = Table(resource: "organization", file: "organizations.csv", fields: [
        ("id", "string"), ("name", "string"), ("alternate_name", "string"), ("description", "string"),
        ("email", "string"), ("url", "string"), ("tax_status", "string"), ("tax_id", "string"),
        ("year_incorporated", "date"), ("legal_status", "string"),
    ])
    static let services = Table(resource: "service", file: "services.csv", fields: [
        ("id", "string"), ("organization_id", "string"), ("program_id", "string"), ("name", "string"),
        ("alternate_name", "string"), ("description", "string"), ("url", "string"), ("email", "string"),
        ("status", "string"), ("interpretation_services", "string"), ("application_process", "string"),
        ("wait_time", "string"), ("fees", "string"), ("accreditations", "string"), ("licenses", "string"),
        ("taxonomy_ids", "string"),
    ], foreignKeys: [("organization_id", "organization")])
    static let locations = Table(resource: "location", file: "locations.csv", fields: [
        ("id", "string"), ("organization_id", "string"), ("name", "string"), ("alternate_name", "string"),
        ("description", "string"), ("transportation", "string"), ("latitude", "number"), ("longitude", "number"),
    ], foreignKeys: [("organization_id", "organization")])
    static let servicesAtLocation = Table(resource: "service_at_location", file: "services_at_location.csv", fields: [
        ("id", "string"), ("service_id", "string"), ("location_id", "string"), ("description", "string"),
    ], foreignKeys: [("service_id", "service"), ("location_id", "location")])
    static let physicalAddresses = Table(resource: "physical_address", file: "physical_addresses.csv", fields: [
        ("id", "string"), ("location_id", "string"), ("attention", "string"), ("address_1", "string"),
        ("address_2", "string"), ("address_3", "string"), ("address_4", "string"), ("city", "string"),
        ("region", "string"), ("state_province", "string"), ("postal_code", "string"), ("country", "string"),
    ], foreignKeys: [("location_id", "location")])
    static let phones = Table(resource: "phone", file: "phones.csv", fields: [
        ("id", "string"), ("location_id", "string"), ("service_id", "string"), ("organization_id", "string"),
        ("contact_id", "string"), ("service_at_location_id", "string"), ("number", "string"),
        ("extension", "number"), ("type", "string"), ("language", "string"), ("description", "string"),
        ("department", "string"),
    ], foreignKeys: [("organization_id", "organization"), ("service_id", "service"), ("location_id", "location")])

    static let tables = [organizations, services, locations, servicesAtLocation, physicalAddresses, phones]

    static func id(_ table: Table, _ slug: String) -> String { NameBasedID.uuid("\(table.resource)/\(slug)") }

    /// HSDS service status for an asset status.
    static func status(_ status: AssetStatus) -> String {
        switch status {
        case .active: "active"
        case .paused: "temporarily closed"
        case .closed: "defunct"
        }
    }

    /// What the tables need of one asset beyond its own fields: the ids of
    /// its rows and its public facts, worked out once and shared by every table.
    struct Row: Sendable {
        var organization: String
        var service: String
        /// Empty when the asset has no public address or position.
        var location: String
        var email: String
        /// The asset's website, or else its page.
        var link: String
        var phone: String?
        var address: String?
        var geo: Geo?
    }

    /// The six tables and the package description. Each table is written a
    /// record at a time while its file is written.
    func files() -> [OutputFile] {
        let assets = model.content.assets
        let urls = AbsoluteURLs(config: model.content.config)
        let rows: [Row] = assets.map { asset in
            let facts = PublicFacts(asset)
            return Row(
                organization: Self.id(Self.organizations, asset.slug), service: Self.id(Self.services, asset.slug),
                location: facts.address != nil || facts.geo != nil ? Self.id(Self.locations, asset.slug) : "",
                email: facts.email ?? "", link: facts.website ?? urls.url(SitePaths.asset(asset.slug)) ?? "",
                phone: facts.phone, address: facts.address, geo: facts.geo)
        }
        func table(_ table: Table, _ record: @escaping @Sendable (Asset, Row, inout [UInt8]) -> Void) -> OutputFile {
            OutputFile(path: Self.folder + table.file, source: .stream { output in
                CSVText.writeRecord(table.header, into: &output.bytes)
                // Each asset is lent to `record` where it lies, not copied.
                try assets.withUnsafeBufferPointer { assets in
                    for index in assets.indices {
                        record(assets[index], rows[index], &output.bytes)
                        try output.flushIfFull()
                    }
                }
            })
        }
        var files = [
            table(Self.organizations) { asset, row, bytes in
                CSVText.writeRecord([row.organization, asset.title, "", asset.summary, row.email, row.link, "", "", "", ""], into: &bytes)
            },
            table(Self.services) { asset, row, bytes in
                CSVText.writeRecord([
                    row.service, row.organization, "", asset.title, "", asset.summary, row.link, row.email,
                    Self.status(asset.status), asset.languages.joined(separator: ", "), "", "", asset.cost ?? "", "", "", "",
                ], into: &bytes)
            },
            table(Self.locations) { asset, row, bytes in
                guard !row.location.isEmpty else { return }
                CSVText.writeRecord([
                    row.location, row.organization, asset.title, "", asset.areas.joined(separator: ", "), "",
                    row.geo.map { DataJSON.number($0.lat) } ?? "", row.geo.map { DataJSON.number($0.lon) } ?? "",
                ], into: &bytes)
            },
            table(Self.servicesAtLocation) { asset, row, bytes in
                guard !row.location.isEmpty else { return }
                CSVText.writeRecord([Self.id(Self.servicesAtLocation, asset.slug), row.service, row.location, ""], into: &bytes)
            },
            table(Self.physicalAddresses) { asset, row, bytes in
                guard let address = row.address else { return }
                CSVText.writeRecord([Self.id(Self.physicalAddresses, asset.slug), row.location, "", address, "", "", "", "", "", "", "", ""],
                                    into: &bytes)
            },
            table(Self.phones) { asset, row, bytes in
                guard let phone = row.phone else { return }
                CSVText.writeRecord([Self.id(Self.phones, asset.slug), row.location, row.service, row.organization, "", "", phone, "", "voice",
                                     "", "", ""], into: &bytes)
            },
        ]
        files.append(OutputFile(path: Self.folder + "datapackage.json", source: .bytes(DataJSON.bytes(datapackage(urls: urls), pretty: true))))
        return files
    }

    /// The package description, in the shape of the HSDS 1.1 datapackage.json.
    func datapackage(urls: AbsoluteURLs) -> Value {
        let config = model.content.config
        let resources: [Value] = Self.tables.map { table in
            var schema: Object = [
                "fields": .array(table.fields.map { .object(["name": .string($0.name), "type": .string($0.type)]) }),
                "primaryKey": "id",
            ]
            if !table.foreignKeys.isEmpty {
                schema["foreignKeys"] = .array(table.foreignKeys.map {
                    .object(["fields": .string($0.field), "reference": .object(["resource": .string($0.resource), "fields": "id"])])
                })
            }
            return .object([
                "name": .string(table.resource), "path": .string(table.file), "format": "csv",
                "mediatype": "text/csv", "encoding": "utf-8", "schema": .object(schema),
            ])
        }
        var package: Object = [
            "name": .string(Slug.make(config.title).isEmpty ? "kith-directory" : Slug.make(config.title)),
            "title": .string(config.title),
            "description": .string(config.description ?? "Community assets of \(config.title), in the Open Referral Human Services Data Specification 1.1."),
            "profile": "tabular-data-package",
            "resources": .array(resources),
        ]
        if let home = urls.base { package["homepage"] = .string(home) }
        return .object(package)
    }
}
