import Content
import Foundation

/// What of an asset may leave the site in data files, the print edition,
/// the map of places and structured data.
///
/// An individual's contact details are published only with
/// `public_contact: true`. Outside the profile page Kith counts an
/// individual's `address` and `geo` as contact details too: for a person
/// they are usually a home, which the privacy promise never publishes.
struct PublicFacts {
    let asset: Asset
    /// Whether contact details (and, for people, address and position) may be published.
    let contactIsPublic: Bool

    init(_ asset: Asset) {
        self.asset = asset
        contactIsPublic = asset.type != "individual" || asset.publicContact
    }

    /// Public contact lines; a `website` that is not an `http` or `https`
    /// address is left out, as the theme makes such a link inert. Made when
    /// asked for: most readers want one fact, not the whole list.
    var contact: [ContactEntry] {
        contactIsPublic ? asset.contact.filter(Self.isPublishable) : []
    }

    /// The first public contact line with this key, unless it is empty.
    func contact(_ key: String) -> String? {
        guard contactIsPublic, let entry = asset.contact.first(where: { $0.key == key && Self.isPublishable($0) }) else { return nil }
        return entry.value.isEmpty ? nil : entry.value
    }

    private static func isPublishable(_ entry: ContactEntry) -> Bool {
        entry.key != "website" || webAddress(entry.value) != nil
    }

    var email: String? { contact("email") }
    var phone: String? { contact("phone") }
    var website: String? { contact("website").flatMap(Self.webAddress) }
    var address: String? { contactIsPublic ? asset.address.flatMap { $0.isEmpty ? nil : $0 } : nil }
    var geo: Geo? { contactIsPublic ? asset.geo : nil }

    /// `text` without the white space and line breaks at either end.
    static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }

    /// The address when it starts with `http://` or `https://` (any case), trimmed; nil otherwise.
    static func webAddress(_ text: String) -> String? {
        let trimmed = Self.trimmed(text)
        let lower = trimmed.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://"),
              !trimmed.unicodeScalars.contains(where: { $0.value < 0x21 || $0 == "\"" || $0 == "<" || $0 == ">" }) else { return nil }
        return trimmed
    }
}

/// Absolute addresses from `base_url` (which always ends in `/`), used only
/// where a relative one will not do: feed, sitemap, canonical links, JSON-LD.
struct AbsoluteURLs: Sendable {
    let base: String?

    init(config: SiteConfig) {
        if let url = config.baseURL, !url.isEmpty {
            base = url.hasSuffix("/") ? url : url + "/"
        } else {
            base = nil
        }
    }

    /// The absolute URL of a site path (`assets/garden/` → `https://…/assets/garden/`), nil without base_url.
    func url(_ sitePath: String) -> String? { base.map { $0 + sitePath } }
}
