import Diagnostics
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The site folder on disk: listing content folders and reading files safely.
///
/// No file or folder is followed when its real path leaves the site folder,
/// files are read only up to `sizeLimit`, and only regular files are read (a
/// named pipe would block the build forever).
struct SiteFolder {
    /// The largest file Kith reads.
    static let sizeLimit = 10 * 1024 * 1024

    let root: URL
    /// `root.path` ending in `/`, worked out once: Foundation's URL calls look
    /// at the disk to tell files from folders, which costs a `stat` per file.
    private let rootPrefix: String
    /// The site folder with every symbolic link resolved.
    let realRoot: String
    /// Where content may live: the site folder, and the real place of
    /// `content/` when the site's owner made that folder itself a link.
    let realBoundaries: [String]
    private(set) var collector: Collector
    /// Real paths of the folders files were found in, so that a file that is
    /// not itself a link costs one `lstat` rather than a walk of its whole path.
    private let folders = RealFolders()

    /// The same folder, reporting its problems to another collector.
    func reporting(to other: Collector) -> SiteFolder {
        var copy = self
        copy.collector = other
        return copy
    }

    /// A `.md` file of a content folder.
    struct Entry {
        /// `content/assets/garden.md`
        var path: String
        /// The file name without `.md`.
        var slug: String
        var slugIsValid: Bool
    }

    init?(root: URL, collector: Collector) {
        self.root = root
        self.rootPrefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
        self.collector = collector
        guard let real = Self.realPath(root.path) else {
            collector.add(Diagnostic(.unreadable, "the site folder `\(root.path)` does not exist", path: root.path,
                                     help: "run Kith in the folder that holds `content/`, or give the path of that folder"))
            return nil
        }
        self.realRoot = real
        var boundaries = [real]
        if let content = Self.realPath(root.appendingPathComponent("content").path), content != real,
           !content.hasPrefix(real + "/"), content != "/" {
            boundaries.append(content)
        }
        self.realBoundaries = boundaries
    }

    func url(_ path: String) -> URL { root.appendingPathComponent(path) }

    /// The full path of a path relative to the site, without touching the disk.
    func fullPath(_ path: String) -> String { rootPrefix + path }

    // MARK: Paths and links

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private func isInside(_ real: String) -> Bool {
        realBoundaries.contains { boundary in boundary == "/" || Self.isSameOrInside(real, boundary) }
    }

    /// `real == boundary || real.hasPrefix(boundary + "/")`, compared as
    /// bytes when both are ASCII (where the two comparisons agree), without
    /// making the joined text.
    static func isSameOrInside(_ real: String, _ boundary: String) -> Bool {
        var real = real, boundary = boundary
        let answer = real.withUTF8 { path in
            boundary.withUTF8 { folder -> Bool? in
                guard isASCII(path), isASCII(folder) else { return nil }
                guard path.count >= folder.count else { return false }
                if let start = path.baseAddress, let prefix = folder.baseAddress,
                   memcmp(start, prefix, folder.count) != 0 {
                    return false
                }
                return path.count == folder.count || path[folder.count] == UInt8(ascii: "/")
            }
        }
        return answer ?? (real == boundary || real.hasPrefix(boundary + "/"))
    }

