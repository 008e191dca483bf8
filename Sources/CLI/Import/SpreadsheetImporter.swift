import Diagnostics
import Foundation

/// Turns a spreadsheet export (CSV, one row per asset) into asset profiles.
///
/// Column names are matched to content-model fields without regard to case,
/// spaces, hyphens or underscores (`Opening hours` is `hours`); a few common
/// other names are accepted (`Name` for `title`, `URL` for `website`). An
/// unknown column, a missing `title`, `type` or `summary` column, or a field
/// given by two columns stops the import before anything is written, with
/// the file, line and column and the nearest known name.
///
/// Lists (`tags`, `area`, `languages`, `gifts`, `needs`) are separated by `;`
/// when the cell has one, else by `,`.
struct SpreadsheetImporter {
    /// A content-model field and the other column names that mean it.
    struct Field: Sendable {
        var name: String
        var aliases: [String]
    }

    static let fields: [Field] = [
        Field(name: "id", aliases: ["identifier", "ref", "reference"]),
        Field(name: "slug", aliases: ["file", "file_name", "filename"]),
        Field(name: "title", aliases: ["name", "asset", "organisation", "organization"]),
        Field(name: "type", aliases: ["kind", "asset_type", "category_type"]),
        Field(name: "summary", aliases: ["short_description", "one_line", "tagline"]),
        Field(name: "description", aliases: ["body", "details", "about", "text", "long_description", "notes"]),
        Field(name: "area", aliases: ["areas", "neighbourhood", "neighborhood", "ward", "district"]),
        Field(name: "tags", aliases: ["tag", "keywords", "categories", "category"]),
        Field(name: "address", aliases: ["postal_address", "street_address", "location"]),
        Field(name: "lat", aliases: ["latitude"]),
        Field(name: "lon", aliases: ["lng", "long", "longitude"]),
        Field(name: "email", aliases: ["e_mail", "email_address", "mail"]),
        Field(name: "phone", aliases: ["telephone", "tel", "phone_number", "telephone_number"]),
        Field(name: "website", aliases: ["url", "web", "web_site", "homepage", "web_address"]),
        Field(name: "hours", aliases: ["opening_hours", "opening_times", "times", "when"]),
        Field(name: "cost", aliases: ["fees", "fee", "price", "costs"]),
        Field(name: "languages", aliases: ["language", "languages_spoken"]),
        Field(name: "accessibility", aliases: ["access", "access_notes"]),
        Field(name: "audience", aliases: ["who_for", "who_it_is_for", "for_whom"]),
        Field(name: "gifts", aliases: ["offers", "can_share"]),
        Field(name: "needs", aliases: ["seeks", "looking_for", "wants"]),
        Field(name: "status", aliases: []),
        Field(name: "updated", aliases: ["last_checked", "checked", "last_updated"]),
        Field(name: "public_contact", aliases: ["publish_contact"]),
        Field(name: "draft", aliases: []),
    ]

    static let requiredFields = ["title", "type", "summary"]

    static let builtInTypes = ["individual", "association", "institution", "space", "economy", "culture"]

    /// Reads the file and maps every row.
    /// - Throws: `DiagnosticList` when the file cannot be read or its columns are wrong.
    static func read(file: URL, displayPath: String) throws -> ImportBatch {
        let table: CSVTable
        var diagnostics: [Diagnostic]
        do {
            (table, diagnostics) = try CSVReader.read(file, displayPath: displayPath)
        } catch let error as CSVReadError {
            throw DiagnosticList([error.diagnostic])
        }
        let (columns, headerProblems) = mapColumns(table)
        diagnostics += headerProblems
        if headerProblems.contains(where: { $0.severity == .error }) {
            throw DiagnosticList(DiagnosticBag.sort(diagnostics))
        }
        var profiles: [ImportedProfile] = []
        for row in table.rows {
            if let profile = profile(row, table: table, columns: columns, diagnostics: &diagnostics) {
                profiles.append(profile)
            }
        }
        return ImportBatch(source: "csv", profiles: profiles, diagnostics: diagnostics)
    }

