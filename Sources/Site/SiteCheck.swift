import Content
import Diagnostics
import Foundation

/// `kith check`: every problem `kith build` would stop at, in every file at
/// once, plus the checks of a directory's upkeep that only `check` runs
/// (K080–K085). Nothing is rendered and nothing is written.
extension SiteBuilder {
    /// Checks the site.
    /// - Parameters:
    ///   - today: the day profiles' `updated` dates are compared with.
    ///   - strict: report warnings as errors.
    /// - Returns: every problem found, sorted by file and position.
    public func check(today: CalendarDay = .today(), strict: Bool = false) -> CheckReport {
        let root = FileSystem.realPath(options.root)
        let site = Self.prepare(root: root, includeDrafts: options.includeDrafts, mode: .check)
        var diagnostics = site.diagnostics
        if let content = site.content {
            let lint = UpkeepCheck(
                content: content, mentions: site.model?.mentions ?? [], today: today,
                checkConnections: !site.hasErrors)
            diagnostics.append(contentsOf: lint.run())
        }
        if strict {
            for index in diagnostics.indices { diagnostics[index].severity = .error }
        }
        // Files left out for their errors were checked too.
        let content = site.content?.addingPlaceholders(for: site.unread)
        return CheckReport(
            diagnostics: DiagnosticBag.sort(diagnostics),
            checked: CheckReport.Counts(
                assets: content?.assets.count ?? 0, stories: content?.stories.count ?? 0,
                pages: content?.pages.count ?? 0, templates: site.templates?.names.count ?? 0),
            strict: strict)
    }
}

/// The codes of the upkeep checks. Each is a warning (an error with `--strict`):
///
/// | code | meaning | example |
/// |---|---|---|
/// | K080 | a profile was last checked longer ago than `stale_after_months` | `updated: 2024-03-01` in late 2026 |
/// | K081 | a profile has no `updated` date | no `updated:` line |
/// | K082 | a profile's `updated` date is more than a day in the future | `updated: 2062-05-01` |
/// | K083 | an individual's contact details are given without `public_contact` | `contact: {phone: …}` on `type: individual` |
/// | K084 | two profiles, stories or pages have the same title | two files with `title: Community Garden` |
/// | K085 | an asset has no connections in either direction | nothing links to it, names it or is named by it |
enum CheckCode: String, CaseIterable, Sendable {
    case stale = "K080"
    case noUpdated = "K081"
    case futureUpdated = "K082"
    case privateContact = "K083"
    case duplicateTitle = "K084"
    case unconnected = "K085"
}

/// The upkeep checks: what keeps a directory trustworthy once it is built.
struct UpkeepCheck {
    let content: ContentSet
    /// Body links between profiles (from the Markdown of each profile).
    let mentions: [SiteModel.Mention]
    let today: CalendarDay
    /// Whether to look for assets with no connections. Left out while the site
    /// has errors: a misspelt connection or broken link may be the missing tie.
    let checkConnections: Bool

    func run() -> [Diagnostic] {
        var found: [Diagnostic] = []
        for asset in content.assets {
            var fields: FrontMatterFields?
            func field(_ name: String) -> FrontMatterFields.Field? {
                if fields == nil { fields = FrontMatterFields(asset.source) }
                return fields?[name]
            }
            func opening() -> Range<Int> {
                if fields == nil { fields = FrontMatterFields(asset.source) }
                return fields!.opening
            }
            found.append(contentsOf: updatedProblems(asset, field: field, opening: opening))
            if let problem = contactProblem(asset, field: field) { found.append(problem) }
        }
        found.append(contentsOf: duplicateTitles(content.assets.map { ($0.title, $0.source) }, noun: "profile"))
        found.append(contentsOf: duplicateTitles(content.stories.map { ($0.title, $0.source) }, noun: "story"))
        found.append(contentsOf: duplicateTitles(content.pages.map { ($0.title, $0.source) }, noun: "page"))
        if checkConnections { found.append(contentsOf: unconnected()) }
        return found
    }

    private func warning(_ code: CheckCode, _ message: String, _ file: SourceFile, _ range: Range<Int>,
                         label: String? = nil, notes: [String] = [], help: String) -> Diagnostic {
        Diagnostic(code: code.rawValue, severity: .warning, message: message, file: file,
                   start: range.lowerBound, end: range.upperBound, label: label, notes: notes, help: help)
    }

