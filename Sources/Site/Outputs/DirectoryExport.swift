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

    func siteFields() -> [String: Value] {
        ["open_data": .object(["directory": .string(Self.directoryPath), "hsds": .string(HSDSExport.folder + "datapackage.json")])]
    }

    func files() -> [OutputFile] {
        [OutputFile(path: Self.directoryPath, source: .bytes(DataJSON.bytes(directory(), pretty: true, lineDepth: 2)))]
            + HSDSExport(model: model).files()
    }

    /// The value written to `directory.json`.
    func directory() -> Value {
        let content = model.content
        let urls = AbsoluteURLs(config: content.config)
        let published = model.assetsBySlug

        var incoming: [String: [Value]] = [:]
        var mentionedBy: [String: [String]] = [:]
        var mentions: [String: [String]] = [:]
        var storiesOf: [String: [String]] = [:]
        for asset in content.assets {
            for connection in asset.connections where published[connection.to] != nil {
                incoming[connection.to, default: []].append(.object([
                    "from": .string(asset.slug), "kind": .string(connection.kind), "note": Views.text(connection.note),
                ]))
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

        let assets: [Value] = content.assets.map { asset in
            let facts = PublicFacts(asset)
            var contact: Value = .null
            if !facts.contact.isEmpty {
                var fields: [String: Value] = [:]
                for entry in facts.contact { fields[entry.key] = .string(entry.value) }
                contact = .object(fields)
            }
            return .object([
                "slug": .string(asset.slug),
                "title": .string(asset.title),
                "type": .string(asset.type),
                "summary": .string(asset.summary),
                "status": .string(asset.status.rawValue),
                "areas": Views.list(asset.areas),
                "tags": Views.list(asset.tags),
                "address": Views.text(facts.address),
                "geo": facts.geo.map { .object(["lat": .double($0.lat), "lon": .double($0.lon)]) } ?? .null,
                "contact": contact,
                "hours": Views.text(asset.hours),
                "cost": Views.text(asset.cost),
                "audience": Views.text(asset.audience),
                "accessibility": Views.text(asset.accessibility),
                "languages": Views.list(asset.languages),
                "gifts": Views.list(asset.gifts),
                "needs": Views.list(asset.needs),
                "image": Views.image(asset.image),
                "updated": Views.text(asset.updated),
                "page": .string(SitePaths.asset(asset.slug)),
                "url": Views.text(urls.url(SitePaths.asset(asset.slug))),
                "connections": .array(asset.connections.filter { published[$0.to] != nil }.map {
                    .object(["to": .string($0.to), "kind": .string($0.kind), "note": Views.text($0.note)])
                }),
                "connected_from": .array(incoming[asset.slug] ?? []),
                "mentions": Views.list(mentions[asset.slug] ?? []),
                "mentioned_by": Views.list(mentionedBy[asset.slug] ?? []),
                "stories": Views.list(storiesOf[asset.slug] ?? []),
                "body": .string(String(asset.body)),
            ])
        }
        let stories: [Value] = model.storiesByDate.map { story in
            .object([
                "slug": .string(story.slug),
                "title": .string(story.title),
                "date": .string(story.date),
                "author": Views.text(story.author),
                "summary": Views.text(story.summary),
                "tags": Views.list(story.tags),
                "assets": Views.list(story.assets.map(\.slug).filter { published[$0] != nil }),
                "image": Views.image(story.image),
                "page": .string(SitePaths.story(story.slug)),
                "url": Views.text(urls.url(SitePaths.story(story.slug))),
                "body": .string(String(story.body)),
            ])
        }
        return .object([
            "format": "kith-directory",
            "version": 1,
            "site": .object([
                "title": .string(content.config.title),
                "description": Views.text(content.config.description),
                "language": .string(content.config.language),
                "base_url": Views.text(urls.base),
            ]),
            "types": .array(content.config.types.map {
                .object(["slug": .string($0.slug), "label": .string($0.label), "colour": .string($0.colour)])
            }),
            "areas": .array(TermIndex(content: content).entries(.area).map {
                .object(["slug": .string($0.slug), "name": .string($0.name), "description": Views.text($0.description)])
            }),
            "assets": .array(assets),
            "stories": .array(stories),
        ])
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

    func files() -> [OutputFile] {
        let content = model.content
        let urls = AbsoluteURLs(config: content.config)
        var organizations = CSVText(header: Self.organizations.header)
        var services = CSVText(header: Self.services.header)
        var locations = CSVText(header: Self.locations.header)
        var servicesAtLocation = CSVText(header: Self.servicesAtLocation.header)
        var addresses = CSVText(header: Self.physicalAddresses.header)
        var phones = CSVText(header: Self.phones.header)

        for asset in content.assets {
            let facts = PublicFacts(asset)
            let organizationID = Self.id(Self.organizations, asset.slug)
            let serviceID = Self.id(Self.services, asset.slug)
            let link = facts.website ?? urls.url(SitePaths.asset(asset.slug)) ?? ""
            organizations.append([organizationID, asset.title, "", asset.summary, facts.email ?? "", link, "", "", "", ""])
            services.append([
                serviceID, organizationID, "", asset.title, "", asset.summary, link, facts.email ?? "",
                Self.status(asset.status), asset.languages.joined(separator: ", "), "", "", asset.cost ?? "", "", "", "",
            ])
            var locationID = ""
            if facts.address != nil || facts.geo != nil {
                locationID = Self.id(Self.locations, asset.slug)
                locations.append([
                    locationID, organizationID, asset.title, "", asset.areas.joined(separator: ", "), "",
                    facts.geo.map { DataJSON.number($0.lat) } ?? "", facts.geo.map { DataJSON.number($0.lon) } ?? "",
                ])
                servicesAtLocation.append([Self.id(Self.servicesAtLocation, asset.slug), serviceID, locationID, ""])
            }
            if let address = facts.address {
                addresses.append([Self.id(Self.physicalAddresses, asset.slug), locationID, "", address, "", "", "", "", "", "", "", ""])
            }
            if let phone = facts.phone {
                phones.append([Self.id(Self.phones, asset.slug), locationID, serviceID, organizationID, "", "", phone, "", "voice", "", "", ""])
            }
        }

        let tables: [(Table, CSVText)] = [
            (Self.organizations, organizations), (Self.services, services), (Self.locations, locations),
            (Self.servicesAtLocation, servicesAtLocation), (Self.physicalAddresses, addresses), (Self.phones, phones),
        ]
        var files = tables.map { OutputFile(path: Self.folder + $0.0.file, source: .bytes($0.1.bytes)) }
        files.append(OutputFile(path: Self.folder + "datapackage.json", source: .bytes(DataJSON.bytes(datapackage(urls: urls), pretty: true))))
        return files
    }

    /// The package description, in the shape of the HSDS 1.1 datapackage.json.
    func datapackage(urls: AbsoluteURLs) -> Value {
        let config = model.content.config
        let resources: [Value] = Self.tables.map { table in
            var schema: [String: Value] = [
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
        var package: [String: Value] = [
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
