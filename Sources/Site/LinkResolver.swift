import Diagnostics
import Foundation
import Markdown

/// Turns links in Markdown bodies that name content files (`garden.md`,
/// `../stories/x.md#part`, `../media/hall.jpg`) into URLs relative to the
/// page being written, and reports links to files that do not exist.
struct LinkResolver: Sendable {
    /// Published content files (`content/assets/garden.md`) → site path.
    let pages: [String: String]
    /// Every content file that exists, drafts included.
    let allFiles: Set<String>
    /// The site paths of published pages (`assets/garden/`).
    let sitePaths: Set<String>
    /// Media files, as `content/media/…` paths.
    let media: Set<String>

    /// What a link resolved to.
    enum Resolution: Equatable {
        /// Not a content link (web address, fragment): left alone.
        case external
        /// A site path to link to, with any `#fragment` or `?query` kept.
        case sitePath(String)
        case problem(code: String, message: String, label: String?, help: String)
    }

    /// Resolves `destination` as written in the file at `sourcePath`, whose page is at `pagePath`.
    func resolve(_ destination: String, from sourcePath: String, pagePath: String = "") -> Resolution {
        let trimmed = destination.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix("/") || Self.hasScheme(trimmed) {
            return .external
        }
        var path = trimmed
        var suffix = ""
        if let cut = path.firstIndex(where: { $0 == "#" || $0 == "?" }) {
            suffix = String(path[cut...])
            path = String(path[..<cut])
        }
        let decoded = path.removingPercentEncoding ?? path
        let folder = (sourcePath as NSString).deletingLastPathComponent
        guard let resolved = Self.normalise(folder + "/" + decoded), resolved.hasPrefix("content/") else {
            return .problem(
                code: "K060", message: "link to `\(destination)` points outside the content folder",
                label: nil, help: "link to another profile by its file name, e.g. `garden.md` or `../stories/opening-day.md`")
        }
        if let sitePath = pages[resolved] { return .sitePath(sitePath + suffix) }
        if media.contains(resolved) { return .sitePath(String(resolved.dropFirst("content/".count)) + suffix) }
        // `media/x.jpg` written from the content root rather than from the file.
        if media.contains("content/" + decoded) { return .sitePath(decoded + suffix) }
        if allFiles.contains(resolved) {
            return .problem(
                code: "K062", message: "link to `\(destination)`, which is a draft and is not published",
                label: "this page is a draft", help: "publish it (remove `draft: true`) or remove the link")
        }
        if resolved.hasSuffix(".md") {
            let siblings = allFiles.filter { ($0 as NSString).deletingLastPathComponent == (resolved as NSString).deletingLastPathComponent }
            let names = siblings.map { ($0 as NSString).lastPathComponent }
            let guess = Suggestions.closest(to: (resolved as NSString).lastPathComponent, in: names)
            return .problem(
                code: "K061", message: "link to a missing file `\(destination)`",
                label: guess.map { "did you mean `\($0)`?" } ?? "no such file",
                help: "check the file name in \((resolved as NSString).deletingLastPathComponent)/; links name files relative to this one")
        }
        // A link written as a page address relative to this page (`../garden/`).
        if let page = Self.normalise(pagePath + decoded), sitePaths.contains(page + "/") {
            return .sitePath(page + "/" + suffix)
        }
        if resolved.hasPrefix("content/media/") || decoded.hasPrefix("media/") {
            return .problem(
                code: "K063", message: "link to a missing media file `\(destination)`",
                label: "no such file", help: "put the file in content/media/ and link to it as `../media/NAME`")
        }
        return .problem(
            code: "K064", message: "link to `\(destination)`, which is not a page or media file of the site",
            label: nil, help: "link to a profile, story or page by its .md file, or to a file in content/media/")
    }

    /// Whether the text starts with a URL scheme such as `https:` or `mailto:`.
    static func hasScheme(_ text: String) -> Bool {
        var sawLetter = false
        for scalar in text.unicodeScalars {
            if scalar == ":" { return sawLetter }
            let isLetter = (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z")
            let isOther = (scalar >= "0" && scalar <= "9") || scalar == "+" || scalar == "-" || scalar == "."
            if isLetter { sawLetter = true } else if !(isOther && sawLetter) { return false }
        }
        return false
    }

    /// `content/assets/../stories/x.md` → `content/stories/x.md`; nil when it climbs above the top.
    static func normalise(_ path: String) -> String? {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            } else {
                parts.append(part)
            }
        }
        return parts.joined(separator: "/")
    }

    /// Renders a body, rewriting links for the page at `pagePath` and
    /// collecting problems at their real lines in the source file.
    func render(
        body: Substring, bodyStartLine: Int, source: SourceFile, sourcePath: String, pagePath: String,
        options: MarkdownOptions, diagnostics: inout [Diagnostic], linkedPages: inout [String]
    ) -> String {
        var problems: [Diagnostic] = []
        var linked: [String] = []
        let (html, _) = MarkdownRenderer.render(body, options: options) { reference in
            let line = bodyStartLine + reference.line - 1
            func report(_ code: String, _ message: String, _ label: String?, _ help: String) {
                let lineText = source.line(line)
                let lineStart = line - 1 < source.lineStarts.count ? source.lineStarts[line - 1] : 0
                // Underline the destination itself when it can be found after the link's start.
                var start = lineStart
                var end: Int?
                if let range = lineText.range(of: reference.destination) {
                    start = lineStart + lineText.utf8.distance(from: lineText.startIndex, to: range.lowerBound)
                    end = start + reference.destination.utf8.count
                } else {
                    start = lineStart + max(0, reference.column - 1)
                }
                problems.append(Diagnostic(code: code, message: message, file: source, start: start, end: end, label: label, help: help))
            }
            if reference.kind == .image, reference.text.trimmingCharacters(in: .whitespaces).isEmpty {
                report("K065", "image `\(reference.destination)` has no alt text", "add a description between the brackets",
                       "write what the picture shows for people who cannot see it: ![Volunteers planting leeks](../media/garden.jpg)")
            }
            switch resolve(reference.destination, from: sourcePath, pagePath: pagePath) {
            case .external:
                return .keep
            case .sitePath(let target):
                if reference.kind == .link { linked.append(target) }
                return .replace(SitePaths.relative(from: pagePath, to: target))
            case .problem(let code, let message, let label, let help):
                report(code, message, label, help)
                return .keep
            }
        }
        diagnostics.append(contentsOf: problems)
        linkedPages.append(contentsOf: linked)
        return html
    }
}
