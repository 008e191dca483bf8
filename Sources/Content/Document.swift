import Diagnostics
import Foundation

/// A content file split into front matter fields and body, ready to be read as
/// an asset, a story or a page.
struct Document {
    let entry: SiteFolder.Entry
    let file: SourceFile
    let parts: FrontMatter.Parts
    let pairs: [YAMLPair]

    var slug: String { entry.slug }
    var path: String { entry.path }
    /// The opening `---`, where missing fields are reported.
    var opening: Range<Int> { parts.openingOffset..<(parts.openingOffset + 3) }

    func fields(examples: [String: String], collector: Collector) -> Fields {
        Fields(file: file, pairs: pairs, missingAt: opening, examples: examples, collector: collector)
    }

    /// Reads and splits a content file; nil after reporting why it cannot be used.
    static func load(_ entry: SiteFolder.Entry, from site: SiteFolder, collector: Collector) -> Document? {
        guard let file = site.read(entry.path) else { return nil }
        let parts: FrontMatter.Parts
        switch FrontMatter.split(file.text) {
        case .success(let found):
            parts = found
        case .failure(.empty):
            collector.add(Diagnostic(
                .emptyFile, "`\(entry.path)` is empty", path: entry.path,
                help: "start the file with a line `---`, the fields (such as title: …), and another line `---`"))
            return nil
        case .failure(.missingOpening(let offset)):
            let firstLine = file.line(file.location(of: offset).line)
            let toml = firstLine.hasPrefix("+++")
            collector.add(Diagnostic(
                .missingFrontMatter, "the file does not start with front matter", file: file, start: offset,
                end: offset + firstLine.utf8.count - (offset > 0 ? 3 : 0), label: "expected a line `---` here",
                help: toml
                    ? "Kith reads YAML front matter between two lines `---`, not TOML between `+++`"
                    : "add a line `---` at the very top, then the fields (such as title: …), then another line `---` before the text"))
            return nil
        case .failure(.unclosed(let offset)):
            collector.add(Diagnostic(
                .unclosedFrontMatter, "the front matter is never closed", file: file, start: offset, end: offset + 3,
                label: "opened here",
                help: "add a line `---` after the last field, before the text of the page"))
            return nil
        }
        let parsed = YAMLReader.parse(parts.yaml, at: parts.yamlStartOffset, in: file, what: "the front matter")
        collector.add(contentsOf: parsed.diagnostics)
        if parsed.diagnostics.contains(where: { $0.severity == .error }) { return nil }
        var pairs: [YAMLPair] = []
        if let node = parsed.node {
            guard let map = node.map else {
                collector.add(Diagnostic(
                    .notAMapping, "the front matter must be fields written `name: value`, not \(node.kindDescription)",
                    file: file, start: node.start, end: node.end,
                    help: "write one field per line, such as: title: Northside Community Garden"))
                return nil
            }
            pairs = map
        }
        return Document(entry: entry, file: file, parts: parts, pairs: pairs)
    }
}

/// What a reader needs to know about the rest of the site.
struct SiteContext {
    var config: SiteConfig
    /// Whether site.yml's types could be read; when not, unknown types are not reported.
    var typesKnown: Bool
    /// Slugs of every asset file, drafts included.
    var assetSlugs: Set<String>
    /// Files of content/media, relative to it.
    var mediaFiles: Set<String>
    /// The areas site.yml lists, as profiles name them.
    let areaNames: AreaNames

    init(config: SiteConfig, typesKnown: Bool, assetSlugs: Set<String>, mediaFiles: Set<String>) {
        self.config = config
        self.typesKnown = typesKnown
        self.assetSlugs = assetSlugs
        self.mediaFiles = mediaFiles
        areaNames = AreaNames(config.areas)
    }
}

/// How profiles' area names match the areas site.yml lists. A site names
/// few areas, over and over, so each name is matched once for all files,
/// and an unknown one gets its suggestion once: a directory whose areas are
/// missing from site.yml would otherwise work out the same warning for
/// every profile.
final class AreaNames: @unchecked Sendable {
    let declared: [AreaInfo]
    /// The help of every unknown-area warning.
    let help: String
    private let lowercased: [String]
    private let lock = NSLock()
    // Guarded by `lock`.
    private var matches: [String: Match] = [:]

    /// A name as profiles write it: the listed area it names, or else the
    /// closest listed name, if any is close.
    enum Match {
        case listed(String)
        case unknown(suggestion: String?)
    }

