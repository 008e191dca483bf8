import Diagnostics
import Foundation

/// Turns an Open Referral dataset into asset profiles, one per organisation.
///
/// - `title`: the organisation's name; `type`: see `AssetTypeRule`.
/// - `summary`: its description cut to 200 characters (or, without one, the
///   first location's or service's description); the full description opens the body.
/// - Services become `##` sections of the body, with who they are for, cost,
///   how to apply, hours, where and how to reach them.
/// - The first location with an address gives `address`, `geo`, `hours` and
///   `accessibility`; further locations are listed under `## Locations`.
/// - Phones, e-mails and websites of the organisation (else of its first
///   location, else of its services) give `contact`; taxonomy terms and
///   keywords of its services give `tags`; languages of its locations and
///   services give `languages`.
/// - Organisations that share a location (the same location record, the same
///   address, or locations of the same name whose addresses do not differ)
///   are connected with the kind `shares a site with`.
///
/// Rows that point at records that do not exist are reported with their file
/// and line and left out; nothing else stops the import.
struct HSDSImporter {
    static let sharedSiteKind = "shares a site with"

    private let data: HSDSDataset
    private var diagnostics: [Diagnostic] = []

    private var organizations: [Organization] = []
    private var organizationIDs: Set<String> = []
    private var locations: [String: Location] = [:]
    private var locationOrder: [String] = []
    private var services: [String: Service] = [:]
    private var serviceOrder: [String] = []
    /// service_at_location id → (service, location).
    private var serviceAtLocation: [String: (service: String, location: String)] = [:]
    /// Every id in services.csv and locations.csv, including rows left out
    /// (so rows pointing at those are not reported a second time).
    private var serviceRowIDs: Set<String> = []
    private var locationRowIDs: Set<String> = []
    private var contacts: [String: Link] = [:]
    private var addresses: [String: String] = [:]
    private var phones = Linked<Phone>()
    private var emails = Linked<String>()
    private var schedules = Linked<Schedule.Entry>()
    private var languages = Linked<String>()
    private var accessibility: [String: [String]] = [:]
    private var taxonomyNames: [String: String] = [:]
    private var serviceTerms: [String: [String]] = [:]

    /// Reads the folder and maps it.
    /// - Throws: a `Diagnostic` when the folder cannot be read (see `HSDSDataset`).
    static func read(folder: URL, displayFolder: String) throws -> ImportBatch {
        var importer = HSDSImporter(data: try HSDSDataset(folder: folder, displayFolder: displayFolder))
        importer.diagnostics = importer.data.diagnostics
        importer.readTables()
        let profiles = importer.makeProfiles()
        return ImportBatch(source: "hsds", profiles: profiles, diagnostics: importer.diagnostics)
    }

    private init(data: HSDSDataset) {
        self.data = data
    }

    // MARK: Records

    private struct Organization {
        var id: String
        var name: String
        var alternateName: String
        var description: String
        var email: String
        var emailCell: CSVTable.Cell?
        var website: String
        var websiteCell: CSVTable.Cell?
        var legalStatus: String
    }

    private struct Location {
        var id: String
        var organization: String?
        var name: String
        var description: String
        var shortDescription: String
        var geo: (lat: Double, lon: Double)?
        var email: String
        var website: String
        var websiteCell: CSVTable.Cell?
        var languages: [String]
        var accessibility: [String]
        var transportation: String
    }

    private struct Service {
        var id: String
        var organization: String
        var name: String
        var alternateName: String
        var description: String
        var website: String
        var websiteCell: CSVTable.Cell?
        var email: String
        var status: String
        var fees: String
        var applicationProcess: String
        var waitTime: String
        var audience: String
        var eligibility: String
        var keywords: [String]
        var languages: [String]
        var locations: [String]
    }

    /// What a phone, contact, schedule or language row belongs to.
    private struct Link {
        var organization: String?
        var location: String?
        var service: String?
    }

    private struct Phone {
        var text: String
        var type: String
        var label: String

        /// A number to call (not a fax or a text-only line).
        var isVoice: Bool { ["", "voice", "hotline", "cell", "mobile", "text"].contains(type) }
    }

    /// Rows tied to organisations, locations and services, found by any of them, in file order.
    private struct Linked<Item> {
        private(set) var entries: [(item: Item, link: Link)] = []
        private var byOrganization: [String: [Int]] = [:]
        private var byLocation: [String: [Int]] = [:]
        private var byService: [String: [Int]] = [:]

        mutating func append(_ item: Item, _ link: Link) {
            let index = entries.count
            entries.append((item, link))
            if let id = link.organization { byOrganization[id, default: []].append(index) }
            if let id = link.location { byLocation[id, default: []].append(index) }
            if let id = link.service { byService[id, default: []].append(index) }
        }

