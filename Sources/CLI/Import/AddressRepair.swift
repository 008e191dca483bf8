import Foundation

/// Web addresses, e-mail addresses and phone numbers as directory data holds
/// them, made usable: `www.example.org` → `https://www.example.org`,
/// `mailto:a@b.org` → `a@b.org`. What cannot be repaired is refused (nil),
/// so no `javascript:` or other surprise reaches a profile.
enum AddressRepair {
    /// A web address, with `https://` added when the scheme is missing.
    /// - Returns: nil when the text is empty or not a web address.
    static func website(_ raw: String) -> String? {
        var text = raw.trimmed
        if text.hasPrefix("<"), text.hasSuffix(">") { text = String(text.dropFirst().dropLast()) }
        // Several addresses in one cell: the first one.
        if let first = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == ";" || $0 == "\n" }).first {
            text = String(first)
        } else {
            return nil
        }
        text = text.trimmingCharacters(in: CharacterSet(charactersIn: "\"'()"))
        guard !text.isEmpty, !text.unicodeScalars.contains(where: { $0.value < 0x21 || $0 == "\\" }) else { return nil }
        let lower = text.lowercased()
        var candidate: String
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            let split = text.range(of: "://")!
            candidate = lower.hasPrefix("https") ? "https" : "http"
            candidate += text[split.lowerBound...]
        } else if lower.hasPrefix("//") {
            candidate = "https:" + text
        } else if hasScheme(lower) {
            return nil  // mailto:, javascript:, ftp: … are not web pages.
        } else {
            candidate = "https://" + text
        }
        guard let host = host(of: candidate), isHostName(host) else { return nil }
        return candidate
    }

    /// The target of a link found in HTML: a web address or `mailto:`; nil for anything else.
    static func linkTarget(_ raw: String) -> String? {
        let text = raw.trimmed
        if text.lowercased().hasPrefix("mailto:") {
            return email(String(text.dropFirst(7))).map { "mailto:" + $0 }
        }
        let lower = text.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("www.") else { return nil }
        return website(text)
    }

    /// An e-mail address without `mailto:`; the first when a cell holds several.
    static func email(_ raw: String) -> String? {
        var text = raw.trimmed
        if text.lowercased().hasPrefix("mailto:") { text = String(text.dropFirst(7)) }
        if let query = text.firstIndex(of: "?") { text = String(text[..<query]) }
        guard let first = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == ";" }).first else { return nil }
        text = String(first).trimmingCharacters(in: CharacterSet(charactersIn: "<>\"'()"))
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
              !parts[1].hasSuffix("."),
              !text.unicodeScalars.contains(where: { $0.value < 0x21 || "\\<>\"'`".unicodeScalars.contains($0) })
        else { return nil }
        return text
    }

    /// A phone number with its extension: `650 403-4300 ext. 4385`.
    static func phone(_ number: String, extension ext: String = "") -> String? {
        let text = TextTools.collapseWhitespace(number)
        guard text.unicodeScalars.contains(where: { ("0"..."9").contains($0) }) else { return nil }
        let suffix = TextTools.collapseWhitespace(ext)
        return suffix.isEmpty ? text : "\(text) ext. \(suffix)"
    }

    /// The host of an `http(s)://` address: between `://` and the first `/`, `?`, `#` or `:`.
    static func host(of url: String) -> String? {
        guard let start = url.range(of: "://")?.upperBound else { return nil }
        var rest = url[start...]
        if let at = rest.firstIndex(of: "@"), !rest[..<at].contains("/") { rest = rest[rest.index(after: at)...] }
        let host = rest.prefix { !"/?#:".contains($0) }
        return host.isEmpty ? nil : String(host)
    }

    /// Letters, digits, hyphens and dots, with at least one dot inside.
    private static func isHostName(_ host: String) -> Bool {
        guard host.contains("."), !host.hasPrefix("."), !host.hasSuffix("."), !host.contains("..") else { return false }
        return host.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "." }
    }

    /// Whether the text starts with `scheme:` (letters, digits, `+.-`), not a host with a port.
    private static func hasScheme(_ lower: String) -> Bool {
        guard let colon = lower.firstIndex(of: ":") else { return false }
        let scheme = lower[..<colon]
        guard let first = scheme.unicodeScalars.first, ("a"..."z").contains(first),
              scheme.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || "+.-".unicodeScalars.contains($0) })
        else { return false }
        // `example.org:8080/path` is a host and a port, not a scheme.
        let after = lower[lower.index(after: colon)...]
        if scheme.contains("."), after.first.map({ $0.isNumber }) == true { return false }
        return true
    }
}
