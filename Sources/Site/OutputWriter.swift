import Diagnostics
import Foundation

/// One file of the finished site, by its path relative to the output folder.
struct OutputFile: Sendable {
    enum Source: Sendable {
        case bytes([UInt8])
        case copy(URL)
    }

    var path: String
    var source: Source
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
        let manager = FileManager.default
        let parent = output.deletingLastPathComponent()
        try manager.createDirectory(at: parent, withIntermediateDirectories: true)
        let stamp = "\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0 ... .max))"
        let staging = parent.appendingPathComponent(".\(output.lastPathComponent).building-\(stamp)", isDirectory: true)
        try manager.createDirectory(at: staging, withIntermediateDirectories: false)
        var swapped = false
        defer { if !swapped { try? manager.removeItem(at: staging) } }

        var madeFolders: Set<String> = [""]
        for file in files {
            guard Self.isSafeRelativePath(file.path) else {
                throw Diagnostic(code: "K073", message: "refusing to write `\(file.path)`: not a plain path inside the output folder")
            }
            let folder = (file.path as NSString).deletingLastPathComponent
            if !madeFolders.contains(folder) {
                try manager.createDirectory(at: staging.appendingPathComponent(folder, isDirectory: true), withIntermediateDirectories: true)
                var partial = folder
                while !partial.isEmpty, madeFolders.insert(partial).inserted {
                    partial = (partial as NSString).deletingLastPathComponent
                }
            }
            let target = staging.appendingPathComponent(file.path)
            switch file.source {
            case .bytes(let bytes):
                try FileSystem.createFile(at: target, bytes: bytes)
            case .copy(let source):
                try FileSystem.createFile(at: target, bytes: Array(try Data(contentsOf: source)))
            }
        }
        // A tracked placeholder in the output folder survives rebuilds.
        let keep = output.appendingPathComponent(".gitkeep")
        if manager.fileExists(atPath: keep.path), !FileSystem.isSymbolicLink(keep) {
            try? FileSystem.createFile(at: staging.appendingPathComponent(".gitkeep"), bytes: [])
        }

        if manager.fileExists(atPath: output.path) || FileSystem.isSymbolicLink(output) {
            let old = parent.appendingPathComponent(".\(output.lastPathComponent).old-\(stamp)", isDirectory: true)
            try manager.moveItem(at: output, to: old)
            do {
                try manager.moveItem(at: staging, to: output)
            } catch {
                try? manager.moveItem(at: old, to: output)
                throw error
            }
            swapped = true
            try? manager.removeItem(at: old)
        } else {
            try manager.moveItem(at: staging, to: output)
            swapped = true
        }
        return files.count
    }

    /// A path of plain names joined by `/`: no `.` or `..`, no empty part, no NUL or backslash.
    static func isSafeRelativePath(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.utf8.contains(0), !path.contains("\\") else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { part in
            !part.isEmpty && part != "." && part != ".."
        }
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

    static func isSymbolicLink(_ url: URL) -> Bool {
        var info = stat()
        return lstat(url.path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }

    /// Creates a new file; fails rather than write through an existing file or link.
    static func createFile(at url: URL, bytes: [UInt8]) throws {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw Diagnostic(code: "K074", message: "cannot create `\(url.path)`: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                Glibc.write(fd, buffer.baseAddress! + written, buffer.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw Diagnostic(code: "K074", message: "cannot write `\(url.path)`: \(String(cString: strerror(errno)))")
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
