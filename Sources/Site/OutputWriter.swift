import Diagnostics
import Foundation
import Synchronization

/// One file of the finished site, by its path relative to the output folder.
struct OutputFile: Sendable {
    enum Source: Sendable {
        case bytes([UInt8])
        case copy(URL)
        /// Bytes made while the file is written, a piece at a time, so that
        /// a large file is never in memory whole: the closure appends to the
        /// buffer and calls `flushIfFull()` between records.
        case stream(@Sendable (inout OutputBuffer) throws -> Void)
    }

    var path: String
    var source: Source

    /// The whole file in memory, for a caller that needs it so.
    func bytes() throws -> [UInt8] {
        switch source {
        case .bytes(let bytes):
            return bytes
        case .copy(let url):
            return Array(try Data(contentsOf: url))
        case .stream(let produce):
            var buffer = OutputBuffer()
            try produce(&buffer)
            return buffer.bytes
        }
    }
}

/// The bytes of a streamed file on their way out. Producers append to
/// `bytes`; `flushIfFull()` hands them to the file once there are
/// `chunkSize` of them and empties the buffer. Without a file (`init()`)
/// everything is kept, and `bytes` ends as the whole file.
struct OutputBuffer {
    static let chunkSize = 64 * 1024

    var bytes: [UInt8] = []
    private let drain: ((UnsafeBufferPointer<UInt8>) throws -> Void)?

    /// A buffer that keeps everything.
    init() { drain = nil }

    /// A buffer that hands its bytes to `drain` a chunk at a time.
    init(drain: @escaping (UnsafeBufferPointer<UInt8>) throws -> Void) {
        self.drain = drain
        bytes.reserveCapacity(Self.chunkSize + Self.chunkSize / 4)
    }

    /// Passes the bytes on when a chunk's worth has gathered.
    @inline(__always)
    mutating func flushIfFull() throws {
        if bytes.count >= Self.chunkSize { try flush() }
    }

    /// Passes every byte gathered so far on (nothing, for a buffer that keeps everything).
    mutating func flush() throws {
        guard let drain, !bytes.isEmpty else { return }
        try bytes.withUnsafeBufferPointer { try drain($0) }
        bytes.removeAll(keepingCapacity: true)
    }

    mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// Passes on a piece its producer gathered itself (a chunk or the last
    /// bytes of the file), after any bytes gathered here before it, without
    /// copying it into the buffer. Without a file the piece is kept.
    mutating func pass(_ piece: UnsafeBufferPointer<UInt8>) throws {
        guard let drain else {
            bytes.append(contentsOf: piece)
            return
        }
        try flush()
        if !piece.isEmpty { try drain(piece) }
    }

    mutating func append(_ byte: UInt8) {
        bytes.append(byte)
    }
}

/// The work of writing the sections' files, shared by several threads:
/// first each section's list of files (in section order), then the files,
/// streamed ones before the rest. A thread with nothing to do waits while a
/// list is still being made, as it may bring more files.
final class SectionFileQueue: @unchecked Sendable {
    enum Job {
        /// Make the list of files of the section with this index.
        case list(Int)
        /// Write one file of the section with this index.
        case write(Int, OutputFile)
    }

    private let condition = NSCondition()
    private var lists: [Int]
    /// Files waiting, first in first out: those before `…Taken` are handed out.
    private var streamed: [(Int, OutputFile)?] = []
    private var others: [(Int, OutputFile)?] = []
    private var streamedTaken = 0
    private var othersTaken = 0
    private var listing = 0
    private var count = 0
    /// The first error of each section that had one.
    private var errors: [Int: any Error] = [:]

    init(sections: Int) {
        lists = Array((0..<sections).reversed())
    }