        func organization(_ id: String) -> [(item: Item, link: Link)] { (byOrganization[id] ?? []).map { entries[$0] } }
        func location(_ id: String) -> [(item: Item, link: Link)] { (byLocation[id] ?? []).map { entries[$0] } }
        func service(_ id: String) -> [(item: Item, link: Link)] { (byService[id] ?? []).map { entries[$0] } }
    }

    // MARK: Reading

    private mutating func readTables() {
        if let table = data[.service] { serviceRowIDs = Set(table.rows.map { table.value($0, "id") }) }
        if let table = data[.location] { locationRowIDs = Set(table.rows.map { table.value($0, "id") }) }
        readOrganizations()
        readLocations()
        readServices()
        readServicesAtLocation()
        readAddresses()
        readContacts()
        readPhones()
        readSchedules()
        readLanguages()
        readAccessibility()
        readTaxonomy()
    }

    private mutating func readOrganizations() {
        guard let table = data[.organization] else { return }
        for row in table.rows {
            let id = table.value(row, "id")
            let name = TextTools.line(table.value(row, "name"))
            if id.isEmpty || name.isEmpty {
                let column = id.isEmpty ? "id" : "name"
                diagnostics.append(table.diagnostic(
                    .missingValue, "this organisation has no \(column); it is left out",
                    at: table.cell(row, column), row: row, help: "give every organisation an id and a name"))
                continue
            }
            guard organizationIDs.insert(id).inserted else {
                diagnostics.append(table.diagnostic(
                    .unusableValue, "the organisation id `\(id)` is used twice; the second row is left out",
                    at: table.cell(row, "id"), row: row, help: "every organisation needs its own id"))
                continue
            }
            organizations.append(Organization(
                id: id, name: name, alternateName: TextTools.line(table.value(row, "alternate_name")),
                description: table.value(row, "description"),
                email: table.value(row, "email"), emailCell: table.cell(row, "email"),
                website: table.value(row, "url", "website"), websiteCell: table.cell(row, "url", "website"),
                legalStatus: table.value(row, "legal_status")))
        }
    }

    private mutating func readLocations() {
        guard let table = data[.location] else { return }
        for row in table.rows {
            let id = table.value(row, "id")
            guard !id.isEmpty, locations[id] == nil else { continue }
            var owner: String? = table.value(row, "organization_id")
            if owner!.isEmpty {
                owner = nil
            } else if !organizationIDs.contains(owner!) {
                orphan(table, row, column: "organization_id", what: "location", missing: "organisation", in: "organizations.csv")
                continue
            }
            // Ohana marks locations without a place as virtual; HSDS 2 uses location_type.
            let virtual = table.value(row, "virtual").lowercased() == "true"
                || table.value(row, "location_type").lowercased() == "virtual"
            var geo: (Double, Double)?
            if !virtual, let lat = Double(table.value(row, "latitude")), let lon = Double(table.value(row, "longitude")),
               (-90...90).contains(lat), (-180...180).contains(lon), !(lat == 0 && lon == 0) {
                geo = (lat, lon)
            }
            let accessibilityItems = Self.splitList(table.value(row, "accessibility"))
                .map { $0.replacingOccurrences(of: "_", with: " ") }
            locations[id] = Location(
                id: id, organization: owner, name: TextTools.line(table.value(row, "name")),
                description: table.value(row, "description"), shortDescription: table.value(row, "short_desc"),
                geo: geo, email: table.value(row, "email"), website: table.value(row, "website", "url"),
                websiteCell: table.cell(row, "website", "url"), languages: Self.splitList(table.value(row, "languages")),
                accessibility: accessibilityItems, transportation: TextTools.line(table.value(row, "transportation")))
            locationOrder.append(id)
        }
    }