    /// K080, K081, K082: when the profile was last checked.
    private func updatedProblems(_ asset: Asset, field: (String) -> FrontMatterFields.Field?,
                                 opening: () -> Range<Int>) -> [Diagnostic] {
        let months = content.config.staleAfterMonths
        let setToday = "updated: \(today)"
        guard let text = asset.updated, let updated = CalendarDay(text) else {
            return [warning(
                .noUpdated, "this profile does not say when its details were last checked", asset.source, opening(),
                label: "no `updated:` date",
                help: "check the details with the people involved, then add the line: \(setToday)")]
        }
        guard let place = field("updated")?.valueRange else { return [] }
        if today.next < updated {
            return [warning(
                .futureUpdated, "the `updated` date \(updated) is in the future", asset.source, place,
                label: "later than today, \(today)",
                help: "write the day the details were last checked, such as today: \(setToday)")]
        }
        guard updated.adding(months: months) < today else { return [] }
        let age = updated.months(until: today)
        return [warning(
            .stale, "this profile was last checked on \(updated), more than \(months) month\(months == 1 ? "" : "s") ago",
            asset.source, place, label: "\(age) month\(age == 1 ? "" : "s") ago",
            notes: ["content/site.yml sets how old a profile may get: stale_after_months: \(months)"],
            help: "ask the people involved whether the details are still right, correct what has changed, then set: \(setToday)")]
    }

    /// K083: an individual's contact details are kept off the site unless they agreed.
    private func contactProblem(_ asset: Asset, field: (String) -> FrontMatterFields.Field?) -> Diagnostic? {
        guard asset.type == "individual", !asset.contact.isEmpty, !asset.publicContact,
              field("public_contact") == nil, let contact = field("contact") else { return nil }
        return warning(
            .privateContact, "\(asset.title)'s contact details will not be shown on the site",
            asset.source, contact.nameRange, label: "hidden: this profile is an individual",
            help: "if \(asset.title) has agreed to have them published, add the line `public_contact: true`; "
                + "if not, add `public_contact: false` to say it is on purpose, or remove the details")
    }

    /// K084: titles that people cannot tell apart in lists and search.
    private func duplicateTitles(_ items: [(title: String, source: SourceFile)], noun: String) -> [Diagnostic] {
        var groups: [String: [(title: String, source: SourceFile)]] = [:]
        for item in items {
            let key = item.title.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
            groups[key, default: []].append(item)
        }
        var found: [Diagnostic] = []
        for group in groups.values where group.count > 1 {
            let ordered = group.sorted { $0.source.path < $1.source.path }
            let first = ordered[0]
            let firstLine = FrontMatterFields(first.source)["title"].map { first.source.location(of: $0.valueRange.lowerBound).line }
            for item in ordered.dropFirst() {
                guard let title = FrontMatterFields(item.source)["title"] else { continue }
                found.append(warning(
                    .duplicateTitle, "another \(noun) has the same title, `\(first.title)`", item.source, title.valueRange,
                    label: "also the title of \(first.source.path)",
                    notes: ["\(first.source.path)\(firstLine.map { ":\($0)" } ?? ""): the same title"],
                    help: "make each title say which one it is, for example by adding the street or area; "
                        + "if both files describe the same \(noun), keep one and delete the other"))
            }
        }
        return found
    }

    /// K085: assets nothing connects to and that connect to nothing.
    private func unconnected() -> [Diagnostic] {
        var connected: Set<String> = []
        for asset in content.assets where !asset.connections.isEmpty {
            connected.insert(asset.slug)
            connected.formUnion(asset.connections.map(\.to))
        }
        for mention in mentions {
            connected.insert(mention.from)
            connected.insert(mention.to)
        }
        for story in content.stories { connected.formUnion(story.assets.map(\.slug)) }
        let example = content.assets.first { connected.contains($0.slug) }?.slug ?? "northside-library"
        return content.assets.filter { !connected.contains($0.slug) }.map { asset in
            warning(
                .unconnected, "`\(asset.title)` has no connections: no profile or story names it, and it names none",
                asset.source, FrontMatterFields(asset.source).opening, label: "alone on the map",
                help: "add who it works with, such as: connections: [{to: \(example), kind: works with}]; "
                    + "or link to another profile in the text, or name it in a story's `assets:`")
        }
    }
}

/// What `kith check` found, ready to print as text or JSON.
public struct CheckReport: Sendable {
    /// How many files of each kind were looked at.
    public struct Counts: Sendable, Hashable {
        public var assets: Int
        public var stories: Int
        public var pages: Int
        public var templates: Int
    }

    /// Sorted by file, then position; with `strict`, every one is an error.
    public var diagnostics: [Diagnostic]
    public var checked: Counts
    public var strict: Bool

    public var errorCount: Int { diagnostics.filter { $0.severity == .error }.count }
    public var warningCount: Int { diagnostics.count - errorCount }
    /// Whether `kith check` exits with 0.
    public var passed: Bool { errorCount == 0 }

