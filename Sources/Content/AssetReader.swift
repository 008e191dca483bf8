import Diagnostics

/// Reads the front matter of an asset profile (content/assets/*.md).
enum AssetReader {
    static let summaryLimit = 200

    static let knownFields: FieldNames = FieldNames([
        "title", "type", "summary", "area", "areas", "tags", "address", "geo", "contact", "hours", "cost",
        "audience", "accessibility", "languages", "gifts", "needs", "status", "connections", "image",
        "updated", "public_contact", "draft",
    ])
    static let geoFields = FieldNames(["lat", "lon"])
    static let connectionFields = FieldNames(["to", "kind", "note"])

    static let examples: [String: String] = [
        "title": "title: Northside Community Garden",
        "type": "type: association",
        "summary": "summary: One sentence about what this asset offers",
        "area": "area: Canal End",
        "areas": "areas: [Canal End, Brook Street]",
        "tags": "tags: [food, gardening]",
        "address": "address: 12 Brook Street, Aldbridge AL4 2FS",
        "geo": "geo: {lat: 53.7953, lon: -1.5452}",
        "lat": "geo: {lat: 53.7953, lon: -1.5452}",
        "lon": "geo: {lat: 53.7953, lon: -1.5452}",
        "contact": "contact: {email: hello@example.org, phone: 01632 960000}",
        "email": "email: hello@example.org",
        "phone": "phone: 01632 960000",
        "website": "website: https://example.org/",
        "hours": "hours: Tuesdays 18:00-20:00",
        "cost": "cost: Free",
        "audience": "audience: Everyone",
        "accessibility": "accessibility: Step-free entrance and an accessible toilet",
        "languages": "languages: [English, Polish]",
        "gifts": "gifts: [seed saving, pruning fruit trees]",
        "needs": "needs: [volunteers on Saturday mornings]",
        "status": "status: active",
        "connections": "connections: [{to: northside-library, kind: meets at}]",
        "to": "to: northside-library",
        "kind": "kind: meets at",
        "note": "note: The group meets in the library's back room.",
        "image": "image: {src: media/garden.jpg, alt: Volunteers planting apple trees}",
        "src": "src: media/garden.jpg",
        "alt": "alt: Volunteers planting apple trees beside the canal",
        "updated": "updated: 2026-05-06",
        "public_contact": "public_contact: true",
        "draft": "draft: true",
    ]

    static let statuses = AssetStatus.allCases.map(\.rawValue)

    /// The asset, or nil when a required field is missing or wrong.
    static func read(_ document: Document, context: SiteContext, collector: Collector) -> Asset? {
        let fields = document.fields(examples: examples, collector: collector)
        let title = fields.text("title", required: true)
        let type = readType(fields, context: context)
        let summary = readSummary(fields)
        let areas = readAreas(fields, context: context)
        let tags = fields.textList("tags", allowSingle: false).map(\.text)
        let address = fields.text("address")
        let geo = readGeo(fields)
        let contact = readContact(fields)
        let hours = fields.text("hours")
        let cost = fields.text("cost")
        let audience = fields.text("audience")
        let accessibility = fields.text("accessibility")
        let languages = fields.textList("languages", allowSingle: true).map(\.text)
        let gifts = fields.textList("gifts", allowSingle: true).map(\.text)
        let needs = fields.textList("needs", allowSingle: true).map(\.text)
        let status = fields.choice("status", among: statuses).flatMap(AssetStatus.init)
        let connections = readConnections(fields, slug: document.slug, context: context)
        let image = ImageReader.read(fields, context: context)
        let updated = fields.date("updated")
        let publicContact = fields.bool("public_contact")
        if let pair = fields.pair("public_contact"), publicContact != nil, let type, type != "individual" {
            fields.report(.publicContactNotIndividual, "`public_contact` only matters for individuals",
                          at: pair.keyStart..<pair.keyEnd,
                          help: "the contact details of groups, places and organisations are always published; remove this line")
        }
        let draft = fields.bool("draft") ?? false
        fields.warnUnknown(known: knownFields, what: "an asset")

        guard let title, let type, let summary else { return nil }
        return Asset(
            slug: document.slug, sourcePath: document.path, source: document.file, title: title, type: type,
            summary: summary, areas: areas, tags: tags, address: address, geo: geo, contact: contact,
            hours: hours, cost: cost, audience: audience, accessibility: accessibility, languages: languages,
            gifts: gifts, needs: needs, status: status ?? .active, connections: connections, image: image,
            updated: updated, publicContact: publicContact ?? false, draft: draft, body: document.parts.body,
            bodyStartLine: document.parts.bodyStartLine, bodyStartOffset: document.parts.bodyStartOffset)
    }