    init(_ declared: [AreaInfo]) {
        self.declared = declared
        lowercased = declared.map { $0.name.lowercased() }
        help = "use one of the listed areas (\(declared.map(\.name).joined(separator: ", "))), or add this one to `areas:` in content/site.yml"
    }

    func match(_ name: String) -> Match {
        if let known = lock.withLock({ matches[name] }) { return known }
        let slug = Slug.make(name)
        let lowered = name.lowercased()
        let match: Match
        if let index = declared.indices.first(where: { declared[$0].slug == slug || lowercased[$0] == lowered }) {
            match = .listed(declared[index].name)
        } else {
            match = .unknown(suggestion: Suggestions.closest(to: name, in: declared.map(\.name)))
        }
        lock.withLock { matches[name] = match }
        return match
    }
}

/// Checks of slugs that name assets (connections and story `assets`).
enum References {
    /// The slug written in `node`, if it is a valid slug of an existing asset; reports otherwise.
    /// - Parameter noun: how the reference is named in the message ("connection target").
    static func resolve(_ raw: String, node: YAMLNode, noun: String, fields: Fields, context: SiteContext) -> String? {
        let value = Whitespace.trimSpaces(raw)
        let range = Fields.target(node)
        guard Slug.isValid(value) else {
            var base = value.split(separator: "/").last.map(String.init) ?? value
            if base.hasSuffix(".md") { base.removeLast(3) }
            let suggestion = Slug.make(base)
            let known = context.assetSlugs.contains(suggestion)
            fields.report(.referenceNotSlug, "`\(value)` is not an asset slug", at: range,
                          label: known ? "did you mean `\(suggestion)`?" : nil,
                          help: value.hasSuffix(".md")
                              ? "write the file name without .md\(known ? ": `\(suggestion)`" : "")"
                              : "use the file name of the asset without .md: lowercase letters a-z, digits and hyphens")
            return nil
        }
        guard context.assetSlugs.contains(value) else {
            let suggestion = Suggestions.closest(to: value, in: context.assetSlugs.sorted())
            fields.report(.unknownAsset, "unknown \(noun) `\(value)`", at: range,
                          label: suggestion.map { "did you mean `\($0)`?" },
                          help: "use the file name of a profile in content/assets, without .md")
            return nil
        }
        return value
    }

    static func position(of node: YAMLNode, in file: SourceFile) -> (line: Int, column: Int, width: Int) {
        let start = file.quickLocation(of: node.start)
        let end = file.quickLocation(of: max(node.end, node.start + 1))
        let width = end.line == start.line ? max(1, end.column - start.column) : 1
        return (start.line, start.column, width)
    }
}

/// The line where each slug a list names was first listed. Lists are short:
/// a few slugs are searched in turn, and a dictionary is made only for more.
struct FirstLines {
    private var few: [(slug: String, line: Int)] = []
    private var many: [String: Int] = [:]
    private static let fewest = 16

    subscript(slug: String) -> Int? {
        if few.count < Self.fewest {
            for entry in few where entry.slug == slug { return entry.line }
            return nil
        }
        return many[slug]
    }

    /// Records a slug not recorded yet.
    mutating func record(_ slug: String, line: Int) {
        if few.count < Self.fewest {
            few.append((slug, line))
            if few.count == Self.fewest {
                many = Dictionary(few, uniquingKeysWith: { first, _ in first })
            }
        } else {
            many[slug] = line
        }
    }
}

/// The `image` field shared by assets and stories.
enum ImageReader {
    static let imageFields = FieldNames(["src", "alt"])
    static let altHelp = "add alt text: a few words describing the picture for people who cannot see it, such as: alt: Volunteers planting apple trees beside the canal"

