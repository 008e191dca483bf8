import Diagnostics

/// Reads the front matter of a story (content/stories/*.md).
enum StoryReader {
    static let knownFields = FieldNames(["title", "date", "author", "summary", "assets", "tags", "image", "draft"])

    static let examples: [String: String] = [
        "title": "title: How the pantry found a home",
        "date": "date: 2026-03-14",
        "author": "author: Grace Adeyemi",
        "summary": "summary: One sentence about what happened",
        "assets": "assets: [northside-community-pantry, old-fire-station]",
        "tags": "tags: [food, volunteering]",
        "image": "image: {src: media/pantry.jpg, alt: Volunteers unloading crates of vegetables}",
        "src": "src: media/pantry.jpg",
        "alt": "alt: Volunteers unloading crates of vegetables",
        "draft": "draft: true",
    ]

    static func read(_ document: Document, context: SiteContext, collector: Collector) -> Story? {
        let fields = document.fields(examples: examples, collector: collector)
        let title = fields.text("title", required: true)
        let date = fields.date("date", required: true)
        let author = fields.text("author")
        let summary = fields.text("summary")
        let assets = readAssets(fields, context: context)
        let tags = fields.textList("tags", allowSingle: false).map(\.text)
        let image = ImageReader.read(fields, context: context)
        let draft = fields.bool("draft") ?? false
        fields.warnUnknown(known: knownFields, what: "a story")

        guard let title, let date else { return nil }
        return Story(
            slug: document.slug, sourcePath: document.path, source: document.file, title: title, date: date,
            author: author, summary: summary, assets: assets, tags: tags, image: image, draft: draft,
            body: document.parts.body, bodyStartLine: document.parts.bodyStartLine,
            bodyStartOffset: document.parts.bodyStartOffset)
    }

    private static func readAssets(_ fields: Fields, context: SiteContext) -> [SlugReference] {
        var references: [SlugReference] = []
        var firstLine = FirstLines()
        for (text, node) in fields.textList("assets", allowSingle: true) {
            guard let slug = References.resolve(text, node: node, noun: "asset", fields: fields, context: context) else {
                continue
            }
            let position = References.position(of: node, in: fields.file)
            if let line = firstLine[slug] {
                fields.report(.duplicateReference, "`\(slug)` is listed twice in `assets`", at: Fields.target(node),
                              notes: ["first listed on line \(line)"], help: "remove the second mention")
                continue
            }
            firstLine.record(slug, line: position.line)
            references.append(SlugReference(slug: slug, line: position.line, column: position.column,
                                            width: position.width))
        }
        return references
    }
}

/// Reads the front matter of a free page (content/pages/*.md).
enum PageReader {
    static let knownFields = FieldNames(["title", "summary", "weight", "draft"])

    static let examples: [String: String] = [
        "title": "title: About this directory",
        "summary": "summary: Who keeps this directory and how",
        "weight": "weight: 10",
        "draft": "draft: true",
    ]

    static func read(_ document: Document, collector: Collector) -> Page? {
        let fields = document.fields(examples: examples, collector: collector)
        let title = fields.text("title", required: true)
        let summary = fields.text("summary")
        let weight = fields.integer("weight", in: -1_000_000...1_000_000)
        let draft = fields.bool("draft") ?? false
        fields.warnUnknown(known: knownFields, what: "a page")

        guard let title else { return nil }
        return Page(
            slug: document.slug, sourcePath: document.path, source: document.file, title: title, summary: summary,
            weight: weight ?? 0, draft: draft, body: document.parts.body,
            bodyStartLine: document.parts.bodyStartLine, bodyStartOffset: document.parts.bodyStartOffset)
    }
}
