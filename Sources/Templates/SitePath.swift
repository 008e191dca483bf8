import Foundation

/// The `relative` filter: site paths turned into URLs relative to the page being rendered.
enum SitePath {
    private static let slash = UInt8(ascii: "/")

    /// The URL of `target` (a site path such as `assets/garden/` or
    /// `static/style.css`) as seen from the page at `currentPath`.
    ///
    /// The page's folder is `currentPath` itself when it ends in "/" or is ""
    /// (home), otherwise everything up to its last "/" (`404.html` → ""). A
    /// target that is a folder (ends in "/") or the home page ("") gets
    /// `indexFile` appended. A `?query` or `#fragment` is kept at the end. A
    /// URL with a scheme (`https:`), a protocol-relative `//host` URL and a
    /// bare `#fragment` are returned unchanged.
    ///
    /// From `assets/garden/`: `stories/x/` → `../../stories/x/index.html`, `""` → `../../index.html`.
    /// - Complexity: O(n) in the lengths of the two paths; works on UTF-8 bytes.
    static func relative(_ target: String, from currentPath: String, indexFile: String?) -> String {
        var result: [UInt8] = []
        result.reserveCapacity(target.utf8.count + 16)
        appendRelative(target, from: Array(currentPath.utf8), indexFile: indexFile.map { Array($0.utf8) }, into: &result)
        return String(decoding: result, as: UTF8.self)
    }

    /// `relative`, appending the URL's bytes to `output`.
    static func appendRelative(_ target: String, from currentPath: [UInt8], indexFile: [UInt8]?, into output: inout [UInt8]) {
        var target = target
        target.withUTF8 { bytes in
            currentPath.withUnsafeBufferPointer { page in
                appendRelative(bytes, from: page, indexFile: indexFile, into: &output)
            }
        }
    }

    private static func appendRelative(
        _ bytes: UnsafeBufferPointer<UInt8>, from page: UnsafeBufferPointer<UInt8>, indexFile: [UInt8]?, into output: inout [UInt8]
    ) {
        let count = bytes.count
        if (count >= 1 && bytes[0] == UInt8(ascii: "#")) || (count >= 2 && bytes[0] == slash && bytes[1] == slash) || hasScheme(bytes) {
            output.append(contentsOf: bytes)
            return
        }
        // The path part, without leading slashes and without its ?query or #fragment.
        var pathEnd = 0
        while pathEnd < count, bytes[pathEnd] != UInt8(ascii: "?"), bytes[pathEnd] != UInt8(ascii: "#") { pathEnd += 1 }
        var pathStart = 0
        while pathStart < pathEnd, bytes[pathStart] == slash { pathStart += 1 }

        // The page's folder.
        var folderStart = 0
        while folderStart < page.count, page[folderStart] == slash { folderStart += 1 }
        var folderEnd = page.count
        if folderEnd > folderStart, page[folderEnd - 1] != slash {
            var lastSlash = page.count - 1
            while lastSlash >= 0, page[lastSlash] != slash { lastSlash -= 1 }
            folderEnd = max(lastSlash >= 0 ? lastSlash + 1 : folderStart, folderStart)
        }

        // Step over the folders the two paths share.
        var folder = folderStart
        var path = pathStart
        while true {
            while folder < folderEnd, page[folder] == slash { folder += 1 }
            guard folder < folderEnd else { break }
            var folderSlash = folder
            while folderSlash < folderEnd, page[folderSlash] != slash { folderSlash += 1 }
            guard folderSlash < folderEnd else { break }
            var pathSlash = path
            while pathSlash < pathEnd, bytes[pathSlash] != slash { pathSlash += 1 }
            guard pathSlash < pathEnd, folderSlash - folder == pathSlash - path,
                  memcmp(page.baseAddress! + folder, bytes.baseAddress! + path, folderSlash - folder) == 0 else { break }
            folder = folderSlash + 1
            path = pathSlash + 1
        }
        var ups = 0
        var inSegment = false
        for index in folder..<max(folder, folderEnd) {
            if page[index] == slash {
                if inSegment { ups += 1 }
                inSegment = false
            } else {
                inSegment = true
            }
        }

        let start = output.count
        for _ in 0..<ups {
            output.append(UInt8(ascii: "."))
            output.append(UInt8(ascii: "."))
            output.append(slash)
        }
        if path < pathEnd { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[path..<pathEnd])) }
        if pathStart == pathEnd || bytes[pathEnd - 1] == slash, let indexFile { output.append(contentsOf: indexFile) }
        if output.count == start {
            output.append(UInt8(ascii: "."))
            output.append(slash)
        }
        if pathEnd < count { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[pathEnd...])) }
    }

    /// Whether the text starts with a URL scheme: a letter, then letters,
    /// digits, `+`, `-` or `.`, then `:`.
    static func hasScheme(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var first = true
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                break
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
                if first { return false }
            case UInt8(ascii: ":"):
                return !first
            default:
                return false
            }
            first = false
        }
        return false
    }
}
