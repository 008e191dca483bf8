import Diagnostics
import Foundation
import Markdown

/// Turns links in Markdown bodies that name content files (`garden.md`,
/// `../stories/x.md#part`, `../media/hall.jpg`) into URLs relative to the
/// page being written, and reports links to files that do not exist.
struct LinkResolver: Sendable {
    /// Published content files (`content/assets/garden.md`) → site path.
    let pages: [String: String]
    /// The site paths of published pages (`assets/garden/`).
    let sitePaths: Set<String>
    /// Media files, as `content/media/…` paths.
    let media: Set<String>
    private let files: FileList

    /// Every content file that exists, drafts included. Only a link to a
    /// file that is not published needs it, so it is made the first time
    /// one is met, if ever.
    var allFiles: Set<String> { files.value }

    init(pages: [String: String], allFiles: Set<String>, sitePaths: Set<String>, media: Set<String>) {
        self.init(pages: pages, sitePaths: sitePaths, media: media, listingFiles: { allFiles })
    }

    /// - Parameter listingFiles: makes `allFiles`, at most once, when it is first needed.
    init(pages: [String: String], sitePaths: Set<String>, media: Set<String>,
         listingFiles: @escaping @Sendable () -> Set<String>) {
        self.pages = pages
        self.sitePaths = sitePaths
        self.media = media
        files = FileList(listingFiles)
    }

    /// A set made on first use, by whichever thread needs it first.
    private final class FileList: @unchecked Sendable {
        private let lock = NSLock()
        private let make: @Sendable () -> Set<String>
        // Guarded by `lock`.
        private var made: Set<String>?

        init(_ make: @escaping @Sendable () -> Set<String>) { self.make = make }

        var value: Set<String> {
            lock.withLock {
                if let made { return made }
                let value = make()
                made = value
                return value
            }
        }
    }

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
        let trimmed = Self.trimmingWhitespace(destination)
        if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix("/") || Self.hasScheme(trimmed) {
            return .external
        }
        let (path, suffix) = Self.splitSuffix(trimmed)
        let decoded = path.utf8.contains(UInt8(ascii: "%")) ? (path.removingPercentEncoding ?? path) : path
        let folder = Self.folder(of: sourcePath)
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