    static func read(_ fields: Fields, context: SiteContext) -> ImageRef? {
        guard let pair = fields.pair("image"), !pair.value.isNull else { return nil }
        var source: (text: String, node: YAMLNode)?
        var alt: String?
        switch pair.value.value {
        case .scalar(let raw):
            source = (Whitespace.trimSpaces(raw), pair.value)
            fields.report(.incompleteImage, "the image has no alt text", at: Fields.target(pair),
                          label: "only the file is given",
                          help: "write the image as {src: …, alt: …}; " + altHelp)
        case .list:
            fields.report(.wrongType, "`image` must be a group of fields with `src` and `alt`, not a list",
                          at: Fields.target(pair), help: "write it like this: \(fields.example("image"))")
            return nil
        case .map:
            guard let inner = fields.nested("image") else { return nil }
            if let srcPair = inner.pair("src") {
                if let text = inner.text(of: srcPair, required: true) { source = (text, srcPair.value) }
            } else {
                inner.report(.incompleteImage, "the image has no `src`", at: inner.missingAt,
                             help: "add the picture's file in content/media, such as: src: media/garden.jpg")
            }
            if let altPair = inner.pair("alt") {
                if altPair.value.isNull || (altPair.value.scalar.map(Fields.oneLine)?.isEmpty ?? false) {
                    inner.report(.incompleteImage, "the alt text of the image is empty",
                                 at: altPair.keyStart..<max(altPair.keyEnd, altPair.keyStart + 1), help: altHelp)
                } else {
                    alt = inner.text(of: altPair, required: true)
                }
            } else {
                inner.report(.incompleteImage, "the image has no alt text", at: inner.missingAt, help: altHelp)
            }
            inner.warnUnknown(known: imageFields, what: "an image")
        }
        guard let source, let src = checkSource(source.text, node: source.node, fields: fields, context: context) else {
            return nil
        }
        guard let alt else { return nil }
        return ImageRef(src: src, alt: alt)
    }

    /// `media/…` naming a file of content/media.
    private static func checkSource(_ src: String, node: YAMLNode, fields: Fields, context: SiteContext) -> String? {
        let range = Fields.target(node)
        let lower = src.lowercased()
        if lower.contains("://") || lower.hasPrefix("//") || lower.hasPrefix("data:") {
            fields.report(.imageOutsideMedia, "the image must be a file in content/media, not a web address",
                          at: range, help: "save the picture in content/media/ and write src: media/<file name>")
            return nil
        }
        let segments = src.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let cleaned = segments.filter { !$0.isEmpty && $0 != "." && $0 != ".." }
        let suggestion = cleaned.first == "media" && cleaned.count > 1 ? cleaned.joined(separator: "/") : nil
        if src.hasPrefix("/") || src.contains("\\") || segments.contains("..") || segments.contains(".")
            || segments.contains("") || segments.first != "media" || segments.count < 2 {
            let problem = segments.contains("..") ? "must not contain `..`"
                : src.hasPrefix("/") ? "must be a relative path starting with `media/`"
                : "must start with `media/`"
            fields.report(.imageOutsideMedia, "the image path `\(src)` \(problem)", at: range,
                          label: suggestion.map { "did you mean `\($0)`?" },
                          help: "put the picture in content/media/ and write its path from there, such as: src: media/garden.jpg")
            return nil
        }
        let inner = segments.dropFirst().joined(separator: "/")
        guard context.mediaFiles.contains(inner) else {
            let candidates = context.mediaFiles.sorted()
            let match = candidates.first { $0.lowercased() == inner.lowercased() }
                ?? Suggestions.closest(to: inner, in: candidates)
            fields.report(.imageNotFound, "`\(src)` is not in content/media", at: range,
                          label: match.map { "did you mean `media/\($0)`?" },
                          help: "add the picture to content/media/, or correct the file name (capital letters matter)")
            return nil
        }
        return src
    }
}

extension SourceFile {
    /// `location(of:)`, with the characters before the offset counted on
    /// the line's bytes rather than on a copy of them.
    func quickLocation(of offset: Int) -> SourceLocation {
        let found = text.utf8.withContiguousStorageIfAvailable { bytes -> SourceLocation? in
            let clamped = max(0, min(offset, bytes.count))
            // An offset inside a character's bytes is left to `location(of:)`.
            if clamped < bytes.count, bytes[clamped] & 0xC0 == 0x80 { return nil }
            var low = 0
            var high = lineStarts.count - 1
            while low < high {
                let mid = (low + high + 1) / 2
                if lineStarts[mid] <= clamped { low = mid } else { high = mid - 1 }
            }
            // Every scalar has one byte that is not a continuation byte (10xxxxxx).
            var scalars = 0
            for index in lineStarts[low]..<clamped where bytes[index] & 0xC0 != 0x80 { scalars += 1 }
            return SourceLocation(line: low + 1, column: scalars + 1)
        }
        if let found, let location = found { return location }
        return location(of: offset)
    }
}
