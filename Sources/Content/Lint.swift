import Diagnostics
import Foundation

// What `kith check` and `kith new` need from the content module beyond a
// plain load: content that is kept even when some files have errors, the
// settings alone, where each front matter field is written, and calendar days.

/// A content file left out of the content because of errors in its front matter.
public struct UnreadFile: Sendable {
    /// `content/assets/garden.md`
    public var path: String
    /// The whole file, when it could be read at all.
    public var source: SourceFile?
    /// The Markdown after the front matter ("" when the front matter cannot be found).
    public var body: Substring
    public var bodyStartLine: Int
    public var bodyStartOffset: Int
}

/// The result of loading a site for `kith check`.
public struct CheckedContent: Sendable {
    /// Everything that could be read, even when other files have errors; nil
    /// only when the site folder itself cannot be used.
    public var content: ContentSet?
    /// Every problem found, sorted by file and position.
    public var diagnostics: [Diagnostic]
    /// Content files that exist but are missing from `content` because of
    /// their errors. They still exist for links, and their bodies can still be checked.
    public var unread: [UnreadFile]

    /// Whether every file was read without an error.
    public var isComplete: Bool { !diagnostics.contains { $0.severity == .error } }
}

extension ContentLoader {
    /// Loads like `load(root:includeDrafts:)`, but keeps the files that could
    /// be read when others have errors, so that a check can go on to look at
    /// the bodies and links of everything else.
    public static func loadForChecking(root: URL, includeDrafts: Bool) -> CheckedContent {
        let collector = Collector()
        let content = load(root: root, includeDrafts: includeDrafts, collector: collector)
        let diagnostics = DiagnosticBag.sort(collector.diagnostics)
        var read: Set<String> = []
        if let content {
            read.formUnion(content.assets.map(\.sourcePath))
            read.formUnion(content.stories.map(\.sourcePath))
            read.formUnion(content.pages.map(\.sourcePath))
        }
        var unreadPaths: Set<String> = []
        for diagnostic in diagnostics where diagnostic.severity == .error {
            guard let path = diagnostic.path, path.hasSuffix(".md"), !read.contains(path) else { continue }
            let folder = (path as NSString).deletingLastPathComponent
            if ["content/assets", "content/stories", "content/pages"].contains(folder) { unreadPaths.insert(path) }
        }
        // Read again, with the same care as the first time; problems were reported then.
        let site = SiteFolder(root: root, collector: Collector())
        let unread = unreadPaths.sorted().map { path in
            var file = UnreadFile(path: path, source: nil, body: "", bodyStartLine: 1, bodyStartOffset: 0)
            guard let source = site?.read(path) else { return file }
            file.source = source
            if case .success(let parts) = FrontMatter.split(source.text) {
                file.body = parts.body
                file.bodyStartLine = parts.bodyStartLine
                file.bodyStartOffset = parts.bodyStartOffset
            }
            return file
        }
        return CheckedContent(content: content, diagnostics: diagnostics, unread: unread)
    }

    /// Reads `content/site.yml` alone.
    /// - Returns: the settings (nil when the site folder or site.yml is missing),
    ///   whether its `types:` could be read, and the problems found in it.
    public static func loadSettings(root: URL) -> (config: SiteConfig?, typesKnown: Bool, diagnostics: [Diagnostic]) {
        let collector = Collector()
        guard let site = SiteFolder(root: root, collector: collector) else { return (nil, false, collector.diagnostics) }
        let settings = SiteConfigReader.read(site, collector: collector)
        let missing = collector.diagnostics.contains { $0.code == ContentCode.missingSiteConfig.rawValue }
        return (missing ? nil : settings.config, settings.typesKnown, DiagnosticBag.sort(collector.diagnostics))
    }
}

/// Where the top-level fields of a content file's front matter are written,
/// read from the YAML itself (never by searching for text).
public struct FrontMatterFields: Sendable {
    /// One `name: value` line: UTF-8 offsets into the file's text.
    public struct Field: Sendable, Hashable {
        public var name: String
        /// The field name.
        public var nameRange: Range<Int>
        /// The value when it is written on the field's own line, else the field name.
        public var valueRange: Range<Int>
    }

    /// The fields in file order; empty when the front matter cannot be read.
    public let fields: [Field]
    /// The opening `---` of the front matter (the start of the file when it has none).
    public let opening: Range<Int>

    /// Reads the front matter of `source`.
    /// - Complexity: parses the front matter again; call it only for files with something to report.
    public init(_ source: SourceFile) {
        guard case .success(let parts) = FrontMatter.split(source.text) else {
            fields = []
            opening = 0..<1
            return
        }
        opening = parts.openingOffset..<(parts.openingOffset + 3)
        let parsed = YAMLReader.parse(parts.yaml, at: parts.yamlStartOffset, in: source, what: "the front matter")
        fields = (parsed.node?.map ?? []).map { pair in
            Field(name: pair.key, nameRange: pair.keyStart..<max(pair.keyEnd, pair.keyStart + 1),
                  valueRange: Fields.target(pair))
        }
    }

    /// The first field called `name`.
    public subscript(name: String) -> Field? { fields.first { $0.name == name } }
}

/// A day of the Gregorian calendar, as written in front matter (`2026-05-01`).
public struct CalendarDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// A day written `YYYY-MM-DD` that exists on the calendar; nil otherwise.
    public init?(_ text: String) {
        guard CalendarDate.check(text) == .valid else { return nil }
        let parts = text.split(separator: "-").compactMap { Int($0) }
        self.init(unchecked: parts[0], parts[1], parts[2])
    }

    private init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The day it is at `date` in `timeZone` (by default: now, where the computer is).
    public static func today(_ date: Date = Date(), timeZone: TimeZone = .current) -> CalendarDay {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return CalendarDay(unchecked: parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }

    /// The same day `months` later (or earlier, when negative); the 31st
    /// becomes the last day of a shorter month.
    public func adding(months: Int) -> CalendarDay {
        let total = year * 12 + (month - 1) + months
        let newYear = total >= 0 ? total / 12 : (total - 11) / 12
        let newMonth = total - newYear * 12 + 1
        let newDay = min(day, CalendarDate.days(inMonth: newMonth, year: newYear))
        return CalendarDay(unchecked: newYear, newMonth, newDay)
    }

    /// The day after this one.
    public var next: CalendarDay {
        if day < CalendarDate.days(inMonth: month, year: year) { return CalendarDay(unchecked: year, month, day + 1) }
        return month < 12 ? CalendarDay(unchecked: year, month + 1, 1) : CalendarDay(unchecked: year + 1, 1, 1)
    }

    /// Whole months from this day to `later` (negative when `later` comes first).
    public func months(until later: CalendarDay) -> Int {
        var months = (later.year - year) * 12 + (later.month - month)
        if months > 0, later.day < day { months -= 1 }
        if months < 0, later.day > day { months += 1 }
        return months
    }

    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// `2026-05-01`
    public var description: String {
        let y = String(year), m = String(month), d = String(day)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-"
            + (m.count < 2 ? "0" : "") + m + "-" + (d.count < 2 ? "0" : "") + d
    }
}
