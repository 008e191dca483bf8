import Content
import Diagnostics
import Templates

/// `print/index.html` (template `print.html`): the whole directory as one
/// document for noticeboards and for neighbours who are not online.
///
/// Assets are grouped by type (site.yml order), then by area (by name; an
/// asset with several areas is listed under the first, assets without an
/// area come last). Closed assets are left out. Each entry is an asset
/// value without `body` and connections; an individual's address and
/// position are null unless `public_contact` is true (see `PublicFacts`).
struct PrintSection: SiteSection {
    let model: SiteModel

    static let pagePath = "print/"

    var requiredTemplates: [String] { ["print.html"] }

    func siteFields() -> Object { ["print_url": .string(Self.pagePath)] }

    func pages(_ make: PageMaker) -> [PageJob] {
        let config = model.content.config
        var job = make("print.html", Self.pagePath, kind: "print", title: "The whole directory",
                       description: "Everything in \(config.title) on one printable page.")
        // The whole directory is made when the page is rendered and let go
        // after it; its entries share their fields with `site.assets`.
        job.finish = { context in context["print"] = self.printValue(siteAssets: Self.siteAssets(in: context)) }
        return [job]
    }

    /// `site.assets` of a page's context: every asset's value, in title order.
    static func siteAssets(in context: [String: Value]) -> [Value]? {
        guard case .object(let site)? = context["site"], case .array(let assets)? = site["assets"] else { return nil }
        return assets
    }

    /// The asset fields the print edition leaves out.
    static let leftOut: Set<String> = ["connections", "connected_from", "stories"]

    /// The print edition's value.
    /// - Parameter siteAssets: the values of `model.assetsByTitle`, as
    ///   `site.assets` holds them; entries take their fields from these
    ///   rather than building them again. Without them (or when they do not
    ///   match), each entry is built from its asset.
    func printValue(siteAssets: [Value]? = nil) -> Value {
        let views = model.views
        let assets = model.assetsByTitle
        let shared = siteAssets.flatMap { $0.count == assets.count ? $0 : nil }
        // Open assets by type, each in title order, as positions in `assets`.
        var byType: [String: [Int]] = [:]
        var listed = 0
        for index in assets.indices where assets[index].status != .closed {
            byType[assets[index].type, default: []].append(index)
            listed += 1
        }
        // The fields of an asset value (they are the same for every asset),
        // less those the print edition leaves out.
        let keys = ObjectKeys(assets.first.map { sample in
            views.assetFields(sample, links: AssetLinks()).keys.filter { !Self.leftOut.contains($0) }
        } ?? [])
        let config = model.content.config
        let areaOrder = model.terms.entries(.area)
        var groups: [Value] = []
        for type in config.types {
            guard let ofType = byType[type.slug] else { continue }
            var byArea: [String: [Value]] = [:]
            for index in ofType {
                let area = assets[index].areas.first.map(config.areaSlug) ?? ""
                byArea[area, default: []].append(entry(assets[index], shared: shared?[index], keys: keys))
            }
            var areas: [Value] = []
            for area in areaOrder {
                guard let assets = byArea[area.slug] else { continue }
                areas.append(.object([
                    "name": .string(area.name), "slug": .string(area.slug),
                    "url": .string(SitePaths.term(.area, area.slug)), "assets": .array(assets),
                ]))
            }
            if let assets = byArea[""] {
                areas.append(.object(["name": .null, "slug": .null, "url": .null, "assets": .array(assets)]))
            }
            var typeValue = views.typeValue(type.slug)
            typeValue = PagePlan.setting("count", to: .int(ofType.count), in: typeValue)
            groups.append(.object(["type": typeValue, "count": .int(ofType.count), "areas": .array(areas)]))
        }
        return .object(["count": .int(listed), "groups": .array(groups)])
    }

    /// One asset as the print edition shows it: its asset value less the
    /// fields in `leftOut` (and any a section adds), with only a website
    /// the data files would publish. The value already withholds an
    /// individual's address and position unless `public_contact` is true,
    /// as `PublicFacts` does.
    /// - Parameters:
    ///   - shared: the asset's value from `site.assets`, whose fields are taken as they are.
    ///   - keys: the fields to keep, shared by every entry.
    func entry(_ asset: Asset, shared: Value? = nil, keys: ObjectKeys) -> Value {
        let source: Object
        if case .object(let fields)? = shared {
            source = fields
        } else {
            source = model.views.assetFields(asset, links: AssetLinks())
        }
        var values: [Value] = []
        values.reserveCapacity(keys.count)
        for key in keys.names { values.append(source[key] ?? .null) }
        var fields = Object(keys: keys, values: values)
        if case .object(var contact)? = fields["contact"] {
            contact["website"] = Views.text(PublicFacts(asset).website)
            fields["contact"] = .object(contact)
        }
        return .object(fields)
    }
}
