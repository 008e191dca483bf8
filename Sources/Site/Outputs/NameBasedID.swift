/// Identifiers that stay the same from build to build: name-based UUIDs
/// (version 5, RFC 9562 §5.5) in Kith's own namespace, made from a kind and
/// a slug, e.g. `organization/northside-library`.
enum NameBasedID {
    /// Kith's namespace for HSDS identifiers. Never change it: every
    /// published id depends on it.
    static let namespace: [UInt8] = hexBytes("1e828d1ccace4a848b8b71f18af2b12d")

    static func uuid(_ name: String) -> String {
        var message: [UInt8] = []
        message.reserveCapacity(namespace.count + name.utf8.count)
        message.append(contentsOf: namespace)
        message.append(contentsOf: name.utf8)
        var digest = SHA1.hash(message)
        digest[6] = (digest[6] & 0x0F) | 0x50
        digest[8] = (digest[8] & 0x3F) | 0x80
        // 8-4-4-4-12 lowercase hex digits.
        return String(unsafeUninitializedCapacity: 36) { text in
            var position = 0
            for index in 0..<16 {
                if index == 4 || index == 6 || index == 8 || index == 10 {
                    text[position] = UInt8(ascii: "-")
                    position += 1
                }
                text[position] = hexDigits[Int(digest[index] >> 4)]
                text[position + 1] = hexDigits[Int(digest[index] & 0x0F)]
                position += 2
            }
            return position
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private static func hexBytes(_ text: String) -> [UInt8] {
        let digits = Array(text.utf8)
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
    }
}

/// SHA-1 (FIPS 180-4), used here only to make name-based UUIDs, never for security.
enum SHA1 {
    static func hash(_ message: [UInt8]) -> [UInt8] {
        var h0: UInt32 = 0x6745_2301, h1: UInt32 = 0xEFCD_AB89, h2: UInt32 = 0x98BA_DCFE, h3: UInt32 = 0x1032_5476, h4: UInt32 = 0xC3D2_E1F0
        // The message, a 1 bit, zeros, and its length in bits (64 bits, big-endian), in whole blocks of 64 bytes.
        let length = message.count
        let blocks = (length + 8) / 64 + 1
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: blocks * 64) { padded in
            padded.initialize(repeating: 0)
            _ = message.withUnsafeBufferPointer { padded.initialize(from: $0) }
            padded[length] = 0x80
            let bits = UInt64(length) * 8
            for index in 0..<8 { padded[blocks * 64 - 1 - index] = UInt8(truncatingIfNeeded: bits >> UInt64(index * 8)) }

            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 80) { w in
                for block in 0..<blocks {
                    let start = block * 64
                    for t in 0..<16 {
                        let i = start + t * 4
                        w[t] = UInt32(padded[i]) << 24 | UInt32(padded[i + 1]) << 16 | UInt32(padded[i + 2]) << 8 | UInt32(padded[i + 3])
                    }
                    for t in 16..<80 { w[t] = rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1) }
                    var (a, b, c, d, e) = (h0, h1, h2, h3, h4)
                    func step(_ f: UInt32, _ k: UInt32, _ t: Int) {
                        let temp = rotl(a, 5) &+ f &+ e &+ k &+ w[t]
                        (e, d, c, b, a) = (d, c, rotl(b, 30), a, temp)
                    }
                    for t in 0..<20 { step((b & c) | (~b & d), 0x5A82_7999, t) }
                    for t in 20..<40 { step(b ^ c ^ d, 0x6ED9_EBA1, t) }
                    for t in 40..<60 { step((b & c) | (b & d) | (c & d), 0x8F1B_BCDC, t) }
                    for t in 60..<80 { step(b ^ c ^ d, 0xCA62_C1D6, t) }
                    h0 &+= a; h1 &+= b; h2 &+= c; h3 &+= d; h4 &+= e
                }
            }
        }
        return [UInt8](unsafeUninitializedCapacity: 20) { digest, count in
            func put(_ word: UInt32, at index: Int) {
                digest[index] = UInt8(truncatingIfNeeded: word >> 24)
                digest[index + 1] = UInt8(truncatingIfNeeded: word >> 16)
                digest[index + 2] = UInt8(truncatingIfNeeded: word >> 8)
                digest[index + 3] = UInt8(truncatingIfNeeded: word)
            }
            put(h0, at: 0); put(h1, at: 4); put(h2, at: 8); put(h3, at: 12); put(h4, at: 16)
            count = 20
        }
    }

    private static func rotl(_ x: UInt32, _ n: UInt32) -> UInt32 { (x << n) | (x >> (32 - n)) }
}
