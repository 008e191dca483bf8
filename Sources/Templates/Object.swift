import Synchronization

/// The fields of an object value: names and values in the order the names
/// were first set.
///
/// An object keeps its names apart from its values, in an `ObjectKeys` that
/// objects of the same shape can share: every asset value of a site has the
/// same names, so each holds only its own values. A field is found by a
/// small hash of its name, compared before the name itself; a name the
/// template engine looks up is hashed once, when the template is compiled.
///
/// Two objects are equal when they have the same fields, in any order.
public struct Object: Sendable {
    @usableFromInline var shape: ObjectKeys
    @usableFromInline var storedValues: [Value]

    /// An object with no fields.
    public init() {
        shape = ObjectKeys.empty
        storedValues = []
    }

    /// An object with the names of `keys` and the values in the same order.
    /// - Precondition: there are as many values as names.
    public init(keys: ObjectKeys, values: [Value]) {
        precondition(keys.count == values.count, "an object has one value for each of its names")
        shape = keys
        storedValues = values
    }

    /// The fields of a dictionary, in the order of their names: the same
    /// object whatever order the dictionary keeps them in.
    public init(_ dictionary: [String: Value]) {
        let pairs = dictionary.sorted { $0.key < $1.key }
        shape = ObjectKeys(pairs.map(\.key))
        storedValues = pairs.map(\.value)
    }

    /// The number of fields.
    @inlinable public var count: Int { storedValues.count }

    @inlinable public var isEmpty: Bool { storedValues.isEmpty }

    /// The field names, in order.
    @inlinable public var keys: [String] { shape.names }

    /// The field values, in the order of `keys`.
    @inlinable public var values: [Value] { storedValues }

    /// The value of the field `name`, or nil when there is none. Setting a
    /// field the object has replaces its value in place; setting another
    /// adds it at the end; setting nil removes the field.
    public subscript(name: String) -> Value? {
        get {
            guard let position = shape.position(of: name, hash: ObjectKeys.hash(name)) else { return nil }
            return storedValues[position]
        }
        set {
            let hash = ObjectKeys.hash(name)
            if let position = shape.position(of: name, hash: hash) {
                if let newValue {
                    storedValues[position] = newValue
                } else {
                    remove(at: position)
                }
            } else if let newValue {
                append(name, hash: hash, newValue)
            }
        }
    }

    /// The value of the field `name`, whose `ObjectKeys.hash` the caller
    /// worked out before; nil when there is none.
    @inlinable @inline(__always)
    public func value(named name: String, hash: UInt32) -> Value? {
        guard let position = shape.position(of: name, hash: hash) else { return nil }
        return storedValues[position]
    }

    /// Calls `body` with where the value of the field `name` is kept (see
    /// `value(named:hash:)`), without copying it; nil when there is none.
    /// The place is valid as long as this object's values are, unchanged.
    @inline(__always)
    func withValue<Result>(named name: String, hash: UInt32, _ body: (UnsafePointer<Value>) throws -> Result) rethrows -> Result? {
        guard let position = shape.position(of: name, hash: hash) else { return nil }
        return try storedValues.withUnsafeBufferPointer { try body($0.baseAddress! + position) }
    }

    /// Sets each field of `other` here: a field both have takes `other`'s value.
    public mutating func merge(_ other: Object) {
        if isEmpty {
            self = other
            return
        }
        storedValues.reserveCapacity(count + other.count)
        let names = other.shape.names, hashes = other.shape.hashes
        for position in names.indices {
            let name = names[position], hash = hashes[position]
            if let own = shape.position(of: name, hash: hash) {
                storedValues[own] = other.storedValues[position]
            } else {
                append(name, hash: hash, other.storedValues[position])
            }
        }
    }