    /// The column index of each field, and the problems of the header line.
    static func mapColumns(_ table: CSVTable) -> (columns: [String: Int], problems: [Diagnostic]) {
        var lookup: [String: String] = [:]
        for field in fields {
            lookup[field.name] = field.name
            for alias in field.aliases { lookup[alias] = field.name }
        }
        let everyName = fields.map(\.name) + fields.flatMap(\.aliases)
        var columns: [String: Int] = [:]
        var problems: [Diagnostic] = []
        for (index, cell) in table.header.enumerated() {
            let key = CSVTable.fold(cell.text)
            if key.isEmpty {
                let hasValues = table.rows.contains {
                    index < $0.cells.count && !$0.cells[index].text.trimmedSpaces.isEmpty
                }
                if hasValues {
                    problems.append(table.diagnostic(
                        .unknownColumn, "column \(index + 1) has values but no name", at: cell, severity: .error,
                        help: "write the field name, such as `tags`, in the first row of the column"))
                }
                continue
            }
            guard let field = lookup[key] else {
                let suggestion = Suggestions.closest(to: key, in: everyName).map { lookup[$0] ?? $0 }
                problems.append(table.diagnostic(
                    .unknownColumn, "the column `\(cell.text)` is not a field Kith knows", at: cell, severity: .error,
                    label: suggestion.map { "did you mean `\($0)`?" },
                    help: "rename the column to one of: \(fields.map(\.name).joined(separator: ", ")); or delete it"))
                continue
            }
            if let earlier = columns[field] {
                problems.append(table.diagnostic(
                    .duplicateColumn, "the columns `\(table.header[earlier].text)` and `\(cell.text)` both give `\(field)`",
                    at: cell, severity: .error, label: "second column for `\(field)`",
                    help: "keep one of the two columns, or merge them"))
                continue
            }
            columns[field] = index
        }
        let missing = requiredFields.filter { columns[$0] == nil }
        if !missing.isEmpty {
            let last = table.header.last
            let after = last.map { CSVTable.Cell(text: "", line: $0.line, column: $0.column + $0.text.unicodeScalars.count) }
            let names = missing.map { "`\($0)`" }.joined(separator: ", ")
            problems.append(table.diagnostic(
                .missingColumn, "the required column\(missing.count == 1 ? "" : "s") \(names) \(missing.count == 1 ? "is" : "are") missing",
                at: after ?? CSVTable.Cell(text: "", line: 1, column: 1), severity: .error,
                help: "every spreadsheet needs the columns title, type and summary in its first row"))
        }
        return (columns, problems)
    }