    private static func readType(_ fields: Fields, context: SiteContext) -> String? {
        guard let pair = fields.pair("type") else {
            fields.reportMissing("type")
            return nil
        }
        guard let value = fields.text(of: pair, required: true) else { return nil }
        if context.config.types.contains(where: { $0.slug == value }) || !context.typesKnown { return value }
        let slugs = context.config.types.map(\.slug)
        let byLabel = context.config.types.first {
            $0.label.lowercased() == value.lowercased() || $0.slug == value.lowercased()
        }?.slug
        let suggestion = byLabel ?? Suggestions.closest(to: value, in: slugs)
        fields.report(.unknownType, "unknown asset type `\(value)`", at: Fields.target(pair),
                      label: suggestion.map { "did you mean `\($0)`?" },
                      help: "use one of: \(slugs.joined(separator: ", ")); or add a new type under `types:` in content/site.yml")
        return nil
    }

    private static func readSummary(_ fields: Fields) -> String? {
        guard let pair = fields.pair("summary") else {
            fields.reportMissing("summary")
            return nil
        }
        guard let summary = fields.text(of: pair, required: true) else { return nil }
        // A character takes a byte at least: a summary of no more bytes than
        // the limit is short enough without walking its characters.
        guard summary.utf8.count > summaryLimit else { return summary }
        let length = summary.count
        guard length <= summaryLimit else {
            fields.report(.summaryTooLong,
                          "the summary is \(length) characters long; at most \(summaryLimit) are allowed",
                          at: Fields.target(pair), label: "\(length - summaryLimit) characters too many",
                          help: "shorten it to one sentence; say more in the text below the front matter")
            return nil
        }
        return summary
    }

    /// `area` or `areas`, text or a list; matched against site.yml's areas when it lists any.
    private static func readAreas(_ fields: Fields, context: SiteContext) -> [String] {
        let names: [(text: String, node: YAMLNode)]
        if fields.pair("area") != nil, let second = fields.pair("areas") {
            fields.report(.duplicateField, "both `area` and `areas` are given",
                          at: second.keyStart..<second.keyEnd,
                          help: "use one `area:` field; it can hold a list, such as: \(fields.example("areas"))")
            names = fields.textList("area", allowSingle: true)
        } else {
            names = fields.textList(fields.pair("area") != nil ? "area" : "areas", allowSingle: true)
        }
        let areas = context.areaNames
        guard !areas.declared.isEmpty else { return names.map(\.text) }
        var result: [String] = []
        for (name, node) in names {
            switch areas.match(name) {
            case .listed(let area):
                result.append(area)
            case .unknown(let suggestion):
                // A new area is kept (it gets its own page) but flagged, as it is often a typo.
                fields.report(.unknownArea, "area `\(name)` is not one of the areas listed in content/site.yml", at: Fields.target(node),
                              label: suggestion.map { "did you mean `\($0)`?" }, help: areas.help)
                result.append(name)
            }
        }
        return result
    }