    private mutating func readServices() {
        guard let table = data[.service] else { return }
        for row in table.rows {
            let id = table.value(row, "id")
            guard !id.isEmpty, services[id] == nil else { continue }
            let organizationID = table.value(row, "organization_id")
            let locationID = table.value(row, "location_id")
            let owner: String
            var serviceLocations: [String] = []
            if !organizationID.isEmpty {
                guard organizationIDs.contains(organizationID) else {
                    orphan(table, row, column: "organization_id", what: "service", missing: "organisation", in: "organizations.csv")
                    continue
                }
                owner = organizationID
                if !locationID.isEmpty, locations[locationID] != nil { serviceLocations.append(locationID) }
            } else if !locationID.isEmpty {
                // Ohana: a service belongs to the organisation of its location.
                guard let location = locations[locationID] else {
                    orphan(table, row, column: "location_id", what: "service", missing: "location", in: "locations.csv")
                    continue
                }
                guard let locationOwner = location.organization else {
                    diagnostics.append(table.diagnostic(
                        .orphanRow, "this service's location `\(locationID)` belongs to no organisation; the service is left out",
                        at: table.cell(row, "location_id"), row: row,
                        help: "give the location an organization_id, or the service one"))
                    continue
                }
                owner = locationOwner
                serviceLocations.append(locationID)
            } else {
                diagnostics.append(table.diagnostic(
                    .orphanRow, "this service names no organisation; it is left out", at: table.cell(row, "id"), row: row,
                    help: "fill in its organization_id"))
                continue
            }
            services[id] = Service(
                id: id, organization: owner, name: TextTools.line(table.value(row, "name")),
                alternateName: TextTools.line(table.value(row, "alternate_name")),
                description: table.value(row, "description"),
                website: table.value(row, "url", "website"), websiteCell: table.cell(row, "url", "website"),
                email: table.value(row, "email"), status: table.value(row, "status").lowercased(),
                fees: table.value(row, "fees", "fees_description"),
                applicationProcess: table.value(row, "application_process"),
                waitTime: table.value(row, "wait_time"), audience: table.value(row, "audience"),
                eligibility: table.value(row, "eligibility", "eligibility_description"),
                keywords: Self.splitList(table.value(row, "keywords")),
                languages: Self.splitList(table.value(row, "languages")), locations: serviceLocations)
            serviceOrder.append(id)
            for term in table.value(row, "taxonomy_ids").split(separator: ",") {
                let termID = term.trimmedSpaces
                if !termID.isEmpty { serviceTerms[id, default: []].append(termID) }
            }
        }
    }

    private mutating func readServicesAtLocation() {
        guard let table = data[.serviceAtLocation] else { return }
        for row in table.rows {
            let serviceID = table.value(row, "service_id")
            let locationID = table.value(row, "location_id")
            guard services[serviceID] != nil else {
                if serviceRowIDs.contains(serviceID) { continue }
                orphan(table, row, column: "service_id", what: "row", missing: "service", in: "services.csv")
                continue
            }
            guard locations[locationID] != nil else {
                orphan(table, row, column: "location_id", what: "row", missing: "location", in: "locations.csv")
                continue
            }
            serviceAtLocation[table.value(row, "id")] = (serviceID, locationID)
            if !services[serviceID]!.locations.contains(locationID) { services[serviceID]!.locations.append(locationID) }
        }
    }

    private mutating func readAddresses() {
        guard let table = data[.address] else { return }
        for row in table.rows {
            let type = table.value(row, "address_type").lowercased()
            guard type.isEmpty || type == "physical" else { continue }
            let locationID = table.value(row, "location_id")
            guard locations[locationID] != nil else {
                if !locationID.isEmpty, !locationRowIDs.contains(locationID) {
                    orphan(table, row, column: "location_id", what: "address", missing: "location", in: "locations.csv")
                }
                continue
            }
            guard addresses[locationID] == nil else { continue }
            let region = [table.value(row, "state_province"), table.value(row, "postal_code")]
                .filter { !$0.isEmpty }.joined(separator: " ")
            let parts = [table.value(row, "address_1"), table.value(row, "address_2"), table.value(row, "address_3"),
                         table.value(row, "address_4"), table.value(row, "city"), region, table.value(row, "country")]
                .map(TextTools.line).filter { !$0.isEmpty }
            if !parts.isEmpty { addresses[locationID] = parts.joined(separator: ", ") }
        }
    }