    /// The next job, waiting while none is ready but a list is being made;
    /// nil when everything is done, or after an error.
    func next() -> Job? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            guard errors.isEmpty else { return nil }
            if let section = lists.popLast() {
                listing += 1
                return .list(section)
            }
            if streamedTaken < streamed.count, let (section, file) = streamed[streamedTaken] {
                // The slot is emptied so the file is let go once written.
                streamed[streamedTaken] = nil
                streamedTaken += 1
                return .write(section, file)
            }
            if othersTaken < others.count, let (section, file) = others[othersTaken] {
                others[othersTaken] = nil
                othersTaken += 1
                return .write(section, file)
            }
            if listing == 0 { return nil }
            condition.wait()
        }
    }

    /// Queues a section's files, which `next` then hands out in their order.
    func add(_ files: [OutputFile], of section: Int) {
        condition.lock()
        for file in files {
            if case .stream = file.source {
                streamed.append((section, file))
            } else {
                others.append((section, file))
            }
        }
        listing -= 1
        condition.broadcast()
        condition.unlock()
    }

    func written() {
        condition.lock()
        count += 1
        condition.unlock()
    }

    func failed(_ section: Int, _ error: any Error) {
        condition.lock()
        if errors[section] == nil { errors[section] = error }
        condition.broadcast()
        condition.unlock()
    }

    /// How many files were written, and the first error in section order.
    var outcome: (count: Int, error: (any Error)?) {
        condition.lock()
        defer { condition.unlock() }
        return (count, errors.keys.min().flatMap { errors[$0] })
    }
}

/// Writes a finished site so that a failure never leaves a half-written or
/// lost output: everything goes to a fresh folder beside the output, which
/// then takes the output's place in two renames.
struct OutputWriter {
    let root: URL
    let output: URL

    /// Checks that the output folder is a place a build may replace.
    /// - Throws: a `Diagnostic` (K100–K103) when it is `/`, the site root or
    ///   one of its parents, inside `content/` or `templates/`, or a symbolic link.
    static func validate(output: URL, root: URL) throws -> (root: URL, output: URL) {
        let realRoot = FileSystem.realPath(root)
        let realOutput = FileSystem.realPath(output)
        func refuse(_ code: String, _ message: String, _ help: String) -> Diagnostic {
            Diagnostic(code: code, message: message, help: help)
        }
        if realOutput.path == "/" {
            throw refuse("K070", "refusing to build into `/`", "give an output folder of its own, e.g. --out public")
        }
        if realOutput.path == realRoot.path || FileSystem.isInside(realRoot, realOutput) {
            throw refuse(
                "K070", "refusing to build into `\(output.path)`: it holds the site itself and would be replaced",
                "give an output folder inside the site, e.g. --out public")
        }
        for protected in ["content", "templates"] {
            let folder = FileSystem.realPath(realRoot.appendingPathComponent(protected))
            if realOutput.path == folder.path || FileSystem.isInside(realOutput, folder) {
                throw refuse(
                    "K071", "refusing to build into `\(output.path)`: it is inside \(protected)/, which the build reads",
                    "use the default output folder public/ or another folder outside content/ and templates/")
            }
        }
        if FileSystem.isSymbolicLink(output) {
            throw refuse(
                "K072", "the output folder `\(output.path)` is a symbolic link; Kith never writes through links",
                "remove the link (the folder it points at is not touched) and build again")
        }
        return (realRoot, realOutput)
    }

    /// Writes every file into a temporary folder, then swaps it in.
    /// - Returns: the number of files written.
    func write(_ files: [OutputFile]) throws -> Int {
        let staging = try begin()
        defer { staging.discard() }
        for file in files { try staging.add(file) }
        try staging.commit()
        return files.count
    }

    /// Makes the temporary folder the files go to before the swap.
    /// - Parameter spreading: how its page folders are spread over the disk.
    func begin(spreading: FolderSpreading = FolderSpreading()) throws -> Staging {
        let manager = FileManager.default
        let parent = output.deletingLastPathComponent()
        try manager.createDirectory(at: parent, withIntermediateDirectories: true)
        let stamp = "\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0 ... .max))"
        let folder = parent.appendingPathComponent(".\(output.lastPathComponent).building-\(stamp)", isDirectory: true)
        try manager.createDirectory(at: folder, withIntermediateDirectories: false)
        let staging = Staging(folder: folder, output: output, stamp: stamp, spreading: spreading)
        spreading.begin(staging: staging.folderPath)
        return staging
    }

    /// The temporary folder of one build. Files may be added from several
    /// threads at once; `commit` swaps the folder in, `discard` removes it
    /// unless it was swapped in.
    final class Staging: @unchecked Sendable {
        let folder: URL
        let output: URL
        private let stamp: String
        private let lock = NSLock()
        /// Folders made so far, relative to `folder`; guarded by `lock`.
        private var madeFolders: Set<String> = [""]
        private var swapped = false
        /// Signalled by the thread of `makeAhead` when it ends; guarded by `lock`.
        private var ahead: DispatchSemaphore?
        /// Tells the thread of `makeAhead` to stop.
        private let stopAhead = Atomic<Bool>(false)

