import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What a finished build leaves beside its output folder, so that the next
/// build with nothing changed can stop at once: a fingerprint of every input
/// and the identity of the output folder it wrote.
///
/// The fingerprint covers the path, size and modification time of every file
/// under `content/` and `templates/`, the build options, and the `kith`
/// program itself. The record is the hidden file `.NAME.kith-state` beside
/// the output folder `NAME`; it is worth nothing once the output folder has
/// been replaced, emptied or moved, because the folder's inode and
/// modification time are part of it.
struct BuildState: Equatable {
    /// The inputs, as one hexadecimal digest.
    var inputs: String
    /// The output folder's device, inode and modification time, as written.
    var output: String
    /// Pages and files the build wrote, and the warnings it printed.
    var pages: Int
    var files: Int
    var warnings: Int

    /// The file that holds the state of `output`.
    static func recordURL(for output: URL) -> URL {
        output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).kith-state")
    }

    /// The state recorded for `output`, if any.
    static func recorded(for output: URL) -> BuildState? {
        guard let data = FileManager.default.contents(atPath: recordURL(for: output).path) else { return nil }
        var fields: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            fields[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        guard fields["format"] == "1", let inputs = fields["inputs"], let output = fields["output"],
              let pages = fields["pages"].flatMap({ Int($0) }), let files = fields["files"].flatMap({ Int($0) }),
              let warnings = fields["warnings"].flatMap({ Int($0) }) else { return nil }
        return BuildState(inputs: inputs, output: output, pages: pages, files: files, warnings: warnings)
    }

    /// Writes the record for `output` (replacing the previous one in one rename).
    func record(for output: URL) {
        let text = "format=1\ninputs=\(inputs)\noutput=\(self.output)\npages=\(pages)\nfiles=\(files)\nwarnings=\(warnings)\n"
        let target = Self.recordURL(for: output)
        let temporary = target.deletingLastPathComponent()
            .appendingPathComponent(".\(output.lastPathComponent).kith-state-\(ProcessInfo.processInfo.processIdentifier)")
        unlink(temporary.path)
        guard (try? FileSystem.createFile(atPath: temporary.path, bytes: Array(text.utf8))) != nil else { return }
        if rename(temporary.path, target.path) != 0 { unlink(temporary.path) }
    }

    /// Forgets the state of `output`, before a build replaces it.
    static func forget(for output: URL) {
        unlink(recordURL(for: output).path)
    }

    /// The identity of the output folder as it is now, or nil when it is not a folder.
    static func outputIdentity(_ output: URL) -> String? {
        var info = stat()
        guard lstat(output.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return nil }
        #if canImport(Darwin)
        let modified = info.st_mtimespec
        #else
        let modified = info.st_mtim
        #endif
        return "\(info.st_dev):\(info.st_ino):\(modified.tv_sec).\(modified.tv_nsec)"
    }

    /// The digest of every input of a build of `root` with `options`.
    static func inputDigest(root: URL, options: String) -> String {
        var digest = Fingerprint()
        digest.add("options:" + options)
        if let program = Bundle.main.executablePath { digest.addFile(program, name: "program") }
        for folder in ["content", "templates"] {
            digest.addTree(root.appendingPathComponent(folder).path, name: folder, depth: 0)
        }
        return digest.hex
    }
}

/// A 128-bit digest (two FNV-1a lanes) of file names, sizes and times.
/// It only has to notice change, not resist an attacker.
struct Fingerprint {
    private var low: UInt64 = 0xcbf2_9ce4_8422_2325
    private var high: UInt64 = 0x6c62_272e_07bb_0142

    mutating func add(_ text: String) {
        for byte in text.utf8 { mix(byte) }
        mix(0)
    }

