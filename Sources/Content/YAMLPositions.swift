import Foundation
import Yams

/// Turns the positions Yams reports (1-based line and column, counted in
/// Unicode scalars, with every YAML line break) into UTF-8 offsets of the file.
struct YAMLPositions: Sendable {
    let base: Int
    let bytes: [UInt8]
    /// UTF-8 offsets (within `bytes`) where each line starts.
    let lineStarts: [Int]

    init(yaml: String, base: Int) {
        self.base = base
        let bytes = Array(yaml.utf8)
        self.bytes = bytes
        var starts = [0]
        var index = 0
        let count = bytes.count
        // The YAML line breaks: \r\n, \r, \n, U+0085, U+2028, U+2029.
        while index < count {
            let byte = bytes[index]
            if byte == 0x0D {
                index += (index + 1 < count && bytes[index + 1] == 0x0A) ? 2 : 1
                starts.append(index)
            } else if byte == 0x0A {
                index += 1
                starts.append(index)
            } else if byte == 0xC2, index + 1 < count, bytes[index + 1] == 0x85 {
                index += 2
                starts.append(index)
            } else if byte == 0xE2, index + 2 < count, bytes[index + 1] == 0x80,
                      bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9 {
                index += 3
                starts.append(index)
            } else {
                index += 1
            }
        }
        self.lineStarts = starts
    }

    /// The last position found: nodes come in document order, so the next
    /// one on the same line is found by walking on from here, not from the
    /// start of a line that may be very long.
    private var cursor = (line: 0, column: 0, index: 0)

    /// The file offset of a 1-based YAML line and column; clamped to the text.
    /// - Complexity: O(distance from the previous position on the same line), else O(column).
    mutating func offset(line: Int, column: Int) -> Int {
        guard line >= 1 else { return base }
        guard line <= lineStarts.count else { return base + bytes.count }
        let lineEnd = line < lineStarts.count ? lineStarts[line] : bytes.count
        var index = lineStarts[line - 1]
        var remaining = column - 1
        if cursor.line == line, cursor.column <= column {
            index = cursor.index
            remaining = column - cursor.column
        }
        while remaining > 0, index < lineEnd {
            index += YAMLPositions.scalarLength(bytes[index])
            remaining -= 1
        }
        cursor = (line, column - remaining, index)
        return base + min(index, bytes.count)
    }

    mutating func offset(of mark: Mark) -> Int { offset(line: mark.line, column: mark.column) }

    static func scalarLength(_ lead: UInt8) -> Int {
        switch lead {
        case 0xF0...: return 4
        case 0xE0...: return 3
        case 0xC0...: return 2
        default: return 1
        }
    }
}

/// Finds aliases before Yams sees them. Yams shares an aliased value instead
/// of copying it, but it hashes mapping keys in full, so a key built from
/// nested aliases ("a billion laughs") would take hours. Kith front matter
/// has no use for aliases, so a document with any alias that names an anchor
/// is refused without being parsed.
enum AliasGuard {
    struct Found: Equatable {
        var name: String
        /// UTF-8 offset of the `*` within the YAML text.
        var offset: Int
    }

    /// The first `*name` whose name is also written as `&name` somewhere.
    /// The scan is textual and errs on the side of finding too much: a real
    /// alias always has this shape, and unrelated text such as `R&D … *D`
    /// is rare enough to be worth the refusal.
    static func firstResolvableAlias(in bytes: [UInt8]) -> Found? {
        bytes.withUnsafeBufferPointer { firstResolvableAlias(in: $0) }
    }

    static func firstResolvableAlias(in bytes: UnsafeBufferPointer<UInt8>) -> Found? {
        // Without both an `&` and a `*` there is nothing to find; most
        // documents have neither, and `memchr` looks at many bytes at a time.
        guard let start = bytes.baseAddress,
              memchr(start, Int32(UInt8(ascii: "&")), bytes.count) != nil,
              memchr(start, Int32(UInt8(ascii: "*")), bytes.count) != nil else { return nil }
        var anchors: Set<String> = []
        var aliases: [Found] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "&") || byte == UInt8(ascii: "*") {
                var end = index + 1
                while end < bytes.count, isNameByte(bytes[end]) { end += 1 }
                if end > index + 1 {
                    let name = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
                    if byte == UInt8(ascii: "&") { anchors.insert(name) } else { aliases.append(Found(name: name, offset: index)) }
                }
                index = end
            } else {
                index += 1
            }
        }
        return aliases.first { anchors.contains($0.name) }
    }

    /// The characters of an anchor name as the YAML parser reads them.
    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }
}

/// Runs work on a thread with a stack of a chosen size and waits for it.
enum LargeStack {
    /// The key under which a thread started by `concurrentPerform` records its stack size.
    private static let stackSizeKey = "kith.large-stack-size"

    static func run<T: Sendable>(stackSize: Int, _ work: @escaping @Sendable () -> T) -> T {
        // A worker of `concurrentPerform` already has a stack this large.
        if let current = Thread.current.threadDictionary[stackSizeKey] as? Int, current >= stackSize {
            return work()
        }
        let box = ResultBox<T>()
        let thread = Thread {
            let value = work()
            box.condition.lock()
            box.value = value
            box.condition.signal()
            box.condition.unlock()
        }
        thread.stackSize = stackSize
        thread.start()
        box.condition.lock()
        defer { box.condition.unlock() }
        while true {
            if let value = box.value { return value }
            box.condition.wait()
        }
    }
}

extension LargeStack {
    /// Calls `body` for every index in `0..<iterations` on a few threads (one
    /// per core) with stacks of `stackSize`, and waits for all of them. Inside
    /// `body`, `run` with a stack no larger works in place instead of starting
    /// a thread of its own.
    static func concurrentPerform(iterations: Int, stackSize: Int, _ body: @escaping @Sendable (Int) -> Void) {
        guard iterations > 0 else { return }
        let workers = max(1, min(iterations, ProcessInfo.processInfo.activeProcessorCount))
        let queue = WorkQueue(running: workers)
        for _ in 0..<workers {
            let thread = Thread {
                Thread.current.threadDictionary[stackSizeKey] = stackSize
                while let index = queue.take(below: iterations) { body(index) }
                queue.finish()
            }
            thread.stackSize = stackSize
            thread.start()
        }
        queue.waitForAll()
    }
}

/// The shared state of `LargeStack.concurrentPerform`: the next index to hand
/// out and the workers still running; guarded by `condition`.
private final class WorkQueue: @unchecked Sendable {
    let condition = NSCondition()
    var next = 0
    var running: Int

    init(running: Int) { self.running = running }

    func take(below limit: Int) -> Int? {
        condition.lock()
        defer { condition.unlock() }
        guard next < limit else { return nil }
        next += 1
        return next - 1
    }

    func finish() {
        condition.lock()
        running -= 1
        condition.broadcast()
        condition.unlock()
    }

    func waitForAll() {
        condition.lock()
        while running > 0 { condition.wait() }
        condition.unlock()
    }
}

/// The hand-over point between `LargeStack.run` and its thread; guarded by `condition`.
private final class ResultBox<T>: @unchecked Sendable {
    let condition = NSCondition()
    var value: T?
}