        /// `folder` as a path, without a final `/`.
        fileprivate let folderPath: String
        private let spreading: FolderSpreading

        fileprivate init(folder: URL, output: URL, stamp: String, spreading: FolderSpreading) {
            self.folder = folder
            var path = folder.path
            while path.count > 1, path.hasSuffix("/") { path.removeLast() }
            self.folderPath = path
            self.output = output
            self.stamp = stamp
            self.spreading = spreading
        }

        /// Writes one file into the staging folder; a streamed file whose
        /// producer fails is not left there.
        func add(_ file: OutputFile) throws {
            guard OutputWriter.isSafeRelativePath(file.path) else {
                throw Diagnostic(code: "K073", message: "refusing to write `\(file.path)`: not a plain path inside the output folder")
            }
            let slash = file.path.utf8.lastIndex(of: UInt8(ascii: "/"))
            try makeFolder(slash.map { String(file.path[..<$0]) } ?? "")
            let target = folderPath + "/" + file.path
            switch file.source {
            case .bytes(let bytes):
                try FileSystem.createFile(atPath: target, bytes: bytes)
            case .copy(let source):
                try FileSystem.createFile(atPath: target, bytes: Array(try Data(contentsOf: source)))
            case .stream(let produce):
                try FileSystem.createFile(atPath: target, producing: produce)
            }
        }

        /// Makes `folders` (relative, in the order pages will need them) on a
        /// thread of its own, so that pages find their folder made. A page
        /// whose folder is not made yet makes it itself; a folder this thread
        /// cannot make is left to the page, which reports the problem.
        func makeAhead(_ folders: [String]) {
            let done = DispatchSemaphore(value: 0)
            lock.lock()
            precondition(ahead == nil, "folders are made ahead once a build")
            ahead = done
            lock.unlock()
            let thread = Thread { [self] in
                for name in folders where !stopAhead.load(ordering: .relaxed) {
                    guard OutputWriter.isSafeRelativePath(name + "/index.html") else { continue }
                    try? makeFolder(name)
                }
                done.signal()
            }
            thread.start()
        }

        /// Waits for the thread of `makeAhead`, stopping it first when `stopping`.
        private func waitForAhead(stopping: Bool) {
            lock.lock()
            let running = ahead
            ahead = nil
            lock.unlock()
            guard let running else { return }
            if stopping { stopAhead.store(true, ordering: .relaxed) }
            running.wait()
        }

        private func makeFolder(_ relative: String) throws {
            // The folders still missing, innermost first; made outermost first.
            // `mkdir` runs outside the lock (it is slow on some file systems,
            // and pages are written from every core); two threads making the
            // same folder is harmless.
            var missing: [String] = []
            lock.lock()
            var partial = relative
            while !partial.isEmpty, !madeFolders.contains(partial) {
                missing.append(partial)
                partial = partial.utf8.lastIndex(of: UInt8(ascii: "/")).map { String(partial[..<$0]) } ?? ""
            }
            lock.unlock()
            for name in missing.reversed() {
                let path = folderPath + "/" + name
                // A page folder: one level below a section folder.
                let slashes = name.utf8.lazy.filter { $0 == UInt8(ascii: "/") }.count
                let failure = slashes == 1
                    ? spreading.makePageFolder(path, section: folderPath + "/" + name[..<name.firstIndex(of: "/")!])
                    : FolderSpreading.makeFolder(path)
                if failure != 0, failure != EEXIST {
                    throw Diagnostic(code: "K074", message: "cannot create the folder `\(path)`: \(String(cString: strerror(failure)))")
                }
                lock.lock()
                madeFolders.insert(name)
                lock.unlock()
            }
        }

        /// Puts the staging folder in the output's place.
        func commit() throws {
            waitForAhead(stopping: false)
            let manager = FileManager.default
            spreading.finish(staging: folderPath)
            // A tracked placeholder in the output folder survives rebuilds.
            let keep = output.appendingPathComponent(".gitkeep")
            if manager.fileExists(atPath: keep.path), !FileSystem.isSymbolicLink(keep) {
                try? FileSystem.createFile(at: folder.appendingPathComponent(".gitkeep"), bytes: [])
            }

            let parent = output.deletingLastPathComponent()
            if manager.fileExists(atPath: output.path) || FileSystem.isSymbolicLink(output) {
                let old = parent.appendingPathComponent(".\(output.lastPathComponent).old-\(stamp)", isDirectory: true)
                try manager.moveItem(at: output, to: old)
                do {
                    try manager.moveItem(at: folder, to: output)
                } catch {
                    try? manager.moveItem(at: old, to: output)
                    throw error
                }
                swapped = true
                if !FileSystem.removeTree(old) { try? manager.removeItem(at: old) }
            } else {
                try manager.moveItem(at: folder, to: output)
                swapped = true
            }
        }