    /// The same object, holding the list of names that other objects with
    /// the same names in the same order hold, when there is one: for values
    /// made many times over and kept, such as the site's asset values.
    public func sharingNames() -> Object {
        var fingerprint = ObjectKeys.Fingerprint()
        for hash in shape.hashes { fingerprint.add(hash) }
        var object = self
        if let shared = ObjectKeys.shared(fingerprint, matching: shape.names), shared !== shape {
            object.shape = shared
        } else {
            ObjectKeys.share(&object.shape, fingerprint: fingerprint, count: count)
        }
        if object.storedValues.capacity > object.count {
            object.storedValues = Array(unsafeUninitializedCapacity: count) { buffer, initialized in
                initialized = buffer.initialize(fromContentsOf: storedValues)
            }
        }
        return object
    }

    /// Makes room for `count` values in all.
    public mutating func reserveCapacity(_ count: Int) {
        storedValues.reserveCapacity(count)
    }

    /// The fields in name order, the order every JSON object Kith writes
    /// uses: the order of `<` on the names, which for names of ASCII text
    /// (nearly all of them) is their byte order. Names are unique, so any
    /// sort gives the same result.
    public func sortedByName() -> [(key: String, value: Value)] {
        var pairs = Array(self)
        pairs.sort { $0.key < $1.key }
        return pairs
    }

    private mutating func append(_ name: String, hash: UInt32, _ value: Value) {
        storedValues.append(value)
        // Small objects built the same way, field by field, go through the
        // same names: the list made for one is kept for the next.
        if shape.count < ObjectKeys.keptAdditionsBelow {
            shape = shape.adding(name, hash: hash)
            return
        }
        guard isKnownUniquelyReferenced(&shape) else {
            shape = ObjectKeys(names: shape.names + [name], hashes: shape.hashes + [hash])
            return
        }
        // Names no other object holds: their lists are taken over and grow
        // where they are, so fields added one by one cost no more than
        // fields written all at once.
        var names = shape.names
        var hashes = shape.hashes
        var positions = shape.positions
        shape = ObjectKeys.empty
        names.append(name)
        hashes.append(hash)
        positions?[name] = names.count - 1
        shape = ObjectKeys(names: names, hashes: hashes, positions: positions)
    }

    private mutating func remove(at position: Int) {
        var names = shape.names
        names.remove(at: position)
        shape = ObjectKeys(names)
        storedValues.remove(at: position)
    }
}

extension Object: ExpressibleByDictionaryLiteral {
    /// The fields in the order written; a later entry for the same name
    /// replaces the earlier one's value where it stands. Objects written
    /// with the same names in the same order share one list of names.
    public init(dictionaryLiteral elements: (String, Value)...) {
        self.init(pairs: elements)
    }

    /// An object written as a literal: see `init(dictionaryLiteral:)`.
    init(pairs: consuming [(String, Value)]) {
        var elements = pairs
        if elements.isEmpty {
            self.init()
            return
        }
        // The same literal gives the same names, down to their bits, every
        // time, so those bits find the list it made before without hashing
        // the text of each name. The values are moved out of the literal's
        // list, which is the object's own, not copied and then let go.
        var written = ObjectKeys.Fingerprint()
        let count = elements.count
        var values: [Value] = []
        values.reserveCapacity(count)
        elements.withUnsafeMutableBufferPointer { pairs in
            for position in 0..<count {
                written.add(bitsOf: pairs[position].0)
                var value = Value.null
                swap(&value, &pairs[position].1)
                values.append(value)
            }
        }
        if let known = ObjectKeys.literal(written, matching: elements) {
            self.init(keys: known, values: values)
            return
        }
        var names: [String] = []
        var hashes: [UInt32] = []
        names.reserveCapacity(elements.count)
        hashes.reserveCapacity(elements.count)
        var kept: [Value] = []
        kept.reserveCapacity(elements.count)
        var fingerprint = ObjectKeys.Fingerprint()
        for (position, (name, _)) in elements.enumerated() {
            let hash = ObjectKeys.hash(name)
            fingerprint.add(hash)
            if let earlier = names.indices.first(where: { hashes[$0] == hash && names[$0] == name }) {
                kept[earlier] = values[position]
            } else {
                names.append(name)
                hashes.append(hash)
                kept.append(values[position])
            }
        }
        var shape = ObjectKeys(names: names, hashes: hashes)
        ObjectKeys.share(&shape, fingerprint: fingerprint, count: elements.count)
        if shape.count == elements.count { ObjectKeys.remember(literal: written, shape) }
        self.init(keys: shape, values: kept)
    }
}