    /// What a row belongs to, from its organization_id, location_id, service_id,
    /// service_at_location_id or contact_id; nil (reported) when one of them
    /// names a record that does not exist or none is given.
    private mutating func link(_ table: CSVTable, _ row: CSVTable.Row, what: String) -> Link? {
        var link = Link()
        let contactID = table.value(row, "contact_id")
        if !contactID.isEmpty {
            guard let contact = contacts[contactID] else {
                orphan(table, row, column: "contact_id", what: what, missing: "contact", in: "contacts.csv")
                return nil
            }
            link = contact
        }
        let salID = table.value(row, "service_at_location_id")
        if !salID.isEmpty {
            guard let pair = serviceAtLocation[salID] else {
                orphan(table, row, column: "service_at_location_id", what: what, missing: "service at location",
                       in: "services_at_location.csv")
                return nil
            }
            link.service = pair.service
            link.location = pair.location
        }
        let serviceID = table.value(row, "service_id")
        if !serviceID.isEmpty {
            guard services[serviceID] != nil else {
                if !serviceRowIDs.contains(serviceID) {
                    orphan(table, row, column: "service_id", what: what, missing: "service", in: "services.csv")
                }
                return nil
            }
            link.service = serviceID
        }
        let locationID = table.value(row, "location_id")
        if !locationID.isEmpty {
            guard locations[locationID] != nil else {
                if !locationRowIDs.contains(locationID) {
                    orphan(table, row, column: "location_id", what: what, missing: "location", in: "locations.csv")
                }
                return nil
            }
            link.location = locationID
        }
        let organizationID = table.value(row, "organization_id")
        if !organizationID.isEmpty {
            guard organizationIDs.contains(organizationID) else {
                orphan(table, row, column: "organization_id", what: what, missing: "organisation", in: "organizations.csv")
                return nil
            }
            link.organization = organizationID
        }
        if link.organization == nil {
            link.organization = link.service.flatMap { services[$0]?.organization }
                ?? link.location.flatMap { locations[$0]?.organization }
        }
        guard link.organization != nil || link.location != nil || link.service != nil else {
            diagnostics.append(table.diagnostic(
                .orphanRow, "this \(what) belongs to no organisation, location or service; it is left out",
                at: table.cell(row, "id"), row: row,
                help: "fill in the organization_id, location_id or service_id it belongs to"))
            return nil
        }
        return link
    }

    private mutating func readContacts() {
        guard let table = data[.contact] else { return }
        for row in table.rows {
            guard let link = link(table, row, what: "contact") else { continue }
            contacts[table.value(row, "id")] = link
            let email = table.value(row, "email")
            if !email.isEmpty {
                if let valid = AddressRepair.email(email) {
                    emails.append(valid, link)
                } else {
                    unusable(table, row, column: "email", what: "e-mail address")
                }
            }
        }
    }

    private mutating func readPhones() {
        guard let table = data[.phone] else { return }
        for row in table.rows {
            guard let link = link(table, row, what: "phone number") else { continue }
            guard let text = AddressRepair.phone(table.value(row, "number"), extension: table.value(row, "extension")) else {
                continue
            }
            let label = TextTools.line(table.value(row, "department", "description"))
            phones.append(Phone(text: text, type: table.value(row, "type", "number_type").lowercased(), label: label), link)
        }
    }

    private mutating func readSchedules() {
        guard let table = data[.schedule] else { return }
        for row in table.rows {
            guard let link = link(table, row, what: "opening time") else { continue }
            let days = Schedule.days(table.value(row, "weekday", "byday"))
            let opens = Schedule.time(table.value(row, "opens_at"))
            let closes = Schedule.time(table.value(row, "closes_at"))
            for day in days {
                schedules.append(Schedule.Entry(day: day, opens: opens, closes: closes), link)
            }
        }
    }

    private mutating func readLanguages() {
        guard let table = data[.language] else { return }
        for row in table.rows {
            guard let link = link(table, row, what: "language") else { continue }
            let name = TextTools.line(table.value(row, "language", "name"))
            if !name.isEmpty { languages.append(name, link) }
        }
    }

    private mutating func readAccessibility() {
        guard let table = data[.accessibility] else { return }
        for row in table.rows {
            guard let link = link(table, row, what: "accessibility note"), let location = link.location else { continue }
            let what = TextTools.line(table.value(row, "accessibility", "description")).replacingOccurrences(of: "_", with: " ")
            let details = TextTools.line(table.value(row, "details"))
            let text = [what, details].filter { !$0.isEmpty }.joined(separator: ": ")
            if !text.isEmpty { accessibility[location, default: []].append(text) }
        }
    }

    private mutating func readTaxonomy() {
        if let table = data[.taxonomy] {
            for row in table.rows {
                let id = table.value(row, "id", "taxonomy_id")
                let name = TextTools.line(table.value(row, "name", "term"))
                if !id.isEmpty, !name.isEmpty { taxonomyNames[id] = name }
            }
        }
        guard let table = data[.serviceTaxonomy] else { return }
        let isAttributes = table.hasColumn("link_id")
        for row in table.rows {
            let termID = table.value(row, "taxonomy_id", "taxonomy_term_id")
            if isAttributes {
                // HSDS 2: attributes link a term to a record of any kind.
                let linkType = table.value(row, "link_type").lowercased()
                guard linkType.isEmpty || linkType == "service" else { continue }
                let serviceID = table.value(row, "link_id")
                if services[serviceID] != nil { serviceTerms[serviceID, default: []].append(termID) }
                continue
            }
            let serviceID = table.value(row, "service_id")
            guard services[serviceID] != nil else {
                if !serviceRowIDs.contains(serviceID) {
                    orphan(table, row, column: "service_id", what: "row", missing: "service", in: "services.csv")
                }
                continue
            }
            if taxonomyNames[termID] == nil {
                orphan(table, row, column: "taxonomy_id", what: "row", missing: "taxonomy term", in: "taxonomy.csv")
                continue
            }
            serviceTerms[serviceID, default: []].append(termID)
        }
    }