        /// Removes the staging folder, unless it became the output.
        func discard() {
            waitForAhead(stopping: true)
            if !swapped { try? FileManager.default.removeItem(at: folder) }
        }
    }

    /// A path of plain names joined by `/`: no `.` or `..`, no empty part, no NUL or backslash.
    /// Checked on the path's bytes: every file of a build passes here.
    static func isSafeRelativePath(_ path: String) -> Bool {
        var path = path
        return path.withUTF8 { bytes in
            let dot = UInt8(ascii: "."), slash = UInt8(ascii: "/")
            var partStart = 0
            for index in 0...bytes.count {
                let byte = index < bytes.count ? bytes[index] : slash
                if byte == 0 || byte == UInt8(ascii: "\\") { return false }
                guard byte == slash else { continue }
                // A part ends: it is neither empty, nor `.`, nor `..`.
                switch index - partStart {
                case 0: return false
                case 1 where bytes[partStart] == dot: return false
                case 2 where bytes[partStart] == dot && bytes[partStart + 1] == dot: return false
                default: partStart = index + 1
                }
            }
            return true
        }
    }
}

/// Puts the page folders of a build in places of their own on the disk,
/// where the file system lets a folder be marked as the top of a tree of
/// folders (ext2, ext3 and ext4: `chattr +T`). Elsewhere it does nothing
/// but make the folders.
///
/// Why: ext4 without a journal does not reuse an inode freed in the last
/// half minute, and it passes over every such inode of a block group each
/// time it makes a file or folder there. A folder's files and subfolders
/// go beside it, and a new folder goes beside its parent. So an output
/// deleted and built again (a clean build, or the next build after this
/// one removed the old output) puts its thousands of new files exactly
/// where the last ones were freed, and each of them pays for all of those:
/// seconds of kernel time on a 10,000-page site.
///
/// Each folder made in a marked folder is put instead where the disk has
/// the fewest folders. The staging folder stays marked while the files are
/// written, so each section folder (`assets`, `stories`, ...) starts in a
/// place of its own. Within a section, one page folder in `every` is made
/// while the section is marked, and the page folders after it follow that
/// one; so few folders pay for the search over the whole disk that a
/// marked parent asks for, and a block group takes a few pages of a build,
/// which keeps the freed inodes a later build passes over few.
///
/// Measured on a 10,000-asset site, deleted and built again in a loop on
/// ext4 without a journal: without spreading, a build took from 2.6 s to
/// 7.8 s as the freed inodes piled up; one folder in 32 kept it at 2.5 to
/// 3.9 s, one in 8 at 2.3 to 3.0 s, one in 4 at 2.8 to 3.2 s (the search
/// over the disk costs more there than it saves).
final class FolderSpreading: @unchecked Sendable {
    /// One page folder in this many is put in a new place.
    let every: Int
    /// Sets or clears the mark on a folder; false when the file system has no such mark.
    private let mark: @Sendable (_ path: String, _ on: Bool) -> Bool
    private let lock = NSLock()
    /// Guarded by `lock`: page folders made so far, and whether marking works here.
    private var made = 0
    private var works = true

    init(every: Int = 8, mark: @escaping @Sendable (_ path: String, _ on: Bool) -> Bool = FileSystem.markTopOfTree) {
        self.every = max(1, every)
        self.mark = mark
    }

    /// Marks the staging folder, or learns that this file system cannot.
    func begin(staging: String) {
        lock.lock()
        defer { lock.unlock() }
        works = mark(staging, true)
    }

    /// Clears the mark, so the published output carries none.
    func finish(staging: String) {
        lock.lock()
        defer { lock.unlock() }
        if works { _ = mark(staging, false) }
    }

    /// Makes the page folder `path` in the folder `section`.
    /// - Returns: 0, or the `errno` of the failure.
    func makePageFolder(_ path: String, section: String) -> Int32 {
        lock.lock()
        made += 1
        guard works, every == 1 || made % every == 1 else {
            lock.unlock()
            return Self.makeFolder(path)
        }
        // Held while the section is marked, so that no other thread clears
        // the mark first; a folder another thread makes meanwhile may be
        // put in a place of its own too, which does no harm.
        defer { lock.unlock() }
        guard mark(section, true) else {
            works = false
            return Self.makeFolder(path)
        }
        let failure = Self.makeFolder(path)
        _ = mark(section, false)
        return failure
    }