    /// Every diagnostic in the detailed style, then one line saying what was checked and found.
    public func text() -> String {
        let renderer = DiagnosticRenderer(style: .detailed)
        var out = diagnostics.map(renderer.render).joined(separator: "\n")
        if !out.isEmpty { out += "\n" }
        let found = diagnostics.isEmpty ? "no problems found" : DiagnosticRenderer.counts(diagnostics)
        out += "checked \(Self.plural(checked.assets, "profile")), \(Self.plural(checked.stories, "story", "stories")), "
            + "\(Self.plural(checked.pages, "page")) and \(Self.plural(checked.templates, "template")): \(found)\n"
        if errorCount > 0 {
            out += "`kith build` would stop at these errors; fix them, then run `kith check` again\n"
        } else if warningCount > 0 {
            out += "warnings do not stop `kith build`; `kith check --strict` counts them as errors\n"
        }
        return out
    }

    /// `{"diagnostics": [...], "summary": {"errors": N, "warnings": M}}`, keys sorted.
    public func json() -> String {
        let document = JSONReport(
            diagnostics: diagnostics.map(JSONDiagnostic.init),
            summary: .init(errors: errorCount, warnings: warningCount))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(document), let text = String(data: data, encoding: .utf8) else {
            return #"{"diagnostics": [], "summary": {"errors": 1, "warnings": 0}}"#
        }
        return text + "\n"
    }

    private static func plural(_ count: Int, _ one: String, _ many: String? = nil) -> String {
        "\(count) \(count == 1 ? one : many ?? one + "s")"
    }
}

/// The JSON shape of a check report.
private struct JSONReport: Encodable {
    struct Summary: Encodable {
        var errors: Int
        var warnings: Int
    }

    var diagnostics: [JSONDiagnostic]
    var summary: Summary
}

/// One diagnostic in JSON; absent values are written as `null`, never left out.
private struct JSONDiagnostic: Encodable {
    var code: String
    var severity: String
    var message: String
    var path: String?
    var line: Int?
    var column: Int?
    var width: Int
    var label: String?
    var notes: [String]
    var help: String?

    init(_ diagnostic: Diagnostic) {
        code = diagnostic.code
        severity = diagnostic.severity.rawValue
        message = diagnostic.message
        path = diagnostic.path
        line = diagnostic.location?.line
        column = diagnostic.location?.column
        width = diagnostic.width
        label = diagnostic.label
        notes = diagnostic.notes
        help = diagnostic.help
    }

    enum CodingKeys: String, CodingKey {
        case code, severity, message, path, line, column, width, label, notes, help
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(severity, forKey: .severity)
        try container.encode(message, forKey: .message)
        try container.encode(path, forKey: .path)
        try container.encode(line, forKey: .line)
        try container.encode(column, forKey: .column)
        try container.encode(width, forKey: .width)
        try container.encode(label, forKey: .label)
        try container.encode(notes, forKey: .notes)
        try container.encode(help, forKey: .help)
    }
}

extension ContentSet {
    /// The content with a stand-in for each file that could not be read
    /// because of errors in its front matter. Its body is still checked, and
    /// links to it are not reported a second time as links to a missing or
    /// unpublished file.
    func addingPlaceholders(for files: [UnreadFile]) -> ContentSet {
        guard !files.isEmpty else { return self }
        var result = self
        let type = config.types.first?.slug ?? "association"
        for file in files {
            let path = file.path
            let slug = String((path as NSString).lastPathComponent.dropLast(3))
            let source = file.source ?? SourceFile(path: path, text: "")
            let body = (file.body, file.bodyStartLine, file.bodyStartOffset)
            switch (path as NSString).deletingLastPathComponent {
            case "content/assets" where !assets.contains { $0.slug == slug }:
                result.assets.append(Asset(
                    slug: slug, sourcePath: path, source: source, title: slug, type: type, summary: "",
                    body: body.0, bodyStartLine: body.1, bodyStartOffset: body.2))
            case "content/stories" where !stories.contains { $0.slug == slug }:
                result.stories.append(Story(
                    slug: slug, sourcePath: path, source: source, title: slug, date: "1970-01-01",
                    body: body.0, bodyStartLine: body.1, bodyStartOffset: body.2))
            case "content/pages" where !pages.contains { $0.slug == slug }:
                result.pages.append(Page(
                    slug: slug, sourcePath: path, source: source, title: slug,
                    body: body.0, bodyStartLine: body.1, bodyStartOffset: body.2))
            default:
                break
            }
        }
        result.assets.sort { $0.slug < $1.slug }
        result.stories.sort { $0.slug < $1.slug }
        result.pages.sort { $0.slug < $1.slug }
        return result
    }
}
