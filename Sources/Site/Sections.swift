/// The sections of a site beyond its core pages, in the order they are added.
/// Each is built from the finished `SiteModel`.
enum Sections {
    static func all(_ model: SiteModel) -> [any SiteSection] {
        []
    }
}
