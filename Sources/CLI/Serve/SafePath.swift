import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns the path of a request into a file of the output folder, refusing
/// everything that could name a file elsewhere.
///
/// The path is taken as it arrived (still percent-encoded) and split on `/`
/// before each part is decoded, so `%2f` cannot make a separator. A part that
/// decodes to `.`, `..`, a name starting with `.`, or holds `/`, `\`, NUL or
/// another control character is refused, as is a raw backslash, an empty
/// part inside the path (`//`) and percent-encoding that is not UTF-8. Every
/// folder on the way and the file itself must be real folders and files,
/// not symbolic links, and the file's real path must lie inside the output.
enum SafePath {
    enum Resolution: Equatable, Sendable {
        /// A regular file inside the output folder.
        case file(URL)
        /// A folder asked for without its final `/`: send the browser here.
        case redirect(String)
        /// Nothing there (or a link, which is never followed).
        case notFound
        /// A path that tries to leave the output folder or is malformed.
        case refused
    }

    /// - Parameters:
    ///   - rawPath: the request path before percent-decoding, starting with `/`, without the query.
    ///   - root: the output folder (its real path).
    static func resolve(_ rawPath: String, in root: URL) -> Resolution {
        guard rawPath.hasPrefix("/"), !rawPath.contains("\\"), !rawPath.unicodeScalars.contains(where: isControl) else {
            return .refused
        }
        var parts = rawPath.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let wantsFolder = parts.last == ""
        if wantsFolder { parts.removeLast() }
        var names: [String] = []
        for part in parts {
            guard !part.isEmpty, let name = decode(part), isPlainName(name) else { return .refused }
            names.append(name)
        }

        var current = root
        for name in names {
            current.appendPathComponent(name)
            var info = stat()
            guard lstat(current.path, &info) == 0 else { return .notFound }
            let kind = info.st_mode & S_IFMT
            if kind == S_IFLNK { return .notFound }
            guard kind == S_IFDIR || kind == S_IFREG else { return .notFound }
        }
        var info = stat()
        guard lstat(current.path, &info) == 0 else { return .notFound }
        if info.st_mode & S_IFMT == S_IFDIR {
            guard wantsFolder || names.isEmpty else { return .redirect(rawPath + "/") }
            current.appendPathComponent("index.html")
            guard lstat(current.path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return .notFound }
        } else if wantsFolder {
            return .notFound
        } else if info.st_mode & S_IFMT != S_IFREG {
            return .notFound
        }
        // Belt and braces: the real path must be inside the real output folder.
        let realRoot = root.resolvingSymlinksInPath().path
        let realFile = current.resolvingSymlinksInPath().path
        guard realFile.hasPrefix(realRoot.hasSuffix("/") ? realRoot : realRoot + "/") else { return .refused }
        return .file(current)
    }

    /// A part of a file name: not empty, not `.` or `..`, not hidden, no separators or control characters.
    static func isPlainName(_ name: String) -> Bool {
        guard !name.isEmpty, !name.hasPrefix(".") else { return false }
        return !name.unicodeScalars.contains { $0 == "/" || $0 == "\\" || isControl($0) }
    }

    /// Percent-decoding that refuses malformed escapes and text that is not UTF-8.
    static func decode(_ part: String) -> String? {
        var bytes: [UInt8] = []
        var utf8 = part.utf8.makeIterator()
        while let byte = utf8.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = utf8.next().flatMap(hexValue), let low = utf8.next().flatMap(hexValue) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(bytes: bytes, encoding: .utf8)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F
    }
}

/// Content types by file extension, for what a Kith site holds.
enum ContentTypes {
    static let byExtension: [String: String] = [
        "html": "text/html; charset=utf-8", "htm": "text/html; charset=utf-8",
        "css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8", "mjs": "text/javascript; charset=utf-8",
        "json": "application/json", "geojson": "application/geo+json", "xml": "application/xml",
        "atom": "application/atom+xml", "rss": "application/rss+xml", "txt": "text/plain; charset=utf-8",
        "md": "text/plain; charset=utf-8", "csv": "text/csv; charset=utf-8", "svg": "image/svg+xml",
        "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp",
        "avif": "image/avif", "ico": "image/x-icon", "pdf": "application/pdf", "woff": "font/woff",
        "woff2": "font/woff2", "ttf": "font/ttf", "otf": "font/otf", "mp3": "audio/mpeg", "ogg": "audio/ogg",
        "mp4": "video/mp4", "webm": "video/webm", "webmanifest": "application/manifest+json", "wasm": "application/wasm",
    ]

    static func type(for url: URL) -> String {
        let ext = url.pathExtension.lowercased()
        if url.lastPathComponent == "feed.xml" { return "application/atom+xml" }
        return byExtension[ext] ?? "application/octet-stream"
    }
}