    private static func readGeo(_ fields: Fields) -> Geo? {
        guard let geo = fields.nested("geo") else { return nil }
        let lat = geo.number("lat", in: -90...90)
        let lon = geo.number("lon", in: -180...180)
        geo.warnUnknown(known: geoFields, what: "`geo`")
        guard let lat, let lon else { return nil }
        return Geo(lat: lat, lon: lon)
    }

    private static func readContact(_ fields: Fields) -> [ContactEntry] {
        guard let contact = fields.nested("contact") else { return [] }
        var entries: [ContactEntry] = []
        entries.reserveCapacity(contact.pairs.count)
        for pair in contact.pairs where !pair.value.isNull {
            if let value = contact.text(of: pair, required: false) {
                entries.append(ContactEntry(key: pair.key, value: value))
            }
        }
        return entries
    }

    private static func readConnections(_ fields: Fields, slug: String, context: SiteContext) -> [Connection] {
        guard let pair = fields.pair("connections"), !pair.value.isNull else { return [] }
        guard let items = pair.value.list else {
            fields.report(.wrongType, "`connections` must be a list", at: Fields.target(pair),
                          label: "expected a list",
                          help: "write one entry per connection, such as: \(examples["connections"]!)")
            return []
        }
        var connections: [Connection] = []
        connections.reserveCapacity(items.count)
        var firstLine = FirstLines()
        for item in items where !item.isNull {
            let target: (raw: String, node: YAMLNode)
            var kind = Connection.defaultKind
            var note: String?
            switch item.value {
            case .scalar(let raw):
                target = (raw, item)
            case .list:
                fields.report(.malformedConnection, "each connection must be a group of fields starting with `to:`",
                              at: Fields.target(item), help: "write it like this: - \(examples["to"]!)")
                continue
            case .map(let pairs):
                let entry = Fields(file: fields.file, pairs: pairs,
                                   missingAt: item.start..<max(item.end, item.start + 1),
                                   path: "connections.", examples: examples, collector: fields.collector)
                entry.warnUnknown(known: connectionFields, what: "a connection")
                kind = entry.text("kind") ?? Connection.defaultKind
                note = entry.text("note")
                guard let toPair = entry.pair("to") else {
                    entry.report(.malformedConnection, "this connection does not say which asset it connects to",
                                 at: Fields.target(item).lowerBound..<lineEnd(of: item, in: fields.file),
                                 help: "add `to:` with the file name of the asset, without .md, such as: - \(examples["to"]!)")
                    continue
                }
                guard let raw = toPair.value.scalar, !toPair.value.isNull else {
                    entry.report(.malformedConnection, "`to` must name one asset", at: Fields.target(toPair),
                                 help: "write the file name of the asset, without .md, such as: \(examples["to"]!)")
                    continue
                }
                target = (raw, toPair.value)
            }
            guard let to = References.resolve(target.raw, node: target.node, noun: "connection target",
                                              fields: fields, context: context) else { continue }
            let position = References.position(of: target.node, in: fields.file)
            let range = Fields.target(target.node)
            if to == slug {
                fields.report(.selfConnection, "`\(to)` lists a connection to itself", at: range,
                              label: "this is the asset's own slug",
                              help: "remove this connection; it is left out of the map")
                continue
            }
            if let line = firstLine[to] {
                fields.report(.duplicateReference, "`\(to)` is listed twice in `connections`", at: range,
                              notes: ["first listed on line \(line)"],
                              help: "keep one entry per asset; describe both roles in one `kind` or `note`")
            } else {
                firstLine.record(to, line: position.line)
            }
            connections.append(Connection(to: to, kind: kind, note: note, line: position.line,
                                          column: position.column, width: position.width))
        }
        return connections
    }

    /// The end of the text on the line where `node` starts.
    private static func lineEnd(of node: YAMLNode, in file: SourceFile) -> Int {
        let location = file.location(of: node.start)
        let line = file.line(location.line)
        return file.offset(line: location.line, column: line.unicodeScalars.count + 1)
    }
}
