import Diagnostics

/// One asset profile made from imported data, before it has a file name.
///
/// Connections name other imported profiles by their source key, because
/// file names are only settled when every profile of the import is known.
struct ImportedProfile: Sendable {
    /// Identifies the record across imports: `hsds:<organization id>`, `csv:<id or title>`.
    var key: String
    /// The file name wanted (a slug), before duplicates are numbered; may be empty.
    var preferredSlug: String

    var title: String
    var type: String
    var summary: String
    var areas: [String] = []
    var tags: [String] = []
    var address: String?
    var geo: (lat: Double, lon: Double)?
    /// `email`, `phone`, `website`, in that order when present.
    var contact: [(String, String)] = []
    var hours: String?
    var cost: String?
    var languages: [String] = []
    var accessibility: String?
    var audience: String?
    var gifts: [String] = []
    var needs: [String] = []
    var status: String?
    var updated: String?
    var publicContact: Bool?
    var draft: Bool?
    var connections: [PendingConnection] = []
    /// Markdown.
    var body: String = ""

    struct PendingConnection: Sendable, Equatable {
        /// The `key` of the other profile.
        var to: String
        var kind: String
        var note: String?
    }

    init(key: String, preferredSlug: String, title: String, type: String, summary: String) {
        self.key = key
        self.preferredSlug = preferredSlug
        self.title = title
        self.type = type
        self.summary = summary
    }

    /// The file's text: front matter in a fixed field order, then the body.
    /// - Parameter slugs: the file name of every profile that will exist, by key;
    ///   connections to profiles not in it are left out.
    func render(slugs: [String: String]) -> String {
        var fields: [(String, YAMLValue)] = [
            ("title", .string(title)),
            ("type", .string(type)),
            ("summary", .string(summary)),
        ]
        if areas.count == 1 { fields.append(("area", .string(areas[0]))) }
        if areas.count > 1 { fields.append(("area", .list(areas.map(YAMLValue.string)))) }
        fields.append(("tags", .list(tags.map(YAMLValue.string))))
        if let address { fields.append(("address", .string(address))) }
        if let geo { fields.append(("geo", .map([("lat", .number(geo.lat)), ("lon", .number(geo.lon))]))) }
        fields.append(("contact", .map(contact.map { ($0.0, YAMLValue.string($0.1)) })))
        if let hours { fields.append(("hours", .string(hours))) }
        if let cost { fields.append(("cost", .string(cost))) }
        fields.append(("languages", .list(languages.map(YAMLValue.string))))
        if let accessibility { fields.append(("accessibility", .string(accessibility))) }
        if let audience { fields.append(("audience", .string(audience))) }
        fields.append(("gifts", .list(gifts.map(YAMLValue.string))))
        fields.append(("needs", .list(needs.map(YAMLValue.string))))
        if let status { fields.append(("status", .string(status))) }
        var links: [YAMLValue] = []
        for connection in connections {
            guard let slug = slugs[connection.to] else { continue }
            var entry: [(String, YAMLValue)] = [("to", .string(slug)), ("kind", .string(connection.kind))]
            if let note = connection.note { entry.append(("note", .string(note))) }
            links.append(.map(entry))
        }
        fields.append(("connections", .list(links)))
        if let updated { fields.append(("updated", .string(updated))) }
        if let publicContact { fields.append(("public_contact", .bool(publicContact))) }
        if let draft { fields.append(("draft", .bool(draft))) }

        var text = "---\n" + YAMLWriter.write(fields) + "---\n"
        let trimmedBody = body.trimmed
        if !trimmedBody.isEmpty { text += trimmedBody + "\n" }
        return text
    }
}

/// Everything an import source produced: profiles and the problems found.
struct ImportBatch: Sendable {
    /// Names the source in messages and the import record: `hsds`, `csv`.
    var source: String
    var profiles: [ImportedProfile]
    var diagnostics: [Diagnostic]
}