    private static func profile(_ row: CSVTable.Row, table: CSVTable, columns: [String: Int],
                                diagnostics: inout [Diagnostic]) -> ImportedProfile? {
        func cell(_ field: String) -> CSVTable.Cell? {
            guard let index = columns[field], index < row.cells.count else { return nil }
            return row.cells[index]
        }
        func raw(_ field: String) -> String {
            cell(field)?.text.trimmed ?? ""
        }
        func line(_ field: String) -> String { TextTools.line(raw(field)) }
        func list(_ field: String) -> [String] {
            let text = line(field)
            let separator: Character = text.contains(";") ? ";" : ","
            return HSDSImporter.unique(text.split(separator: separator).map {
                $0.trimmedSpaces
            }.filter { !$0.isEmpty })
        }
        func warn(_ code: ImportCode, _ field: String, _ message: String, label: String? = nil, help: String) {
            diagnostics.append(table.diagnostic(code, message, at: cell(field), row: row, label: label, help: help))
        }

        let title = line("title")
        guard !title.isEmpty else {
            if row.cells.allSatisfy({ $0.text.trimmedSpaces.isEmpty }) { return nil }
            warn(.missingValue, "title", "this row has no title; it is left out", help: "fill in the title")
            return nil
        }
        let typeText = line("type")
        guard !typeText.isEmpty else {
            warn(.missingValue, "type", "`\(title)` has no type; it is left out",
                 help: "fill in one of: \(builtInTypes.joined(separator: ", "))")
            return nil
        }
        let type = normaliseType(typeText)
        if !builtInTypes.contains(type) {
            let suggestion = Suggestions.closest(to: typeText, in: builtInTypes)
            warn(.unknownType, "type", "`\(typeText)` is not one of the six built-in types",
                 label: suggestion.map { "did you mean `\($0)`?" },
                 help: "the profile is written with type `\(type)`; the build accepts it only when content/site.yml lists it under `types:`")
        }
        let description = RichText(raw("description"))
        var summaryText = line("summary")
        if summaryText.isEmpty { summaryText = description.plain }
        guard !summaryText.isEmpty else {
            warn(.missingValue, "summary", "`\(title)` has no summary; it is left out",
                 help: "write one sentence about what this asset offers")
            return nil
        }
        let summary = TextTools.summary(summaryText)

        let id = raw("id")
        var preferred = Slug.make(title)
        let slugText = raw("slug")
        if !slugText.isEmpty {
            let made = Slug.make(slugText.hasSuffix(".md") ? String(slugText.dropLast(3)) : slugText)
            if !made.isEmpty { preferred = made }
            if !Slug.isValid(slugText) {
                warn(.unusableValue, "slug", "`\(slugText)` is not a slug; `\(made)` is used",
                     help: "use lowercase letters a-z, digits and single hyphens")
            }
        }
        let key = "csv:" + (id.isEmpty ? preferred : id)
        var profile = ImportedProfile(key: key, preferredSlug: preferred, title: title, type: type, summary: summary)
        // A tag or area needs a letter or digit to have a page of its own.
        for (field, keyPath) in [("area", \ImportedProfile.areas), ("tags", \.tags)] {
            let values = list(field)
            let unusable = values.filter { Slug.make($0).isEmpty }
            if !unusable.isEmpty {
                warn(.unusableValue, field, "`\(unusable.joined(separator: "`, `"))` has no letters or digits; it is left out",
                     help: "write a word, such as: food")
            }
            profile[keyPath: keyPath] = values.filter { !Slug.make($0).isEmpty }
        }
        let address = line("address")
        profile.address = address.isEmpty ? nil : address

        let latText = raw("lat"), lonText = raw("lon")
        if !latText.isEmpty || !lonText.isEmpty {
            if let lat = Double(latText.replacingOccurrences(of: ",", with: ".")), (-90...90).contains(lat),
               let lon = Double(lonText.replacingOccurrences(of: ",", with: ".")), (-180...180).contains(lon) {
                profile.geo = (lat, lon)
            } else {
                let bad = Double(latText).map { (-90...90).contains($0) } == true ? "lon" : "lat"
                warn(.unusableValue, bad, "`\(latText)`, `\(lonText)` is not a position; it is left out",
                     help: "write decimal degrees in both columns, such as lat 53.7953 and lon -1.5452")
            }
        }

        var contact: [(String, String)] = []
        let emailText = raw("email")
        if !emailText.isEmpty {
            if let email = AddressRepair.email(emailText) { contact.append(("email", email)) } else {
                warn(.unusableValue, "email", "`\(emailText)` is not an e-mail address; it is left out",
                     help: "write an address such as hello@example.org")
            }
        }
        if let phone = AddressRepair.phone(raw("phone")) { contact.append(("phone", phone)) }
        let websiteText = raw("website")
        if !websiteText.isEmpty {
            if let website = AddressRepair.website(websiteText) { contact.append(("website", website)) } else {
                warn(.unusableValue, "website", "`\(websiteText)` is not a web address; it is left out",
                     help: "write an address such as https://example.org")
            }
        }
        profile.contact = contact

        for (field, keyPath) in [("hours", \ImportedProfile.hours), ("cost", \.cost), ("accessibility", \.accessibility),
                                 ("audience", \.audience)] {
            let value = line(field)
            if !value.isEmpty { profile[keyPath: keyPath] = value }
        }
        profile.languages = list("languages")
        profile.gifts = list("gifts")
        profile.needs = list("needs")

        let status = line("status").lowercased()
        if !status.isEmpty {
            if ["active", "paused", "closed"].contains(status) { profile.status = status == "active" ? nil : status } else {
                warn(.unusableValue, "status", "`\(status)` is not a status; it is left out",
                     label: Suggestions.closest(to: status, in: ["active", "paused", "closed"]).map { "did you mean `\($0)`?" },
                     help: "write active, paused or closed")
            }
        }
        let updated = line("updated")
        if !updated.isEmpty {
            if isDate(updated) { profile.updated = updated } else {
                warn(.unusableValue, "updated", "`\(updated)` is not a date written YYYY-MM-DD; it is left out",
                     help: "write the year, month and day with hyphens, such as 2026-05-06")
            }
        }
        for (field, keyPath) in [("public_contact", \ImportedProfile.publicContact), ("draft", \.draft)] {
            let text = line(field).lowercased()
            guard !text.isEmpty else { continue }
            if let flag = boolean(text) {
                profile[keyPath: keyPath] = flag
            } else {
                warn(.unusableValue, field, "`\(text)` is not yes or no; it is left out", help: "write yes or no")
            }
        }
        // Contact details of groups and places are always public: the field only matters for individuals.
        if type != "individual" { profile.publicContact = nil }

        var body: [String] = []
        if summary != summaryText, description.isEmpty { body.append(MarkdownText.blockStart(MarkdownText.escape(summaryText))) }
        if !description.isEmpty, description.plain != summary { body.append(description.markdown) }
        profile.body = body.joined(separator: "\n\n")
        return profile
    }

    /// A built-in type from its slug, label or singular/plural form; else the text as a slug.
    static func normaliseType(_ text: String) -> String {
        let lower = text.trimmedSpaces.lowercased()
        let names: [String: String] = [
            "individuals": "individual", "person": "individual", "people": "individual",
            "associations": "association", "group": "association", "groups": "association",
            "institutions": "institution", "spaces": "space", "place": "space", "places": "space",
            "local economy": "economy", "business": "economy", "businesses": "economy",
            "cultures": "culture",
        ]
        if builtInTypes.contains(lower) { return lower }
        if let name = names[lower] { return name }
        return Slug.make(text)
    }

    static func boolean(_ text: String) -> Bool? {
        switch text {
        case "true", "yes", "y", "1", "x", "on": return true
        case "false", "no", "n", "0", "off": return false
        default: return nil
        }
    }

    /// `YYYY-MM-DD` naming a day that exists.
    static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), day >= 1 else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let length = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= length
    }
}
