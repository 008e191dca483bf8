import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Notices changes under some folders of the site by comparing the
/// modification time, size and inode of every file every `interval`, which
/// works the same on every system and file system (network drives included).
///
/// Runs on a thread of its own, not on the Swift concurrency pool, because the
/// rebuild it triggers is synchronous work that may take a while.
final class ChangeWatcher: @unchecked Sendable {
    /// What identifies a version of a file.
    struct Stamp: Equatable, Sendable {
        var seconds: Int
        var nanoseconds: Int
        var size: Int64
        var inode: UInt64
    }

    let root: URL
    let folders: [String]
    let interval: Duration
    private let onChange: @Sendable ([String]) -> Void

    private let lock = NSLock()
    private var stopping = false
    private var running = false

    /// - Parameters:
    ///   - folders: site-relative folders to watch (`content`, `templates`).
    ///   - onChange: called on the watcher's thread with the changed paths;
    ///     the next check starts when it returns.
    init(root: URL, folders: [String], interval: Duration, onChange: @escaping @Sendable ([String]) -> Void) {
        self.root = root
        self.folders = folders
        self.interval = interval
        self.onChange = onChange
    }

    /// Starts watching from the files as they are now.
    func start() {
        lock.lock()
        running = true
        stopping = false
        lock.unlock()
        let initial = Self.snapshot(root: root, folders: folders)
        let thread = Thread { [self] in loop(from: initial) }
        thread.name = "kith-watch"
        thread.start()
    }

    /// Asks the thread to stop; it does so after the check or build under way.
    func stop() {
        lock.lock()
        stopping = true
        lock.unlock()
    }

    /// Whether the thread is still running (it ends shortly after `stop`).
    var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        return running
    }

    private var shouldStop: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopping
    }

    private func loop(from initial: [String: Stamp]) {
        var known = initial
        let pause = Self.seconds(interval)
        while !shouldStop {
            Thread.sleep(forTimeInterval: pause)
            if shouldStop { break }
            var now = Self.snapshot(root: root, folders: folders)
            guard now != known else { continue }
            // Let an editor finish saving: look again shortly until two checks agree (a few times at most).
            for _ in 0..<5 {
                Thread.sleep(forTimeInterval: min(pause, 0.05))
                let again = Self.snapshot(root: root, folders: folders)
                if again == now { break }
                now = again
            }
            let changed = Self.changes(from: known, to: now)
            known = now
            if !changed.isEmpty, !shouldStop { onChange(changed) }
        }
        lock.lock()
        running = false
        lock.unlock()
    }

    /// Site-relative paths added, removed or changed between two snapshots, sorted.
    static func changes(from old: [String: Stamp], to new: [String: Stamp]) -> [String] {
        var paths: Set<String> = []
        for (path, stamp) in new where old[path] != stamp { paths.insert(path) }
        for path in old.keys where new[path] == nil { paths.insert(path) }
        return paths.sorted()
    }

    /// Every file under the folders, by site-relative path. Hidden files and
    /// editor backups (`~`) are left out; linked folders are not entered.
    static func snapshot(root: URL, folders: [String]) -> [String: Stamp] {
        var stamps: [String: Stamp] = [:]
        func walk(_ relative: String, depth: Int) {
            guard depth < 32 else { return }
            let url = root.appendingPathComponent(relative)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: url.path) else { return }
            for name in names where !name.hasPrefix(".") && !name.hasSuffix("~") {
                let child = relative + "/" + name
                let path = root.appendingPathComponent(child).path
                var info = stat()
                guard lstat(path, &info) == 0 else { continue }
                let kind = info.st_mode & S_IFMT
                if kind == S_IFDIR {
                    walk(child, depth: depth + 1)
                    continue
                }
                if kind == S_IFLNK {
                    // A linked file counts by what it points at.
                    guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
                }
                stamps[child] = stamp(info)
            }
        }
        for folder in folders { walk(folder, depth: 0) }
        return stamps
    }

    private static func stamp(_ info: stat) -> Stamp {
        #if canImport(Darwin)
        Stamp(seconds: Int(info.st_mtimespec.tv_sec), nanoseconds: Int(info.st_mtimespec.tv_nsec),
              size: Int64(info.st_size), inode: UInt64(info.st_ino))
        #else
        Stamp(seconds: Int(info.st_mtim.tv_sec), nanoseconds: Int(info.st_mtim.tv_nsec),
              size: Int64(info.st_size), inode: UInt64(info.st_ino))
        #endif
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
