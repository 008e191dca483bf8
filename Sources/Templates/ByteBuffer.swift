/// Somewhere bytes are appended: a `[UInt8]`, or a render's `ByteBuffer`.
/// Escaping, JSON and URL writing append through it, so each writes
/// straight into whichever its caller has.
protocol ByteOutput: ~Copyable {
    /// How many bytes there are so far.
    var count: Int { get }
    mutating func put(_ byte: UInt8)
    mutating func put(_ bytes: UnsafeBufferPointer<UInt8>)
}

extension Array: ByteOutput where Element == UInt8 {
    @inline(__always)
    mutating func put(_ byte: UInt8) {
        append(byte)
    }

    @inline(__always)
    mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        append(contentsOf: bytes)
    }
}

/// The bytes a render writes: memory of its own that grows as needed and
/// keeps its size when emptied, appended to with a check of the room left
/// and a copy, nothing more.
struct ByteBuffer: ~Copyable, ByteOutput {
    private var start: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(64, capacity)
        start = .allocate(capacity: self.capacity)
    }

    deinit {
        start.deallocate()
    }

    var isEmpty: Bool { count == 0 }

    @inline(__always)
    mutating func put(_ byte: UInt8) {
        if count == capacity { grow(toHold: count + 1) }
        start[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        let added = bytes.count
        guard added > 0 else { return }
        if added > capacity - count { grow(toHold: count + added) }
        (start + count).initialize(from: bytes.baseAddress!, count: added)
        count += added
    }

    /// Moves the bytes to memory with room for at least `needed`, twice as much as before or more.
    @inline(never)
    private mutating func grow(toHold needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        moved.initialize(from: start, count: count)
        start.deallocate()
        start = moved
        capacity = newCapacity
    }

    /// Forgets the bytes, keeping the memory.
    mutating func removeAll() {
        count = 0
    }

    func withUnsafeBufferPointer<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try body(UnsafeBufferPointer(start: start, count: count))
    }

    /// The bytes, as an array.
    var bytes: [UInt8] {
        Array(UnsafeBufferPointer(start: start, count: count))
    }
}