    /// `mkdir`: 0, or the `errno` of the failure.
    static func makeFolder(_ path: String) -> Int32 {
        mkdir(path, 0o755) == 0 ? 0 : errno
    }
}

/// Small file-system helpers that never follow a link by accident.
enum FileSystem {
    /// The path with every symbolic link resolved; for a path that does not
    /// exist yet, its nearest existing parent is resolved and the rest appended.
    static func realPath(_ url: URL) -> URL {
        var existing = url.standardizedFileURL
        var rest: [String] = []
        while !FileManager.default.fileExists(atPath: existing.path) && existing.path != "/" {
            rest.insert(existing.lastPathComponent, at: 0)
            existing.deleteLastPathComponent()
        }
        var resolved = existing.resolvingSymlinksInPath()
        for part in rest { resolved.appendPathComponent(part) }
        return resolved.standardizedFileURL
    }

    /// Whether `inner` is strictly inside `outer` (both already real paths).
    static func isInside(_ inner: URL, _ outer: URL) -> Bool {
        let outerPath = outer.path.hasSuffix("/") ? outer.path : outer.path + "/"
        return inner.path.hasPrefix(outerPath)
    }

    /// Removes a folder and everything in it, like `rm -rf`: links are
    /// removed, never followed. Much faster than `FileManager.removeItem`
    /// on a folder of many thousand files.
    /// - Returns: whether everything was removed.
    static func removeTree(_ url: URL) -> Bool {
        let parent = open(url.deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard parent >= 0 else { return false }
        defer { close(parent) }
        return removeEntry(named: url.lastPathComponent, in: parent)
    }

    private static func removeEntry(named name: String, in parent: Int32) -> Bool {
        if unlinkat(parent, name, 0) == 0 { return true }
        guard errno == EISDIR || errno == EPERM else { return false }
        let fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return false }
        guard let folder = fdopendir(fd) else {
            close(fd)
            return false
        }
        let names = entryNames(of: folder).map { String(decoding: $0, as: UTF8.self) }
        var removed = true
        for child in names where !removeEntry(named: child, in: dirfd(folder)) { removed = false }
        closedir(folder)
        return unlinkat(parent, name, AT_REMOVEDIR) == 0 && removed
    }

    /// The names of the entries of an open folder, but `.` and `..`, as bytes.
    ///
    /// Each name is read where it lies, up to its NUL: a `dirent` holds only
    /// as many bytes as its own name takes, so copying the whole fixed-size
    /// `d_name` of the last entry could read past the end of the folder's buffer.
    static func entryNames(of folder: OpaquePointer) -> [[UInt8]] {
        let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        var names: [[UInt8]] = []
        while let entry = readdir(folder) {
            let start = UnsafeRawPointer(entry) + nameOffset
            let length = strlen(start.assumingMemoryBound(to: CChar.self))
            let name = Array(UnsafeBufferPointer(start: start.assumingMemoryBound(to: UInt8.self), count: length))
            if name != [UInt8(ascii: ".")], name != [UInt8(ascii: "."), UInt8(ascii: ".")] { names.append(name) }
        }
        return names
    }

    /// Sets or clears the mark that makes a folder the top of a tree of
    /// folders (`chattr +T`, see `FolderSpreading`).
    /// - Returns: false where the file system has no such mark (tmpfs, XFS,
    ///   Btrfs, or outside Linux) or the folder cannot be opened.
    @Sendable static func markTopOfTree(_ path: String, _ on: Bool) -> Bool {
        withFolderFlags(path) { fd, flags in
            #if os(Linux)
            var wanted = on ? flags | InodeFlags.topOfTree : flags & ~InodeFlags.topOfTree
            if wanted == flags { return true }
            return withUnsafeMutablePointer(to: &wanted) { ioctl(fd, InodeFlags.set, $0) } == 0
            #else
            return false
            #endif
        } ?? false
    }

    /// Whether a folder carries that mark; nil where it cannot be read.
    static func isMarkedTopOfTree(_ path: String) -> Bool? {
        withFolderFlags(path) { _, flags in flags & InodeFlags.topOfTree != 0 }
    }

