/// A `Value` that something else holds, read without counting a reference.
///
/// A view is a copy of the bits of a value kept somewhere that outlives it:
/// an object's field, which the object holds. Making, copying and dropping a
/// view touch no reference count, so reading the same fields of the same
/// values on many threads at once does not make those threads fight over
/// the values' counts. A view must not be read after what holds its value
/// lets the value go; reading it does not keep the value alive.
struct ValueView {
    /// Room for the bits of a `Value`, with its alignment.
    private var bits: (UInt64, UInt64, UInt64) = (0, 0, 0)

    private init() {}

    /// A view of the value at `value`, which must stay where it is, unchanged,
    /// for as long as the view is read.
    @inline(__always)
    init(_ value: UnsafePointer<Value>) {
        // Known when compiling, so this check costs nothing.
        precondition(MemoryLayout<Value>.size <= MemoryLayout<ValueView>.size && MemoryLayout<Value>.alignment <= 8)
        withUnsafeMutableBytes(of: &bits) { room in
            room.copyMemory(from: UnsafeRawBufferPointer(start: value, count: MemoryLayout<Value>.size))
        }
    }

    /// A view of `value`, which whatever holds it must keep, unchanged,
    /// for as long as the view is read.
    @inline(__always)
    init(bitsOf value: borrowing Value) {
        self = withUnsafePointer(to: value) { ValueView($0) }
    }

    /// A view of null, which holds nothing.
    static var null: ValueView {
        var view = ValueView()
        withUnsafeMutableBytes(of: &view.bits) { room in
            _ = room.baseAddress!.initializeMemory(as: Value.self, repeating: .null, count: 1)
        }
        return view
    }

    /// Calls `body` with the value, neither copied nor retained.
    @inline(__always)
    func borrow<Result>(_ body: (borrowing Value) throws -> Result) rethrows -> Result {
        try withUnsafeBytes(of: bits) { raw in
            try body(raw.baseAddress!.assumingMemoryBound(to: Value.self).pointee)
        }
    }

    /// For text of 16 bytes or more (plain or safe) kept as UTF-8: its
    /// bytes, where the value's holder keeps them, and whether it is safe.
    /// Nil for anything else: shorter text is kept inside the value itself,
    /// and copying it counts no reference anyway.
    ///
    /// Text that long has storage of its own, which stays where it is for as
    /// long as the value does, so the bytes may be read while the view may
    /// be; reading them this way spares the copy of the text (and the count
    /// of a reference to it) that reading them through the value would take.
    var longText: (bytes: UnsafeBufferPointer<UInt8>, safe: Bool)? {
        self.borrow { value in
            switch value {
            case .string(let text): return Self.longUTF8(text).map { ($0, false) }
            case .safe(let text): return Self.longUTF8(text).map { ($0, true) }
            default: return nil
            }
        }
    }

    @inline(__always)
    private static func longUTF8(_ text: borrowing String) -> UnsafeBufferPointer<UInt8>? {
        text.utf8.withContiguousStorageIfAvailable { $0.count >= 16 ? $0 : nil } ?? nil
    }

    /// The value, as a copy of its own.
    var value: Value {
        self.borrow { copy $0 }
    }
}