    // MARK: Reporting

    private mutating func orphan(_ table: CSVTable, _ row: CSVTable.Row, column: String, what: String,
                                 missing: String, in file: String) {
        let value = table.value(row, column)
        diagnostics.append(table.diagnostic(
            .orphanRow, "this \(what) refers to the \(missing) `\(value)`, which is not in \(file); it is left out",
            at: table.cell(row, column), row: row, label: "no such \(missing)",
            help: "correct the \(column), or add the \(missing) to \(file)"))
    }

    private mutating func unusable(_ table: CSVTable, _ row: CSVTable.Row, column: String, what: String) {
        diagnostics.append(table.diagnostic(
            .unusableValue, "`\(table.value(row, column))` is not a usable \(what); it is left out",
            at: table.cell(row, column), row: row, help: "correct it in the data and import again"))
    }

    private mutating func unusable(_ cell: CSVTable.Cell?, resource: HSDSDataset.Resource, what: String) {
        guard let cell, let table = data[resource] else { return }
        diagnostics.append(table.diagnostic(
            .unusableValue, "`\(cell.text.trimmedSpaces)` is not a usable \(what); it is left out",
            at: cell, help: "correct it in the data and import again"))
    }

    // MARK: Profiles

    private mutating func makeProfiles() -> [ImportedProfile] {
        var servicesByOrganization: [String: [Service]] = [:]
        for id in serviceOrder { if let service = services[id] { servicesByOrganization[service.organization, default: []].append(service) } }
        var locationsByOrganization: [String: [Location]] = [:]
        for id in locationOrder {
            if let location = locations[id], let owner = location.organization { locationsByOrganization[owner, default: []].append(location) }
        }
        var profiles: [ImportedProfile] = []
        for organization in organizations {
            profiles.append(profile(for: organization, services: servicesByOrganization[organization.id] ?? [],
                                    locations: locationsByOrganization[organization.id] ?? []))
        }
        let connections = sharedSites()
        for index in profiles.indices {
            profiles[index].connections = connections[organizations[index].id] ?? []
        }
        return profiles
    }

    private mutating func profile(for organization: Organization, services ownServices: [Service],
                                  locations ownLocations: [Location]) -> ImportedProfile {
        let serviceLocations = ownServices.flatMap(\.locations).compactMap { locations[$0] }
        let main = ownLocations.first { addresses[$0.id] != nil } ?? ownLocations.first { $0.geo != nil }
            ?? ownLocations.first ?? serviceLocations.first

        // Contact details: the organisation's, else its main location's, else its services'.
        var contact: [(String, String)] = []
        var email = AddressRepair.email(organization.email)
        if email == nil, !organization.email.isEmpty {
            unusable(organization.emailCell, resource: .organization, what: "e-mail address")
        }
        let organizationEmails = emails.organization(organization.id)
        email = email ?? organizationEmails.first { $0.link.service == nil && $0.link.location == nil }?.item
            ?? main.flatMap { AddressRepair.email($0.email) }
            ?? organizationEmails.first?.item
            ?? ownServices.lazy.compactMap { AddressRepair.email($0.email) }.first
        if let email { contact.append(("email", email)) }
        if let phone = bestPhone(organization: organization.id, main: main?.id) { contact.append(("phone", phone)) }
        var website = AddressRepair.website(organization.website)
        if website == nil, !organization.website.isEmpty {
            unusable(organization.websiteCell, resource: .organization, what: "web address")
        }
        if website == nil, let main {
            website = AddressRepair.website(main.website)
            if website == nil, !main.website.isEmpty { unusable(main.websiteCell, resource: .location, what: "web address") }
        }
        website = website ?? ownServices.lazy.compactMap { AddressRepair.website($0.website) }.first
        if let website { contact.append(("website", website)) }

        // Summary and body.
        let description = RichText(organization.description)
        let fallbacks = [organization.description, main?.shortDescription ?? "", ownServices.first?.description ?? "",
                         main?.description ?? ""]
        let summarySource = fallbacks.map { RichText($0).plain }.first { !$0.isEmpty } ?? organization.name
        let summary = TextTools.summary(summarySource)

        var profile = ImportedProfile(
            key: "hsds:" + organization.id, preferredSlug: Slug.make(organization.name), title: organization.name,
            type: AssetTypeRule.type(name: organization.name, alternateName: organization.alternateName,
                                     legalStatus: organization.legalStatus, addresses: [email, website].compactMap { $0 }),
            summary: summary)
        profile.contact = contact
        if let main {
            profile.address = addresses[main.id]
            profile.geo = main.geo
            profile.hours = Schedule.describe(schedules.location(main.id).filter { $0.link.service == nil }.map(\.item))
            let notes = main.accessibility + (accessibility[main.id] ?? [])
            profile.accessibility = notes.isEmpty ? nil : Self.unique(notes).joined(separator: "; ")
        }
        profile.tags = tags(for: ownServices)
        profile.languages = languageList(organization: organization.id, locations: ownLocations, services: ownServices)
        profile.status = Self.status(of: ownServices)
        let fees = Self.unique(ownServices.map { TextTools.line($0.fees) }.filter { !$0.isEmpty })
        if fees.count == 1 { profile.cost = fees[0] }

        var body: [String] = []
        let descriptionIsLonger = description.plain.count > summary.count || description.blocks.count > 1
        if !description.isEmpty, descriptionIsLonger { body.append(description.markdown) }
        if !organization.alternateName.isEmpty, organization.alternateName != organization.name {
            body.append("Also known as " + MarkdownText.escape(organization.alternateName) + ".")
        }
        for service in ownServices {
            body.append(section(for: service, organizationLocations: ownLocations))
        }
        if ownLocations.count > 1 {
            var lines = ["## Locations", ""]
            for location in ownLocations {
                lines.append("- " + locationLine(location))
            }
            body.append(lines.joined(separator: "\n"))
        }
        profile.body = body.joined(separator: "\n\n")
        return profile
    }