    private static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        let count = bytes.count
        while index + 8 <= count {
            if UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 != 0 {
                return false
            }
            index += 8
        }
        while index < count {
            if bytes[index] >= 0x80 { return false }
            index += 1
        }
        return true
    }

    private enum Kind {
        /// A regular file, with its size when `lstat` was the last to look at it.
        case file(real: String, size: Int?)
        case folder(real: String)
        case other
        case missing
        /// A link that was refused and already reported.
        case refused
    }

    /// What is at `path` (relative to the site), following links only inside the site.
    /// Reports a link that leads outside the site, or to nothing.
    private func kind(of path: String) -> Kind {
        let full = fullPath(path)
        var info = stat()
        guard Self.linkStatus(full, &info) else { return .missing }
        let mode = info.st_mode & S_IFMT
        let isLink = mode == S_IFLNK
        if mode == S_IFREG, let real = realPathOfPlainFile(path) {
            if isInside(real) { return .file(real: real, size: Int(info.st_size)) }
        }
        guard let real = Self.realPath(full) else {
            if isLink {
                collector.add(Diagnostic(.symlinkOutside, "`\(path)` is a link to something that does not exist",
                                         path: path, help: "remove the link, or replace it with the file itself"))
                return .refused
            }
            return .missing
        }
        guard isInside(real) else {
            collector.add(Diagnostic(.symlinkOutside, "`\(path)` is a link that leads outside the site folder",
                                     path: path, notes: ["it leads to \(real)"],
                                     help: "copy the file into the site instead of linking to it; Kith never reads files outside the site"))
            return .refused
        }
        switch Self.fileType(atPath: real) {
        case nil: return .missing
        case S_IFREG?: return .file(real: real, size: nil)
        case S_IFDIR?: return .folder(real: real)
        default: return .other
        }
    }

    /// The type bits (`S_IFREG`, `S_IFDIR`, `S_IFLNK`, …) of what is at `path`,
    /// not following a final link; nil when nothing can be found there.
    private static func fileType(atPath path: String) -> mode_t? {
        var info = stat()
        guard linkStatus(path, &info) else { return nil }
        return info.st_mode & S_IFMT
    }

    /// `lstat`, handing the path over without copying it.
    private static func linkStatus(_ path: String, _ info: inout stat) -> Bool {
        path.withCString { lstat($0, &info) } == 0
    }

    /// The real path of a file (relative to the site) that is not itself a
    /// link: its folder's real path, plus its name.
    private func realPathOfPlainFile(_ path: String) -> String? {
        var bytes = path
        let offset = bytes.withUTF8 { utf8 in utf8.lastIndex(of: UInt8(ascii: "/")) }
        guard let offset else {
            // Directly in the site folder.
            return realRoot == "/" ? "/" + path : realRoot + "/" + path
        }
        let slash = path.utf8.index(path.utf8.startIndex, offsetBy: offset)
        guard let parent = folders.realPath(of: String(path[..<slash]), in: self) else { return nil }
        return parent == "/" ? String(path[slash...]) : parent + path[slash...]
    }

    /// Whether a folder of the site exists and may be read; reports links out of the site.
    func folderExists(_ path: String) -> Bool {
        if case .folder = kind(of: path) { return true }
        return false
    }

    // MARK: Reading

    /// The text of a file, or nil after reporting why it cannot be read.
    func read(_ path: String) -> SourceFile? {
        let real: String
        let size: Int?
        switch kind(of: path) {
        case .file(let found, let knownSize):
            real = found
            size = knownSize
        case .missing:
            collector.add(Diagnostic(.unreadable, "`\(path)` cannot be found", path: path))
            return nil
        case .folder:
            collector.add(Diagnostic(.unreadable, "`\(path)` is a folder, not a file", path: path))
            return nil
        case .other:
            collector.add(Diagnostic(.unreadable, "`\(path)` is not a regular file", path: path,
                                     help: "content files must be ordinary text files"))
            return nil
        case .refused:
            return nil
        }
        let bytes: [UInt8]
        switch Self.contents(ofFile: real, limit: Self.sizeLimit + 1, size: size) {
        case .success(let found):
            bytes = found
        case .failure(let error):
            collector.add(Diagnostic(.unreadable, "`\(path)` cannot be read", path: path,
                                     notes: [String(cString: strerror(error.code))]))
            return nil
        }
        guard bytes.count <= Self.sizeLimit else {
            collector.add(Diagnostic(.tooLarge, "`\(path)` is larger than \(Self.sizeLimit / 1024 / 1024) MB",
                                     path: path, help: "content files are text; put pictures and documents in content/media/"))
            return nil
        }
        return Self.decode(bytes, path: path, collector: collector)
    }

    /// An `errno` value.
    struct SystemError: Error {
        var code: Int32
    }

    /// At most `limit` bytes of the file at `path`, read with one `open` and,
    /// for a file whose size is known and unchanged, one `read`.
    /// - Parameter size: the file's size, when a `stat` of it was just made;
    ///   nil to ask with `fstat`. It only sizes the buffer and tells when the
    ///   whole file was read: a file that grew or shrank since is read to its end.
    static func contents(ofFile path: String, limit: Int, size: Int? = nil) -> Result<[UInt8], SystemError> {
        let fd = path.withCString { open($0, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { return .failure(SystemError(code: errno)) }
        defer { close(fd) }
        let expected: Int
        if let size {
            expected = max(0, size)
        } else {
            var info = stat()
            guard fstat(fd, &info) == 0 else { return .failure(SystemError(code: errno)) }
            expected = max(0, Int(info.st_size))
        }
        // One byte more than the size, so a file that grew is still read to the limit.
        var capacity = min(limit, expected + 1)
        var bytes = [UInt8](repeating: 0, count: capacity)
        var count = 0
        while count < limit {
            if count == capacity {
                capacity = min(limit, capacity * 2)
                bytes.append(contentsOf: repeatElement(0, count: capacity - bytes.count))
            }
            let got = bytes.withUnsafeMutableBytes { buffer in
                readBytes(fd, buffer.baseAddress! + count, capacity - count)
            }
            if got < 0 {
                if errno == EINTR { continue }
                return .failure(SystemError(code: errno))
            }
            if got == 0 { break }
            count += got
            // The read stopped short of the spare byte right at the size: the
            // end of the file, with no second `read` to be told so.
            if count == expected, count < capacity { break }
        }
        bytes.removeSubrange(count...)
        return .success(bytes)
    }

    /// UTF-8 text, or nil after reporting the first byte that is not UTF-8.
    static func decode(_ bytes: [UInt8], path: String, collector: Collector) -> SourceFile? {
        // Valid text, the usual case, is checked and copied in one pass.
        if #available(macOS 15, *), let text = bytes.withUnsafeBufferPointer({ String(validating: $0, as: UTF8.self) }) {
            return SourceFile(path: path, text: text)
        }
        let bad = firstInvalidUTF8(bytes)
        let file = SourceFile(path: path, text: String(decoding: bytes, as: UTF8.self))
        guard bad < bytes.count else { return file }
        collector.add(Diagnostic(
            .invalidUTF8, "`\(path)` is not UTF-8 text", file: file, start: bad,
            label: "this byte is not UTF-8",
            help: "save the file with the UTF-8 encoding (most editors offer it under Save As or Encoding)"))
        return nil
    }

    /// The offset of the first byte that does not belong to valid UTF-8 (the
    /// length of `bytes` when they are all valid).
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput, .error: return offset
            }
        }
    }

    // MARK: Listing

    /// The `.md` files directly inside a content folder, sorted by name.
    /// Warns about files that look like Markdown but will not be read, and about sub-folders.
    func documents(in folder: String) -> [Entry] {
        guard folderExists(folder),
              let names = try? FileManager.default.contentsOfDirectory(atPath: url(folder).path) else { return [] }
        var entries: [Entry] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            let path = "\(folder)/\(name)"
            if name.hasSuffix(".md") {
                let slug = String(name.dropLast(3))
                let valid = Slug.isValid(slug)
                if !valid {
                    let suggestion = Slug.make(slug)
                    collector.add(Diagnostic(
                        .invalidSlug, "the file name `\(name)` is not a valid slug", path: path,
                        help: suggestion.isEmpty
                            ? "rename the file using only lowercase letters a-z, digits and hyphens"
                            : "rename it to `\(suggestion).md`: file names use only lowercase letters a-z, digits and hyphens"))
                }
                entries.append(Entry(path: path, slug: slug, slugIsValid: valid))
                continue
            }
            let full = url(path).path
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: full, isDirectory: &isFolder), isFolder.boolValue {
                collector.add(Diagnostic(
                    .ignoredFile, "the folder `\(path)` is ignored", path: path,
                    help: "Kith reads only the .md files directly inside \(folder); move the files up one level"))
                continue
            }
            let lower = name.lowercased()
            let markdownLike = [".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".mdwn", ".txt"]
            if let suffix = markdownLike.first(where: { lower.hasSuffix($0) }) {
                let base = Slug.make(String(name.dropLast(suffix.count)))
                collector.add(Diagnostic(
                    .ignoredFile, "`\(path)` is ignored: only files ending in `.md` are read", path: path,
                    help: base.isEmpty ? "rename it so that it ends in `.md`" : "rename it to `\(base).md`"))
            }
        }
        return entries
    }

    /// Every regular file under `content/media/`, relative to it, sorted.
    /// Hidden files (`.DS_Store`) are left out; links are followed only inside the site.
    func mediaFiles() -> [String] {
        let folder = "content/media"
        guard folderExists(folder) else { return [] }
        var files: [String] = []
        var visited: Set<String> = []
        if let real = Self.realPath(url(folder).path) { visited.insert(real) }
        collectMedia(folder: folder, relative: "", into: &files, visited: &visited, depth: 0)
        return files.sorted()
    }

    private func collectMedia(folder: String, relative: String, into files: inout [String],
                              visited: inout Set<String>, depth: Int) {
        guard depth < 32, let names = try? FileManager.default.contentsOfDirectory(atPath: url(folder).path) else { return }
        for name in names.sorted() where !name.hasPrefix(".") {
            let path = "\(folder)/\(name)"
            let inner = relative.isEmpty ? name : "\(relative)/\(name)"
            switch kind(of: path) {
            case .file:
                files.append(inner)
            case .folder(let real):
                // A link back to a folder already listed would loop forever.
                guard visited.insert(real).inserted else { continue }
                collectMedia(folder: path, relative: inner, into: &files, visited: &visited, depth: depth + 1)
            case .other, .missing, .refused:
                continue
            }
        }
    }
}

/// The system's `read`, under a name `SiteFolder.read(_:)` does not hide.
private func readBytes(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}

/// Real paths of the site's folders, each resolved once; safe to use from several threads.
final class RealFolders: @unchecked Sendable {
    private let lock = NSLock()
    // Guarded by `lock`: by path relative to the site, and the last one asked
    // for, as the files of one folder are read one after another.
    private var known: [String: String] = [:]
    private var last: (folder: String, real: String)?

    /// The real path of `folder`, a path relative to `site`.
    func realPath(of folder: String, in site: SiteFolder) -> String? {
        lock.lock()
        if let last, last.folder == folder {
            lock.unlock()
            return last.real
        }
        if let real = known[folder] {
            last = (folder, real)
            lock.unlock()
            return real
        }
        lock.unlock()
        guard let real = SiteFolder.realPath(site.fullPath(folder)) else { return nil }
        lock.lock()
        known[folder] = real
        last = (folder, real)
        lock.unlock()
        return real
    }
}
