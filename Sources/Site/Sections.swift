/// The sections of a site beyond its core pages, in the order they are added.
/// Each is built from the finished `SiteModel`.
enum Sections {
    static func all(_ model: SiteModel) -> [any SiteSection] {
        [
            SearchSection(model: model),
            OpenDataSection(model: model),
            DiscoverySection(model: model),
            PrintSection(model: model),
            PlacesSection(model: model),
            MapSection(model: model),
        ]
    }
}
