import Diagnostics
import Foundation

/// Reads `content/site.yml`.
enum SiteConfigReader {
    static let path = "content/site.yml"

    static let knownFields = ["title", "description", "language", "base_url", "types", "areas",
                              "stale_after_months", "edit_url"]

    static let examples: [String: String] = [
        "title": "title: Northside Community Directory",
        "description": "description: The people, groups and places that make Northside",
        "language": "language: en-GB",
        "base_url": "base_url: https://example.org/northside/",
        "stale_after_months": "stale_after_months: 12",
        "edit_url": "edit_url: https://forge.example/org/directory/edit/main/{path}",
        "types": "types: {faith: {label: Faith groups, colour: \"#7b3f9e\"}}",
        "label": "label: Faith groups",
        "colour": "colour: \"#7b3f9e\"",
        "color": "colour: \"#7b3f9e\"",
        "areas": "areas: [Brook Street, Canal End]",
        "name": "name: Canal End",
        "slug": "slug: canal-end",
    ]

    struct Result {
        /// The settings, with defaults where site.yml has problems.
        var config: SiteConfig
        /// Whether the `types:` could be read, so that unknown asset types can be told apart.
        var typesKnown: Bool
    }

    static func read(_ site: SiteFolder, collector: Collector) -> Result {
        let fallback = Result(config: SiteConfig(title: ""), typesKnown: false)
        let exists = FileManager.default.fileExists(atPath: site.url(path).path)
            || (try? FileManager.default.destinationOfSymbolicLink(atPath: site.url(path).path)) != nil
        guard exists else {
            collector.add(Diagnostic(
                .missingSiteConfig, "`\(path)` is missing", path: path,
                help: "create content/site.yml with at least the line: \(examples["title"]!)"))
            return fallback
        }
        guard let file = site.read(path) else { return fallback }
        let start = file.text.utf8.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let yaml = String(file.text.utf8.dropFirst(start)) ?? ""
        let parsed = YAMLReader.parse(yaml, at: start, in: file, what: "site.yml")
        collector.add(contentsOf: parsed.diagnostics)
        if parsed.diagnostics.contains(where: { $0.severity == .error }) { return fallback }
        let pairs: [YAMLPair]
        if let node = parsed.node {
            guard let map = node.map else {
                collector.add(Diagnostic(
                    .notAMapping, "site.yml must be a list of settings written `name: value`, not \(node.kindDescription)",
                    file: file, start: node.start, end: node.end,
                    help: "start with a line such as: \(examples["title"]!)"))
                return fallback
            }
            pairs = map
        } else {
            pairs = []
        }
        return read(Fields(file: file, pairs: pairs, missingAt: start..<(start + 1), examples: examples,
                           collector: collector))
    }

    static func read(_ fields: Fields) -> Result {
        let title = fields.text("title", required: true) ?? ""
        var config = SiteConfig(title: title)
        config.description = fields.text("description")
        if let language = fields.text("language") {
            if isLanguageTag(language) {
                config.language = language
            } else if let pair = fields.pair("language") {
                fields.report(.invalidSetting, "`language` must be a language tag such as `en` or `en-GB`",
                              at: Fields.target(pair), label: "not a language tag",
                              help: "write the code of the site's main language, such as: \(examples["language"]!)")
            }
        }
        if let base = fields.text("base_url") {
            let lower = base.lowercased()
            if (lower.hasPrefix("https://") || lower.hasPrefix("http://")) && !base.contains(" ") {
                config.baseURL = base.hasSuffix("/") ? base : base + "/"
            } else if let pair = fields.pair("base_url") {
                fields.report(.invalidSetting, "`base_url` must be a web address starting with https://",
                              at: Fields.target(pair), label: "not a web address",
                              help: "write the address where the site will be published, such as: \(examples["base_url"]!)")
            }
        }
        if let months = fields.integer("stale_after_months", in: 1...1200) {
            config.staleAfterMonths = months
        }
        if let edit = fields.text("edit_url") {
            if edit.contains("{path}") {
                config.editURL = edit
            } else if let pair = fields.pair("edit_url") {
                fields.report(.invalidSetting, "`edit_url` must contain `{path}`", at: Fields.target(pair),
                              label: "no `{path}` here",
                              help: "`{path}` stands for the file being edited, such as: \(examples["edit_url"]!)")
            }
        }
        let types = readTypes(fields)
        config.types = types.types
        config.areas = readAreas(fields)
        fields.warnUnknown(known: knownFields, what: "site.yml")
        return Result(config: config, typesKnown: types.readable)
    }

