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
        Base(page: currentPath, indexFile: indexFile).append(target, into: &result)
        return String(decoding: result, as: UTF8.self)
    }

    /// `relative`, appending the URL's bytes to `output`.
    static func appendRelative(_ target: String, from currentPath: [UInt8], indexFile: [UInt8]?, into output: inout [UInt8]) {
        Base(page: currentPath, indexFile: indexFile).append(target, into: &output)
    }

    /// The page URLs are made relative to, worked out once for all the URLs of a render.
    struct Base {
        let indexFile: [UInt8]?
        /// The page's path.
        private let page: [UInt8]
        /// The names of the folders the page is in, outermost first, as ranges of `page`.
        private let folders: [Range<Int>]
        /// `../` once per folder of the page.
        private let ups: [UInt8]
        /// Whether `indexFile` is plain (see `isPlain`), or absent.
        let plainIndexFile: Bool

        init(page: [UInt8], indexFile: [UInt8]?) {
            self.page = page
            self.indexFile = indexFile
            // The page's folder: the page itself when it ends in "/" or is
            // empty, otherwise everything up to its last "/"; leading slashes
            // and empty names do not count.
            var folderEnd = page.count
            if let last = page.last, last != SitePath.slash {
                folderEnd = (page.lastIndex(of: SitePath.slash) ?? -1) + 1
            }
            var folders: [Range<Int>] = []
            var start = 0
            for index in 0..<folderEnd where page[index] == SitePath.slash {
                if start < index { folders.append(start..<index) }
                start = index + 1
            }
            self.folders = folders
            var ups: [UInt8] = []
            ups.reserveCapacity(3 * folders.count)
            for _ in folders { ups.append(contentsOf: [UInt8(ascii: "."), UInt8(ascii: "."), SitePath.slash]) }
            self.ups = ups
            self.plainIndexFile = indexFile.map { file in file.withUnsafeBufferPointer { Self.isPlain($0) } } ?? true
        }

        init(page: String, indexFile: String?) {
            self.init(page: Array(page.utf8), indexFile: indexFile.map { Array($0.utf8) })
        }

        /// Appends the URL of `target` as seen from the page to `output`.
        func append<Output: ByteOutput & ~Copyable>(_ target: String, into output: inout Output) {
            if let done: Void = target.utf8.withContiguousStorageIfAvailable({ append($0, into: &output) }) { return done }
            var copy = target
            copy.withUTF8 { append($0, into: &output) }
        }

        /// Appends the URL of the site path in `bytes` as seen from the page to `output`.
        func append<Output: ByteOutput & ~Copyable>(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout Output) {
            let count = bytes.count
            if (count >= 1 && bytes[0] == UInt8(ascii: "#")) || (count >= 2 && bytes[0] == SitePath.slash && bytes[1] == SitePath.slash)
                || SitePath.hasScheme(bytes) {
                output.put(bytes)
                return
            }
            // The path part, without leading slashes and without its ?query or #fragment.
            var pathEnd = 0
            while pathEnd < count, bytes[pathEnd] != UInt8(ascii: "?"), bytes[pathEnd] != UInt8(ascii: "#") { pathEnd += 1 }
            var pathStart = 0
            while pathStart < pathEnd, bytes[pathStart] == SitePath.slash { pathStart += 1 }
            appendPath(bytes, start: pathStart, end: pathEnd, into: &output)
            if pathEnd < count { output.put(UnsafeBufferPointer(rebasing: bytes[pathEnd...])) }
        }

        /// When every byte of `bytes` is plain and the first is not a slash,
        /// appends its URL and returns true: such a path has no scheme, query
        /// or fragment, and its URL needs no escaping and passes the URL check
        /// (when `indexFile` is plain too). Otherwise appends nothing and returns false.
        func appendPlain<Output: ByteOutput & ~Copyable>(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout Output) -> Bool {
            guard plainIndexFile, bytes.first != SitePath.slash, Self.isPlain(bytes) else { return false }
            appendPath(bytes, start: 0, end: bytes.count, into: &output)
            return true
        }

        /// Appends the URL of the path `bytes[start..<end]`: a `../` for each
        /// folder of the page the path is not in, the rest of the path, and
        /// `indexFile` for a folder; `./` when all that comes to nothing.
        private func appendPath<Output: ByteOutput & ~Copyable>(_ bytes: UnsafeBufferPointer<UInt8>, start: Int, end: Int, into output: inout Output) {
            // Step over the folders the page and the path share.
            var path = start
            var shared = 0
            page.withUnsafeBufferPointer { page in
                while shared < folders.count {
                    let folder = folders[shared]
                    var pathSlash = path
                    while pathSlash < end, bytes[pathSlash] != SitePath.slash { pathSlash += 1 }
                    guard pathSlash < end, folder.count == pathSlash - path,
                          memcmp(page.baseAddress! + folder.lowerBound, bytes.baseAddress! + path, folder.count) == 0 else { break }
                    path = pathSlash + 1
                    shared += 1
                }
            }
            let before = output.count
            if shared < folders.count {
                ups.withUnsafeBufferPointer { output.put(UnsafeBufferPointer(rebasing: $0[(3 * shared)...])) }
            }
            if path < end { output.put(UnsafeBufferPointer(rebasing: bytes[path..<end])) }
            if start == end || bytes[end - 1] == SitePath.slash, let indexFile { indexFile.withUnsafeBufferPointer { output.put($0) } }
            if output.count == before {
                output.put(UInt8(ascii: "."))
                output.put(SitePath.slash)
            }
        }

        /// Bytes that `append` and the URL check treat like letters, and that
        /// need no escaping, quoted or not: all but control characters,
        /// space, `"`, `#`, `&`, `'`, `:`, `<`, `=`, `>`, `?`, `` ` `` and DEL.
        private static let plainBelow64: UInt64 = {
            var mask: UInt64 = 0
            for byte in 0x21..<0x40 where !"\"#&':<=>?".utf8.contains(UInt8(byte)) { mask |= 1 << UInt64(byte) }
            return mask
        }()

        private static let plainFrom64: UInt64 = ~((1 << UInt64(0x60 - 64)) | (1 << UInt64(0x7F - 64)))

        /// Whether every byte of `bytes` is plain.
        static func isPlain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            let low = plainBelow64, high = plainFrom64
            for byte in bytes {
                let plain = byte < 64 ? (low >> UInt64(byte)) & 1 != 0 : (byte >= 128 || (high >> UInt64(byte - 64)) & 1 != 0)
                if !plain { return false }
            }
            return true
        }
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