    /// A voice number: the organisation's, else its main location's, else any of its locations' or services'.
    private func bestPhone(organization: String, main: String?) -> String? {
        let ofOrganization = phones.organization(organization).filter { $0.item.isVoice }
        return ofOrganization.first { $0.link.location == nil && $0.link.service == nil }?.item.text
            ?? main.flatMap { phones.location($0).first { $0.item.isVoice && $0.link.service == nil }?.item.text }
            ?? ofOrganization.first?.item.text
    }

    private func tags(for services: [Service]) -> [String] {
        var names: [String] = []
        for service in services {
            for term in serviceTerms[service.id] ?? [] {
                if let name = taxonomyNames[term] { names.append(name) }
            }
            names += service.keywords
        }
        var seen: Set<String> = []
        var tags: [String] = []
        for raw in names {
            let tag = Self.tagText(raw)
            let slug = Slug.make(tag)
            if !slug.isEmpty, seen.insert(slug).inserted { tags.append(tag) }
        }
        return tags
    }

    private func languageList(organization: String, locations: [Location], services: [Service]) -> [String] {
        let locationIDs = Set(locations.map(\.id))
        let serviceIDs = Set(services.map(\.id))
        var names = locations.flatMap(\.languages) + services.flatMap(\.languages)
        names += languages.organization(organization).filter { entry in
            entry.link.location.map(locationIDs.contains) == true || entry.link.service.map(serviceIDs.contains) == true
                || (entry.link.location == nil && entry.link.service == nil)
        }.map(\.item)
        return Self.unique(names.map(TextTools.line).filter { !$0.isEmpty })
    }

    /// A tag in lowercase, keeping acronyms (`WIC`) unless the whole tag is in capitals.
    static func tagText(_ raw: String) -> String {
        let line = TextTools.line(raw)
        if !line.unicodeScalars.contains(where: { $0.properties.isLowercase }) { return line.lowercased() }
        return line.split(separator: " ", omittingEmptySubsequences: false).map { word -> String in
            let letters = word.unicodeScalars.filter { $0.properties.isAlphabetic }
            let acronym = letters.count >= 2 && letters.allSatisfy { $0.properties.isUppercase }
            return acronym ? String(word) : word.lowercased()
        }.joined(separator: " ")
    }

    /// `closed` when every service is defunct, `paused` when none is active, else nil (active).
    private static func status(of services: [Service]) -> String? {
        guard !services.isEmpty else { return nil }
        let statuses = services.map { $0.status.isEmpty ? "active" : $0.status }
        if statuses.contains("active") { return nil }
        return statuses.allSatisfy { $0 == "defunct" } ? "closed" : "paused"
    }

