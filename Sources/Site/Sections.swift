/// The sections of a site beyond its core pages, in the order they are added.
/// Each is built from the finished `SiteModel`.
enum Sections {
    /// - Parameter searchKeeper: given, the search section hands it the index it writes.
    static func all(_ model: SiteModel, searchKeeper: SearchIndexKeeper? = nil) -> [any SiteSection] {
        let map = MapSection(model: model)
        return [
            SearchSection(model: model, keeper: searchKeeper),
            OpenDataSection(model: model),
            DiscoverySection(model: model, mapPages: map.pagePaths),
            PrintSection(model: model),
            PlacesSection(model: model),
            map,
        ]
    }
}