extension Object: Sequence {
    public struct Iterator: IteratorProtocol {
        let object: Object
        var position = 0

        public mutating func next() -> (key: String, value: Value)? {
            guard position < object.storedValues.count else { return nil }
            defer { position += 1 }
            return (object.shape.names[position], object.storedValues[position])
        }
    }

    public func makeIterator() -> Iterator { Iterator(object: self) }

    public var underestimatedCount: Int { count }
}

extension Object: Equatable {
    public static func == (lhs: Object, rhs: Object) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if lhs.shape === rhs.shape { return lhs.storedValues == rhs.storedValues }
        for (position, name) in lhs.shape.names.enumerated() {
            guard let other = rhs.value(named: name, hash: lhs.shape.hashes[position]),
                  other == lhs.storedValues[position] else { return false }
        }
        return true
    }
}

extension Object: CustomStringConvertible {
    public var description: String {
        "[" + map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "]"
    }
}

/// The names of an object's fields, in order, with a hash of each; shared by
/// the objects that have the same names, and never changed: an object that
/// gains or loses a field takes a new list.
public final class ObjectKeys: Sendable {
    public let names: [String]
    @usableFromInline let hashes: [UInt32]
    /// The position of each name, once there are too many to search in turn.
    @usableFromInline let positions: [String: Int]?

    /// Past this many names, a name is found through `positions`.
    @usableFromInline static let searchLimit = 64

    static let empty = ObjectKeys([])

    /// Names for objects of one shape.
    /// - Precondition: no name is repeated.
    public convenience init(_ names: [String]) {
        self.init(names: names, hashes: names.map(Self.hash))
    }

    /// - Parameter known: the position of each name, when the caller has it.
    init(names: [String], hashes: [UInt32], positions known: [String: Int]? = nil) {
        assert(Set(names).count == names.count, "an object's names are different from each other")
        self.names = names
        self.hashes = hashes
        if let known {
            positions = known
        } else if names.count > Self.searchLimit {
            var positions: [String: Int] = [:]
            positions.reserveCapacity(names.count)
            for (position, name) in names.enumerated() { positions[name] = position }
            self.positions = positions
        } else {
            positions = nil
        }
    }

    @inlinable public var count: Int { names.count }

    // MARK: One name more

    /// The lists made from this one by adding one name, kept for the next
    /// object that adds the same name (at most `keptAdditionsEach`).
    private let additions = Mutex<[ObjectKeys]>([])

    /// Lists of fewer names than this keep their additions; a longer list
    /// grows in place in the object that holds it alone.
    static let keptAdditionsBelow = 48
    private static let keptAdditionsEach = 16
    /// How many additions are kept in all: names that come from content
    /// cannot make the kept lists grow without end.
    private static let keptAdditionsLimit = 65_536
    private static let keptAdditions = Atomic<Int>(0)

    /// These names and `name` after them.
    /// - Precondition: `name` is not among the names.
    func adding(_ name: String, hash: UInt32) -> ObjectKeys {
        let count = names.count
        func isIt(_ keys: ObjectKeys) -> Bool { keys.hashes[count] == hash && keys.names[count] == name }
        if let kept = additions.withLock({ $0.first(where: isIt) }) { return kept }
        let made = ObjectKeys(names: names + [name], hashes: hashes + [hash])
        return additions.withLock { kept in
            // Another thread may have added the same name meanwhile.
            if let other = kept.first(where: isIt) { return other }
            if kept.count < Self.keptAdditionsEach,
               Self.keptAdditions.wrappingAdd(1, ordering: .relaxed).oldValue < Self.keptAdditionsLimit {
                kept.append(made)
            }
            return made
        }
    }

