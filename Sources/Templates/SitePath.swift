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
        let bytes = Array(target.utf8)
        if bytes.first == UInt8(ascii: "#") || (bytes.count >= 2 && bytes[0] == slash && bytes[1] == slash) || hasScheme(bytes) {
            return target
        }
        // The path part, without leading slashes and without its ?query or #fragment.
        let pathEnd = bytes.firstIndex { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? bytes.count
        var pathStart = 0
        while pathStart < pathEnd, bytes[pathStart] == slash { pathStart += 1 }

        // The page's folder.
        let page = Array(currentPath.utf8)
        var folderStart = 0
        while folderStart < page.count, page[folderStart] == slash { folderStart += 1 }
        var folderEnd = page.count
        if folderEnd > folderStart, page[folderEnd - 1] != slash {
            folderEnd = (page.lastIndex(of: slash) ?? folderStart - 1) + 1
            folderEnd = max(folderEnd, folderStart)
        }

        // Step over the folders the two paths share.
        var folder = folderStart
        var path = pathStart
        while true {
            while folder < folderEnd, page[folder] == slash { folder += 1 }
            guard folder < folderEnd, let folderSlash = page[folder..<folderEnd].firstIndex(of: slash),
                  let pathSlash = bytes[path..<pathEnd].firstIndex(of: slash),
                  page[folder..<folderSlash].elementsEqual(bytes[path..<pathSlash]) else { break }
            folder = folderSlash + 1
            path = pathSlash + 1
        }
        var ups = 0
        var inSegment = false
        for byte in page[folder..<folderEnd] {
            if byte == slash {
                if inSegment { ups += 1 }
                inSegment = false
            } else {
                inSegment = true
            }
        }

        var result: [UInt8] = []
        result.reserveCapacity(3 * ups + bytes.count + (indexFile?.utf8.count ?? 0) + 2)
        for _ in 0..<ups { result.append(contentsOf: [UInt8(ascii: "."), UInt8(ascii: "."), slash]) }
        result.append(contentsOf: bytes[path..<pathEnd])
        if pathStart == pathEnd || bytes[pathEnd - 1] == slash, let indexFile { result.append(contentsOf: indexFile.utf8) }
        if result.isEmpty { result = [UInt8(ascii: "."), slash] }
        result.append(contentsOf: bytes[pathEnd...])
        return String(decoding: result, as: UTF8.self)
    }

    /// Whether the text starts with a URL scheme: a letter, then letters,
    /// digits, `+`, `-` or `.`, then `:`.
    static func hasScheme(_ bytes: [UInt8]) -> Bool {
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