    /// A `##` section for one service.
    private func section(for service: Service, organizationLocations: [Location]) -> String {
        var heading = MarkdownText.escape(service.name.isEmpty ? "Service" : service.name)
        if heading.hasSuffix("#") { heading = String(heading.dropLast()) + "\\#" }
        var parts = ["## " + heading]
        let description = RichText(service.description)
        if !description.isEmpty { parts.append(description.markdown) }
        var facts: [(String, String)] = []
        if !service.alternateName.isEmpty, service.alternateName != service.name {
            facts.append(("Also known as", service.alternateName))
        }
        let audience = TextTools.line(service.audience)
        if !audience.isEmpty { facts.append(("Who it is for", audience)) }
        let eligibility = TextTools.line(service.eligibility)
        if !eligibility.isEmpty, eligibility != audience { facts.append(("Eligibility", eligibility)) }
        if !service.fees.isEmpty { facts.append(("Cost", TextTools.line(service.fees))) }
        if !service.applicationProcess.isEmpty { facts.append(("How to apply", TextTools.line(service.applicationProcess))) }
        if !service.waitTime.isEmpty { facts.append(("Waiting time", TextTools.line(service.waitTime))) }
        if let hours = Schedule.describe(schedules.service(service.id).map(\.item)) {
            facts.append(("Hours", hours))
        }
        let ownIDs = Set(organizationLocations.map(\.id))
        let listWhere = organizationLocations.count > 1 || service.locations.contains { !ownIDs.contains($0) }
        if listWhere {
            let places = service.locations.compactMap { locations[$0] }.map { location -> String in
                [location.name, addresses[location.id] ?? ""].filter { !$0.isEmpty }.joined(separator: ", ")
            }.filter { !$0.isEmpty }
            if !places.isEmpty { facts.append(("Where", places.joined(separator: "; "))) }
        }
        let servicePhones = Self.unique(phones.service(service.id).map(\.item).map { phone in
            phone.label.isEmpty || phone.label == service.name ? phone.text : "\(phone.text) (\(phone.label))"
        })
        if !servicePhones.isEmpty { facts.append(("Phone", servicePhones.joined(separator: "; "))) }
        if let email = AddressRepair.email(service.email) { facts.append(("E-mail", email)) }
        if !service.status.isEmpty, service.status != "active" { facts.append(("Status", service.status)) }

        // `*` rather than `-`: a list in the description just above stays a list of its own.
        var lines = facts.map { "* **\($0.0):** " + MarkdownText.escape($0.1) }
        if let website = AddressRepair.website(service.website) {
            let shown = AddressRepair.host(of: website) ?? website
            lines.append("* **Website:** [\(MarkdownText.escape(shown))](\(MarkdownText.destination(website)))")
        }
        if !lines.isEmpty { parts.append(lines.joined(separator: "\n")) }
        return parts.joined(separator: "\n\n")
    }

    private func locationLine(_ location: Location) -> String {
        var text = "**" + MarkdownText.escape(location.name.isEmpty ? "Location" : location.name) + "**"
        var details: [String] = []
        if let address = addresses[location.id] { details.append(address) }
        let phone = phones.location(location.id).first { $0.item.isVoice && $0.link.service == nil }
        if let phone { details.append("phone " + phone.item.text) }
        if let hours = Schedule.describe(schedules.location(location.id).filter { $0.link.service == nil }.map(\.item)) {
            details.append(hours)
        }
        if !details.isEmpty { text += ": " + MarkdownText.escape(details.joined(separator: "; ")) }
        return text
    }

    // MARK: Shared sites

    /// Connections between organisations at the same place, written on the
    /// profile of the organisation that comes first in organizations.csv.
    private func sharedSites() -> [String: [ImportedProfile.PendingConnection]] {
        // Every location an organisation uses: its own and those of its services.
        var used: [String: [String]] = [:]
        for id in locationOrder {
            if let owner = locations[id]?.organization { used[id, default: []].append(owner) }
        }
        for id in serviceOrder {
            guard let service = services[id] else { continue }
            for location in service.locations where !(used[location]?.contains(service.organization) ?? false) {
                used[location, default: []].append(service.organization)
            }
        }
        let order = Dictionary(uniqueKeysWithValues: organizations.enumerated().map { ($0.element.id, $0.offset) })
        var pairs: [String: [String: String]] = [:]
        func connect(_ a: String, _ b: String, note: String) {
            guard a != b, let ia = order[a], let ib = order[b] else { return }
            let (first, second) = ia < ib ? (a, b) : (b, a)
            if pairs[first]?[second] == nil { pairs[first, default: [:]][second] = note }
        }
        func place(_ location: Location) -> String {
            location.name.isEmpty ? (addresses[location.id] ?? "the same address") : location.name
        }
        // The same location record.
        for id in locationOrder {
            guard let location = locations[id], let users = used[id], users.count > 1 else { continue }
            for a in users { for b in users { connect(a, b, note: "Both at \(place(location)).") } }
        }
        // The same address, or the same name where the addresses do not differ.
        var byAddress: [String: [String]] = [:]
        var byName: [String: [String]] = [:]
        for id in locationOrder {
            guard let location = locations[id], used[id] != nil else { continue }
            if let address = addresses[id] { byAddress[Self.normalise(address), default: []].append(id) }
            let name = Self.normalise(location.name)
            if !name.isEmpty { byName[name, default: []].append(id) }
        }
        for key in byAddress.keys.sorted() {
            let ids = byAddress[key]!
            for a in ids { for b in ids where a < b {
                for x in used[a] ?? [] { for y in used[b] ?? [] {
                    connect(x, y, note: "Both at \(addresses[a]!).")
                } }
            } }
        }
        for key in byName.keys.sorted() {
            let ids = byName[key]!
            for a in ids { for b in ids where a < b {
                let addressA = addresses[a].map(Self.normalise), addressB = addresses[b].map(Self.normalise)
                guard addressA == nil || addressB == nil || addressA == addressB else { continue }
                for x in used[a] ?? [] { for y in used[b] ?? [] {
                    connect(x, y, note: "Both at \(locations[a]!.name).")
                } }
            } }
        }
        var result: [String: [ImportedProfile.PendingConnection]] = [:]
        for (first, others) in pairs {
            result[first] = others.keys.sorted { order[$0]! < order[$1]! }.map {
                ImportedProfile.PendingConnection(to: "hsds:" + $0, kind: Self.sharedSiteKind, note: others[$0])
            }
        }
        return result
    }