    private mutating func mix(_ byte: UInt8) {
        low = (low ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        high = (high ^ UInt64(byte) ^ (low >> 29)) &* 0x0000_0100_0000_01B3
    }

    private mutating func mix(_ bytes: [UInt8]) {
        for byte in bytes { mix(byte) }
        mix(0)
    }

    /// What the digest notes of a file: its size, modification time and
    /// inode, and whether it is a folder.
    struct Facts: Sendable {
        var size: Int64
        var seconds: Int64
        var nanoseconds: Int64
        var inode: UInt64
        var isFolder: Bool

        init(_ info: stat) {
            #if canImport(Darwin)
            let modified = info.st_mtimespec
            #else
            let modified = info.st_mtim
            #endif
            size = Int64(info.st_size)
            seconds = Int64(modified.tv_sec)
            nanoseconds = Int64(modified.tv_nsec)
            inode = UInt64(info.st_ino)
            isFolder = (info.st_mode & S_IFMT) == S_IFDIR
        }
    }

    private mutating func add(_ facts: Facts) {
        mix(facts.isFolder ? UInt8(ascii: "D") : UInt8(ascii: "F"))
        for word in [UInt64(bitPattern: facts.size), UInt64(bitPattern: facts.seconds),
                     UInt64(bitPattern: facts.nanoseconds), facts.inode] {
            for shift in stride(from: 0, to: 64, by: 8) { mix(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
    }

    /// A file's name, size and modification time (following links).
    mutating func addFile(_ path: String, name: String) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            add("missing:" + name)
            return
        }
        add(name)
        add(Facts(info))
    }

    /// Every file and folder under `path`, in name order (following links).
    mutating func addTree(_ path: String, name: String, depth: Int) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            add("missing:" + name)
            return
        }
        add(name)
        let facts = Facts(info)
        add(facts)
        if facts.isFolder { addFolder(path, depth: depth + 1) }
    }

    /// The entries of the folder at `path`, each by name, then its facts,
    /// then (for a folder) its own entries and an end mark.
    private mutating func addFolder(_ path: String, depth: Int) {
        guard depth < 64, let folder = opendir(path) else { return }
        defer { closedir(folder) }
        var names = FileSystem.entryNames(of: folder)
        names.sort { Self.precedes($0, $1) }
        let facts = Self.facts(of: names, in: dirfd(folder))
        for (name, entry) in zip(names, facts) {
            mix(name)
            guard let entry else {
                add("missing")
                continue
            }
            add(entry)
            if entry.isFolder {
                addFolder(path + "/" + String(decoding: name, as: UTF8.self), depth: depth + 1)
                mix(UInt8(ascii: "E"))
            }
        }
    }

    /// The facts of each entry of an open folder, nil where it cannot be
    /// read; a large folder's entries are looked at on every core.
    private static func facts(of names: [[UInt8]], in folder: Int32) -> [Facts?] {
        PagePlan.inOrder(names) { name -> Facts? in
            var info = stat()
            let found = name.withUnsafeBufferPointer { bytes in
                // `d_name` is at most 255 bytes; the name is passed with its NUL.
                withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { text in
                    for (offset, byte) in bytes.enumerated() { text[offset] = CChar(bitPattern: byte) }
                    text[bytes.count] = 0
                    return fstatat(folder, text.baseAddress!, &info, 0) == 0
                }
            }
            return found ? Facts(info) : nil
        }
    }

    /// Byte order, as `strcmp` gives it.
    private static func precedes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        let shared = min(a.count, b.count)
        guard shared > 0 else { return a.count < b.count }
        let order = a.withUnsafeBufferPointer { x in
            b.withUnsafeBufferPointer { y in memcmp(x.baseAddress!, y.baseAddress!, shared) }
        }
        return order != 0 ? order < 0 : a.count < b.count
    }

    var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for word in [high, low] {
            for shift in stride(from: 60, through: 0, by: -4) { text.append(digits[Int((word >> UInt64(shift)) & 0xF)]) }
        }
        return String(decoding: text, as: UTF8.self)
    }
}