    /// Lends an open descriptor of the folder at `path` and its inode flags
    /// to `body`; nil where it cannot be opened or has no such flags.
    private static func withFolderFlags<Result>(_ path: String, _ body: (_ fd: Int32, _ flags: Int32) -> Result) -> Result? {
        #if os(Linux)
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var flags: Int32 = 0
        guard withUnsafeMutablePointer(to: &flags, { ioctl(fd, InodeFlags.get, $0) }) == 0 else { return nil }
        return body(fd, flags)
        #else
        return nil
        #endif
    }

    /// Linux's `FS_IOC_GETFLAGS`, `FS_IOC_SETFLAGS` and `FS_TOPDIR_FL`.
    private enum InodeFlags {
        static let get: UInt = 0x8008_6601
        static let set: UInt = 0x4008_6602
        static let topOfTree: Int32 = 0x0002_0000
    }

    static func isSymbolicLink(_ url: URL) -> Bool {
        var info = stat()
        return lstat(url.path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }

    /// Lends the bytes of a regular file, mapped into memory rather than
    /// copied, to `body`; nil when it is not a regular file that can be
    /// mapped (an empty one, or a link, say).
    static func withContents<Result>(
        atPath path: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) rethrows -> Result? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0 else { return nil }
        let size = Int(info.st_size)
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else { return nil }
        defer { munmap(mapped, size) }
        return try body(UnsafeBufferPointer(start: mapped.assumingMemoryBound(to: UInt8.self), count: size))
    }

    /// Creates a new file; fails rather than write through an existing file or link.
    static func createFile(at url: URL, bytes: [UInt8]) throws {
        try createFile(atPath: url.path, bytes: bytes)
    }

    /// Creates a new file; fails rather than write through an existing file or link.
    static func createFile(atPath path: String, bytes: [UInt8]) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw Diagnostic(code: "K074", message: "cannot create `\(path)`: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        try bytes.withUnsafeBufferPointer { try write($0, to: fd, path: path) }
    }

    /// Creates a new file, as `createFile(atPath:bytes:)` does, and fills it
    /// a chunk at a time from `produce`. When `produce` or a write fails, the
    /// unfinished file is removed and the error passed on.
    static func createFile(atPath path: String, producing produce: (inout OutputBuffer) throws -> Void) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw Diagnostic(code: "K074", message: "cannot create `\(path)`: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        do {
            var buffer = OutputBuffer { try write($0, to: fd, path: path) }
            try produce(&buffer)
            try buffer.flush()
        } catch {
            // The file was made here (O_EXCL), so it is this call's to remove.
            unlink(path)
            throw error
        }
    }

    /// Writes all of `bytes` to an open file.
    private static func write(_ bytes: UnsafeBufferPointer<UInt8>, to fd: Int32, path: String) throws {
        guard let base = bytes.baseAddress else { return }
        var written = 0
        while written < bytes.count {
            let result = Glibc.write(fd, base + written, bytes.count - written)
            if result < 0 {
                if errno == EINTR { continue }
                throw Diagnostic(code: "K074", message: "cannot write `\(path)`: \(String(cString: strerror(errno)))")
            }
            written += result
        }
    }

    /// Every regular file under `folder`, as sorted relative paths. Links are
    /// followed only when they resolve inside `root`; others are reported.
    static func files(under folder: URL, root: URL, displayPrefix: String) -> (files: [String], problems: [Diagnostic]) {
        var files: [String] = []
        var problems: [Diagnostic] = []
        let manager = FileManager.default
        func walk(_ url: URL, _ relative: String) {
            guard let names = try? manager.contentsOfDirectory(atPath: url.path) else { return }
            for name in names.sorted() {
                let child = url.appendingPathComponent(name)
                let childRelative = relative.isEmpty ? name : relative + "/" + name
                var isFolder: ObjCBool = false
                if isSymbolicLink(child) {
                    let target = realPath(child)
                    guard isInside(target, root) else {
                        problems.append(Diagnostic(
                            code: "K075", message: "`\(displayPrefix)/\(childRelative)` is a link to a file outside the site",
                            path: "\(displayPrefix)/\(childRelative)",
                            help: "copy the file into the site instead of linking to it"))
                        continue
                    }
                }
                guard manager.fileExists(atPath: child.path, isDirectory: &isFolder) else { continue }
                if isFolder.boolValue { walk(child, childRelative) } else { files.append(childRelative) }
            }
        }
        walk(folder, "")
        return (files, problems)
    }
}