    // MARK: Helpers

    /// Lowercase letters and digits only, for comparing names and addresses.
    static func normalise(_ text: String) -> String {
        String(String.UnicodeScalarView(text.lowercased().unicodeScalars.filter {
            $0.properties.isAlphabetic || ("0"..."9").contains($0)
        }))
    }

    /// Splits `a, b (c, d), e` on commas outside parentheses.
    static func splitList(_ text: String) -> [String] {
        var items: [String] = []
        var current = ""
        var depth = 0
        for c in text {
            switch c {
            case "(": depth += 1; current.append(c)
            case ")": depth = max(0, depth - 1); current.append(c)
            case "," where depth == 0, ";" where depth == 0:
                items.append(current)
                current = ""
            default: current.append(c)
            }
        }
        items.append(current)
        return items.map { $0.trimmed }.filter { !$0.isEmpty }
    }

    /// The texts in order, without repeats (compared without regard to case).
    static func unique(_ texts: [String]) -> [String] {
        var seen: Set<String> = []
        return texts.filter { seen.insert($0.lowercased()).inserted }
    }
}

/// The type given to an imported organisation.
///
/// An organisation is an `institution` when its name, other name or legal
/// status contains one of `institutionWords` as a whole word, or its e-mail or
/// website is under a public-sector domain (`.gov`, `.gov.uk`, `.edu`,
/// `.ac.uk`, `.sch.uk`, `.nhs.uk`, `.police.uk`, `.mil`). Every other
/// organisation is an `association`: the usual case for community groups and
/// charities, and easy to change by hand.
enum AssetTypeRule {
    static let institutionWords: [String] = [
        "library", "libraries", "school", "academy", "college", "university", "hospital", "clinic",
        "surgery", "council", "government", "department", "ministry", "municipal", "county", "borough",
        "city hall", "town hall", "police", "fire station", "fire department", "museum", "court", "nhs",
        "public health", "health centre", "health center", "jobcentre", "job centre",
    ]

    static let publicDomains = [".gov", ".gov.uk", ".edu", ".ac.uk", ".sch.uk", ".nhs.uk", ".police.uk", ".mil"]

    static func type(name: String, alternateName: String, legalStatus: String, addresses: [String]) -> String {
        let text = " " + [name, alternateName, legalStatus].map { HSDSImporter.normaliseWords($0) }.joined(separator: " ") + " "
        if institutionWords.contains(where: { text.contains(" \($0) ") }) { return "institution" }
        for address in addresses {
            let host: String
            if let at = address.lastIndex(of: "@") {
                host = String(address[address.index(after: at)...]).lowercased()
            } else {
                host = AddressRepair.host(of: address)?.lowercased() ?? ""
            }
            if publicDomains.contains(where: { host.hasSuffix($0) }) { return "institution" }
        }
        return "association"
    }
}

extension HSDSImporter {
    /// Lowercase words separated by single spaces, punctuation removed.
    static func normaliseWords(_ text: String) -> String {
        var out = ""
        var pending = false
        for scalar in text.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                if pending, !out.isEmpty { out += " " }
                pending = false
                out.unicodeScalars.append(scalar)
            } else if scalar != "'" && scalar != "\u{2019}" {
                pending = true
            }
        }
        return out
    }
}