    /// `en`, `en-GB`, `pt-BR`, `zh-Hant`.
    static func isLanguageTag(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            return false
        }
        return parts.dropFirst().allSatisfy { part in
            (1...8).contains(part.count) && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        }
    }

    /// `#rgb` or `#rrggbb`.
    static func isColour(_ text: String) -> Bool {
        guard text.hasPrefix("#") else { return false }
        let digits = text.dropFirst()
        return (digits.count == 3 || digits.count == 6) && digits.allSatisfy(\.isHexDigit)
    }

    // MARK: Types

    /// The built-in types, with any changes from `types:`, then the new types in file order.
    /// Accepts a mapping (`faith: {label: …, colour: …}`, or `faith: Faith groups`) or a
    /// list of entries with `slug`.
    private static func readTypes(_ fields: Fields) -> (types: [AssetTypeInfo], readable: Bool) {
        var types = AssetTypeInfo.builtIn
        guard let pair = fields.pair("types"), !pair.value.isNull else { return (types, true) }

        struct Entry {
            var slug: String
            var slugRange: Range<Int>
            var value: YAMLNode?
            var missingAt: Range<Int>
        }
        var entries: [Entry] = []
        switch pair.value.value {
        case .map(let pairs):
            for item in pairs {
                let range = item.keyStart..<max(item.keyEnd, item.keyStart + 1)
                entries.append(Entry(slug: item.key, slugRange: range, value: item.value, missingAt: range))
            }
        case .list(let items):
            for item in items {
                if let text = item.scalar, !item.isNull {
                    entries.append(Entry(slug: Whitespace.trimSpaces(text), slugRange: Fields.target(item),
                                         value: nil, missingAt: Fields.target(item)))
                } else if let pairs = item.map {
                    let inner = Fields(file: fields.file, pairs: pairs, missingAt: Fields.target(item), path: "types.",
                                       examples: examples, collector: fields.collector)
                    guard let slugPair = inner.pair("slug"), let slug = inner.text(of: slugPair, required: true) else {
                        if inner.pair("slug") == nil {
                            inner.reportMissing("slug", help: "give each type a slug, such as: - {slug: faith, label: Faith groups}")
                        }
                        continue
                    }
                    entries.append(Entry(slug: slug, slugRange: Fields.target(slugPair), value: item,
                                         missingAt: Fields.target(item)))
                } else {
                    fields.report(.malformedType, "each entry of `types` must be a type with a slug and a label",
                                  at: Fields.target(item), help: "write it like this: \(examples["types"]!)")
                }
            }
        case .scalar:
            fields.report(.wrongType, "`types` must be a group of types, not text", at: Fields.target(pair),
                          label: "expected a group of types", help: "write it like this: \(examples["types"]!)")
            return (types, false)
        }

        var seen: Set<String> = []
        for entry in entries {
            guard Slug.isValid(entry.slug) else {
                let suggestion = Slug.make(entry.slug)
                fields.report(.malformedType, "the type `\(entry.slug)` is not a slug", at: entry.slugRange,
                              label: suggestion.isEmpty ? nil : "did you mean `\(suggestion)`?",
                              help: "type slugs use only lowercase letters a-z, digits and hyphens")
                continue
            }
            guard seen.insert(entry.slug).inserted else {
                fields.report(.malformedType, "the type `\(entry.slug)` is declared twice", at: entry.slugRange,
                              help: "keep one entry for each type")
                continue
            }
            var label: String?
            var colour: String?
            if let value = entry.value, !value.isNull {
                if let text = value.scalar {
                    label = Fields.oneLine(text)
                } else if let pairs = value.map {
                    let inner = Fields(file: fields.file, pairs: pairs, missingAt: entry.missingAt, path: "types.\(entry.slug).",
                                       examples: examples, collector: fields.collector)
                    label = inner.text("label")
                    if inner.pair("colour") != nil && inner.pair("color") != nil, let second = inner.pair("color") {
                        inner.report(.duplicateField, "the colour of type `\(entry.slug)` is given twice",
                                     at: second.keyStart..<second.keyEnd, help: "keep either `colour` or `color`")
                    }
                    if let colourPair = inner.pair("colour") ?? inner.pair("color"),
                       let text = inner.text(of: colourPair, required: false) {
                        if isColour(text) {
                            colour = text.lowercased()
                        } else {
                            inner.report(.malformedType, "the colour of type `\(entry.slug)` must be written #rrggbb",
                                         at: Fields.target(colourPair), label: "not a #rrggbb colour",
                                         help: "write a hex colour in quotes, such as: \(examples["colour"]!)")
                        }
                    }
                    inner.warnUnknown(known: ["slug", "label", "colour", "color"], what: "a type")
                } else {
                    fields.report(.malformedType, "the type `\(entry.slug)` must have a label and a colour",
                                  at: Fields.target(value), help: "write it like this: \(examples["types"]!)")
                    continue
                }
            }
            if let index = types.firstIndex(where: { $0.slug == entry.slug }) {
                if let label { types[index].label = label }
                if let colour { types[index].colour = colour }
                continue
            }
            guard let label else {
                fields.report(.malformedType, "the new type `\(entry.slug)` needs a label", at: entry.slugRange,
                              help: "give the name shown to people, such as: \(entry.slug): {label: Faith groups, colour: \"#7b3f9e\"}")
                continue
            }
            types.append(AssetTypeInfo(slug: entry.slug, label: label, colour: colour ?? AssetTypeInfo.defaultColour))
        }
        return (types, true)
    }

    // MARK: Areas

    /// Accepts a list of names or `{name, slug, description}` entries, or a
    /// mapping from slug to name (or to `{name, description}`).
    private static func readAreas(_ fields: Fields) -> [AreaInfo] {
        guard let pair = fields.pair("areas"), !pair.value.isNull else { return [] }
        var areas: [AreaInfo] = []
        var seen: [String: String] = [:]

        func add(slug explicit: String?, name: String, description: String?, at range: Range<Int>) {
            let slug = explicit ?? Slug.make(name)
            if let explicit, !Slug.isValid(explicit) {
                let suggestion = Slug.make(explicit)
                fields.report(.malformedArea, "the area slug `\(explicit)` is not a slug", at: range,
                              label: suggestion.isEmpty ? nil : "did you mean `\(suggestion)`?",
                              help: "area slugs use only lowercase letters a-z, digits and hyphens")
                return
            }
            guard !slug.isEmpty else {
                fields.report(.malformedArea, "the area `\(name)` has no letters or digits to make a web address from",
                              at: range, help: "give the area a `slug` such as: slug: north-ward")
                return
            }
            if let other = seen[slug] {
                fields.report(.malformedArea, "the area `\(name)` is listed twice", at: range,
                              label: other == name ? nil : "same web address as `\(other)`",
                              help: "keep one entry for each area")
                return
            }
            seen[slug] = name
            areas.append(AreaInfo(slug: slug, name: name, description: description))
        }

        func readEntry(_ pairs: [YAMLPair], slug: String?, missingAt: Range<Int>) {
            let inner = Fields(file: fields.file, pairs: pairs, missingAt: missingAt, path: "areas.",
                               examples: examples, collector: fields.collector)
            let explicit = inner.text("slug")
            let named = inner.text("name", required: slug == nil)
            guard let name = named ?? slug else { return }
            let range = inner.pair("name").map(Fields.target) ?? missingAt
            add(slug: explicit ?? slug, name: name, description: inner.text("description"), at: range)
            inner.warnUnknown(known: ["name", "slug", "description"], what: "an area")
        }

        switch pair.value.value {
        case .list(let items):
            for item in items where !item.isNull {
                if let text = item.scalar {
                    add(slug: nil, name: Fields.oneLine(text), description: nil, at: Fields.target(item))
                } else if let pairs = item.map {
                    readEntry(pairs, slug: nil, missingAt: Fields.target(item))
                } else {
                    fields.report(.malformedArea, "each entry of `areas` must be a name or a group with `name`",
                                  at: Fields.target(item), help: "write it like this: \(examples["areas"]!)")
                }
            }
        case .map(let pairs):
            for entry in pairs {
                let range = entry.keyStart..<max(entry.keyEnd, entry.keyStart + 1)
                if entry.value.isNull {
                    add(slug: entry.key, name: entry.key, description: nil, at: range)
                } else if let text = entry.value.scalar {
                    add(slug: entry.key, name: Fields.oneLine(text), description: nil, at: range)
                } else if let inner = entry.value.map {
                    readEntry(inner, slug: entry.key, missingAt: range)
                } else {
                    fields.report(.malformedArea, "the area `\(entry.key)` must be a name or a group with `name`",
                                  at: Fields.target(entry), help: "write it like this: \(examples["areas"]!)")
                }
            }
        case .scalar:
            fields.report(.wrongType, "`areas` must be a list", at: Fields.target(pair),
                          label: "this is text, not a list", help: "write it as a list, such as: \(examples["areas"]!)")
        }
        return areas
    }
}
