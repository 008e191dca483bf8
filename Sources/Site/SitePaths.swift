/// Where each kind of page lives in the output, as site paths: relative to
/// the output folder, folders ending in `/` (their page is `index.html`).
enum SitePaths {
    static func asset(_ slug: String) -> String { "assets/\(slug)/" }
    static func story(_ slug: String) -> String { "stories/\(slug)/" }
    static func page(_ slug: String) -> String { "pages/\(slug)/" }
    static func term(_ kind: TermKind, _ slug: String) -> String { "\(kind.folder)/\(slug)/" }
    static func terms(_ kind: TermKind) -> String { "\(kind.folder)/" }
    static let stories = "stories/"
    static let home = ""
    static let notFound = "404.html"

    /// The folder a page's file goes in, relative to the output: `assets/garden`
    /// for `assets/garden/`; empty for the home page.
    static func folder(of path: String) -> String {
        let file = Self.file(for: path)
        guard let slash = file.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        return String(file[..<slash])
    }

    /// The output file of a site path: folders get `index.html`.
    static func file(for path: String) -> String {
        path.isEmpty || path.hasSuffix("/") ? path + "index.html" : path
    }

    /// A path relative to the page at `from` that reaches `to` (both site paths),
    /// with `index.html` added to folder paths so links also work from disk.
    static func relative(from: String, to: String) -> String {
        var target = to
        var suffix = ""
        if let cut = target.firstIndex(where: { $0 == "#" || $0 == "?" }) {
            suffix = String(target[cut...])
            target = String(target[..<cut])
        }
        if target.isEmpty || target.hasSuffix("/") { target += "index.html" }
        let fromFolder = from.hasSuffix("/") || from.isEmpty ? from : String(from[..<(from.lastIndex(of: "/").map { from.index(after: $0) } ?? from.startIndex)])
        let fromParts = fromFolder.split(separator: "/").map(String.init)
        let toParts = target.split(separator: "/").map(String.init)
        var common = 0
        while common < fromParts.count, common < toParts.count - 1, fromParts[common] == toParts[common] { common += 1 }
        let ups = Array(repeating: "..", count: fromParts.count - common)
        return (ups + toParts[common...]).joined(separator: "/") + suffix
    }
}

/// The three kinds of index page.
enum TermKind: String, Sendable, CaseIterable {
    case type, area, tag

    var folder: String {
        switch self {
        case .type: "types"
        case .area: "areas"
        case .tag: "tags"
        }
    }

    var title: String {
        switch self {
        case .type: "Types"
        case .area: "Areas"
        case .tag: "Tags"
        }
    }
}
