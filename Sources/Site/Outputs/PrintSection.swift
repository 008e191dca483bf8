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

    func siteFields() -> [String: Value] { ["print_url": .string(Self.pagePath)] }

    func pages(_ make: PageMaker) -> [PageJob] {
        let config = model.content.config
        var job = make("print.html", Self.pagePath, kind: "print", title: "The whole directory",
                       description: "Everything in \(config.title) on one printable page.")
        // The whole directory is made when the page is rendered and let go after it.
        job.finish = { context in context["print"] = self.printValue() }
        return [job]
    }

    func printValue() -> Value {
        let views = model.views
        let listed = model.assetsByTitle.filter { $0.status != .closed }
        let areaOrder = model.terms.entries(.area)
        var groups: [Value] = []
        for type in model.content.config.types {
            let ofType = listed.filter { $0.type == type.slug }
            guard !ofType.isEmpty else { continue }
            var byArea: [String: [Value]] = [:]
            for asset in ofType {
                byArea[asset.areas.first.map(model.content.config.areaSlug) ?? "", default: []].append(entry(asset))
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
        return .object(["count": .int(listed.count), "groups": .array(groups)])
    }

    /// One asset as the print edition shows it.
    func entry(_ asset: Asset) -> Value {
        let facts = PublicFacts(asset)
        guard case .object(var fields) = model.views.asset(asset, links: AssetLinks()) else { return .null }
        for key in ["connections", "connected_from", "stories"] { fields[key] = nil }
        fields["address"] = Views.text(facts.address)
        if case .object(var contact) = model.views.contact(asset) {
            contact["website"] = Views.text(facts.website)
            fields["contact"] = .object(contact)
        }
        if facts.geo == nil { fields["geo"] = .null }
        return .object(fields)
    }
}