    /// The text without the blanks (spaces, tabs and the other Unicode
    /// spaces) at either end, as Foundation trims `.whitespaces`. Most
    /// destinations start and end with a visible ASCII character, and are
    /// returned as they are.
    static func trimmingWhitespace(_ text: String) -> String {
        guard let first = text.utf8.first, let last = text.utf8.last else { return text }
        func isVisibleASCII(_ byte: UInt8) -> Bool { byte < 0x80 && byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\t") }
        if isVisibleASCII(first), isVisibleASCII(last) { return text }
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// The destination cut before its first `#` or `?`, and what follows from there (`""` when neither is there).
    static func splitSuffix(_ destination: String) -> (path: String, suffix: String) {
        // In ASCII text every byte is a character of its own, so the bytes can be searched.
        if destination.utf8.allSatisfy({ $0 < 0x80 }) {
            let bytes = destination.utf8
            guard let cut = bytes.firstIndex(where: { $0 == UInt8(ascii: "#") || $0 == UInt8(ascii: "?") }) else {
                return (destination, "")
            }
            return (String(destination[..<cut]), String(destination[cut...]))
        }
        guard let cut = destination.firstIndex(where: { $0 == "#" || $0 == "?" }) else { return (destination, "") }
        return (String(destination[..<cut]), String(destination[cut...]))
    }

    /// The folder of a content file (`content/assets/x.md` → `content/assets`),
    /// as `NSString.deletingLastPathComponent` gives it. The plain paths of
    /// content files (ASCII, no leading, trailing or doubled `/`) are cut at
    /// their last `/` directly.
    static func folder(of path: String) -> String {
        let bytes = path.utf8
        let slash = UInt8(ascii: "/")
        var previous: UInt8 = slash
        var lastSlash: String.Index?
        var plain = !bytes.isEmpty && bytes.last != slash
        for index in bytes.indices where plain {
            let byte = bytes[index]
            if byte >= 0x80 || (byte == slash && previous == slash) { plain = false }
            if byte == slash { lastSlash = index }
            previous = byte
        }
        guard plain else { return (path as NSString).deletingLastPathComponent }
        guard let lastSlash else { return "" }
        return String(path[..<lastSlash])
    }

    /// `content/assets/../stories/x.md` → `content/stories/x.md`; nil when it climbs above the top.
    static func normalise(_ path: String) -> String? {
        if let normalised = normaliseASCII(path) { return normalised }
        return normaliseCharacters(path)
    }

    /// `normalise` for any text, over its characters.
    static func normaliseCharacters(_ path: String) -> String? {
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

    /// `normalise` for ASCII text, where each byte is a character, worked out
    /// on the bytes; `.some(nil)` when the path climbs above the top, nil for
    /// text that is not ASCII.
    private static func normaliseASCII(_ path: String) -> String?? {
        var text = path
        return text.withUTF8 { bytes -> String?? in
            let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
            if bytes.contains(where: { $0 >= 0x80 }) { return nil }
            // The kept parts, as ranges of `bytes`.
            var parts: [Range<Int>] = []
            var start = 0
            var index = 0
            let count = bytes.count
            while index <= count {
                if index == count || bytes[index] == slash {
                    let length = index - start
                    if length == 1, bytes[start] == dot {
                        // `.`: nothing to keep.
                    } else if length == 2, bytes[start] == dot, bytes[start + 1] == dot {
                        guard !parts.isEmpty else { return .some(nil) }
                        parts.removeLast()
                    } else if length > 0 {
                        parts.append(start..<index)
                    }
                    start = index + 1
                }
                index += 1
            }
            var joined: [UInt8] = []
            joined.reserveCapacity(count)
            for (position, part) in parts.enumerated() {
                if position > 0 { joined.append(slash) }
                joined.append(contentsOf: bytes[part])
            }
            return .some(String(decoding: joined, as: UTF8.self))
        }
    }

    /// `SitePaths.relative(from:to:)`, worked out on the bytes when both
    /// paths are ASCII (each byte a character of its own), which is how
    /// content links almost always are.
    static func relative(from: String, to: String) -> String {
        var fromText = from, toText = to
        let answer = fromText.withUTF8 { fromBytes in
            toText.withUTF8 { toBytes in relativeASCII(from: fromBytes, to: toBytes) }
        }
        return answer ?? SitePaths.relative(from: from, to: to)
    }

    private static func relativeASCII(from: UnsafeBufferPointer<UInt8>, to: UnsafeBufferPointer<UInt8>) -> String? {
        if from.contains(where: { $0 >= 0x80 }) || to.contains(where: { $0 >= 0x80 }) { return nil }
        let slash = UInt8(ascii: "/")
        // The target and its `#…` or `?…` suffix.
        let cut = to.firstIndex { $0 == UInt8(ascii: "#") || $0 == UInt8(ascii: "?") } ?? to.count
        var target = Array(to[..<cut])
        if target.isEmpty || target.last == slash { target.append(contentsOf: "index.html".utf8) }
        // The page's folder: all of it when it ends in `/` (or is empty), else up to its last `/`.
        let folderEnd = from.isEmpty || from.last == slash ? from.count : (from.lastIndex(of: slash).map { $0 + 1 } ?? 0)
        func parts(_ bytes: some Collection<UInt8>) -> [ArraySlice<UInt8>] {
            Array(bytes).split(separator: slash, omittingEmptySubsequences: true)
        }
        let fromParts = parts(from[..<folderEnd])
        let toParts = parts(target)
        var common = 0
        while common < fromParts.count, common < toParts.count - 1, fromParts[common] == toParts[common] { common += 1 }
        var out: [UInt8] = []
        out.reserveCapacity(3 * (fromParts.count - common) + target.count + to.count - cut)
        var first = true
        for _ in common..<fromParts.count {
            if !first { out.append(slash) }
            out.append(contentsOf: "..".utf8)
            first = false
        }
        for part in toParts[common...] {
            if !first { out.append(slash) }
            out.append(contentsOf: part)
            first = false
        }
        out.append(contentsOf: to[cut...])
        return String(decoding: out, as: UTF8.self)
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
                return .replace(Self.relative(from: pagePath, to: target))
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