    /// The 32-bit FNV-1a hash of a name's UTF-8 bytes.
    @inlinable public static func hash(_ name: String) -> UInt32 {
        var name = name
        return name.withUTF8 { bytes in
            var hash: UInt32 = 2_166_136_261
            for byte in bytes {
                hash = (hash ^ UInt32(byte)) &* 16_777_619
            }
            return hash
        }
    }

    /// Where `name` is among the names, or nil.
    ///
    /// It only reads, which the optimiser is told: a caller that reads an
    /// object where it is kept then need not copy the object for the call.
    @inlinable @_effects(readonly)
    func position(of name: String, hash: UInt32) -> Int? {
        if let positions { return positions[name] }
        return hashes.withUnsafeBufferPointer { hashes in
            for position in hashes.indices where hashes[position] == hash && names[position] == name {
                return position
            }
            return nil
        }
    }

    // MARK: Sharing

    /// A hash of a list of names, from the hash of each in order.
    struct Fingerprint {
        private(set) var value: UInt64 = 14_695_981_039_346_656_037

        mutating func add(_ hash: UInt32) {
            value = (value ^ UInt64(hash)) &* 1_099_511_628_211
        }

        /// Adds the bits of the `String` itself: for short text, the text;
        /// for longer text, where it is kept. Equal bits mean equal text;
        /// equal text may have other bits.
        mutating func add(bitsOf name: String) {
            let (low, high) = withUnsafeBytes(of: name) { raw in
                (raw.loadUnaligned(as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            }
            value = (value ^ low) &* 1_099_511_628_211
            value = (value ^ high) &* 1_099_511_628_211
        }
    }

    /// Lists of names made from object literals, by the fingerprint of the
    /// bits of their names as written (see `Fingerprint.add(bitsOf:)`).
    private static let literalLists = Mutex<[UInt64: ObjectKeys]>([:])

    /// The list a literal with these names made before.
    static func literal(_ fingerprint: Fingerprint, matching elements: [(String, Value)]) -> ObjectKeys? {
        guard let keys = literalLists.withLock({ $0[fingerprint.value] }), keys.count == elements.count else { return nil }
        for position in elements.indices where keys.names[position] != elements[position].0 { return nil }
        return keys
    }

    /// Keeps the list a literal made, for the next object written the same way.
    static func remember(literal fingerprint: Fingerprint, _ keys: ObjectKeys) {
        literalLists.withLock { table in
            if table.count < sharedLimit, table[fingerprint.value] == nil { table[fingerprint.value] = keys }
        }
    }

    /// Lists of names shared by the objects that have them, by fingerprint.
    /// Object literals in the code make a few dozen shapes; the table stops
    /// growing at `sharedLimit`, so names that come from content cannot
    /// fill it.
    private static let sharedLists = Mutex<[UInt64: ObjectKeys]>([:])
    private static let sharedLimit = 4096

    /// The shared list with this fingerprint, if its names are `names`.
    static func shared(_ fingerprint: Fingerprint, matching names: [String]) -> ObjectKeys? {
        guard let keys = sharedLists.withLock({ $0[fingerprint.value] }), keys.names == names else { return nil }
        return keys
    }

    /// Offers `keys`, made from a list of `count` names with this
    /// fingerprint, for sharing: replaced by the list already shared, or
    /// shared from now on. Names with a repeat (so fewer than `count`) are
    /// not shared.
    static func share(_ keys: inout ObjectKeys, fingerprint: Fingerprint, count: Int) {
        guard keys.count == count else { return }
        let offered = keys
        let shared = sharedLists.withLock { table -> ObjectKeys? in
            if let existing = table[fingerprint.value] { return existing }
            guard table.count < sharedLimit else { return nil }
            table[fingerprint.value] = offered
            return offered
        }
        if let shared, shared !== keys, shared.names == keys.names { keys = shared }
    }
}
