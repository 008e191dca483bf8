import Content
import Diagnostics
import Foundation
import Templates

/// `places/index.html` (template `places.html`): the assets that have a
/// `geo` position, drawn as points of an SVG map by the theme, with a list
/// by area beside it. No map tiles are fetched from anywhere.
///
/// Positions are projected equirectangularly (longitude scaled by the
/// cosine of the middle latitude, so distances look right at a
/// neighbourhood's scale) and fitted into a `width` × `height` box with a
/// margin. Individuals appear only with `public_contact: true`: their
/// position is usually their home.
struct PlacesSection: SiteSection {
    let model: SiteModel

    static let pagePath = "places/"
    static let width = 1000.0
    static let tallest = 900.0
    static let lowest = 320.0
    static let margin = 40.0

    var requiredTemplates: [String] { ["places.html"] }

    func siteFields() -> Object { ["places_url": .string(Self.pagePath)] }

    func pages(_ make: PageMaker) -> [PageJob] {
        var job = make("places.html", Self.pagePath, kind: "places", title: "Places on the map",
                       description: "Where the assets of \(model.content.config.title) are, on a map.")
        job.finish = { context in context["places"] = self.placesValue() }
        return [job]
    }

    /// A point of the map in the SVG's coordinates.
    struct Point {
        var x: Double
        var y: Double
    }

    /// Projects positions into the box.
    /// - Returns: one point per position, in the same order, and the box's height.
    static func project(_ positions: [Geo]) -> (points: [Point], height: Double) {
        guard !positions.isEmpty else { return ([], lowest) }
        let minLat = positions.map(\.lat).min()!, maxLat = positions.map(\.lat).max()!
        let minLon = positions.map(\.lon).min()!, maxLon = positions.map(\.lon).max()!
        let squeeze = cos((minLat + maxLat) / 2 * .pi / 180)
        let spanX = (maxLon - minLon) * squeeze
        let spanY = maxLat - minLat
        let innerWidth = width - 2 * margin, innerHeight = tallest - 2 * margin
        var scale = 1.0
        if spanX > 0 && spanY > 0 { scale = min(innerWidth / spanX, innerHeight / spanY) }
        else if spanX > 0 { scale = innerWidth / spanX }
        else if spanY > 0 { scale = innerHeight / spanY }
        let height = max(lowest, (spanY * scale + 2 * margin).rounded())
        let left = (width - spanX * scale) / 2
        let top = (height - spanY * scale) / 2
        let points = positions.map { geo in
            Point(x: round1(left + (geo.lon - minLon) * squeeze * scale), y: round1(top + (maxLat - geo.lat) * scale))
        }
        return (points, height)
    }

    static func round1(_ value: Double) -> Double { (value * 10).rounded() / 10 }

    /// How near another point must be to count as one of a point's group.
    static let labelReach = 150.0

    /// The first of `points` (which must not be empty) with the most points
    /// within `labelReach` of it, itself included. Points are sorted into
    /// square cells a little wider than the reach, so each is compared only
    /// with those of its own and the eight cells around it.
    static func densest(_ points: [Point]) -> Point {
        let side = labelReach + 10
        // Points lie inside the box; a value that could not (not a number, or
        // far outside) goes to one far cell, where such points meet each other.
        func index(_ value: Double) -> Int { value.isFinite && abs(value) < 1e9 ? Int((value / side).rounded(.down)) : Int.min / 2 }
        func cell(_ point: Point) -> (Int, Int) { (index(point.x), index(point.y)) }
        struct Cell: Hashable {
            var x: Int
            var y: Int
        }
        var cells: [Cell: [Int]] = [:]
        for (index, point) in points.enumerated() {
            let (x, y) = cell(point)
            cells[Cell(x: x, y: y), default: []].append(index)
        }
        // Squared distances settle all but the pairs within rounding of the
        // reach, which `hypot` decides as it always has.
        let surelyNear = labelReach * labelReach * (1 - 1e-9), surelyFar = labelReach * labelReach * (1 + 1e-9)
        var best = 0
        var bestCount = -1
        for (index, point) in points.enumerated() {
            let (x, y) = cell(point)
            var count = 0
            for dx in -1...1 {
                for dy in -1...1 {
                    for other in cells[Cell(x: x + dx, y: y + dy)] ?? [] {
                        let dx = points[other].x - point.x, dy = points[other].y - point.y
                        let squared = dx * dx + dy * dy
                        if squared <= surelyNear || (squared <= surelyFar && hypot(dx, dy) <= labelReach) { count += 1 }
                    }
                }
            }
            // A later point takes the place only with strictly more neighbours.
            if count > bestCount {
                best = index
                bestCount = count
            }
        }
        return points[best]
    }

    func placesValue() -> Value {
        let views = model.views
        let placed = model.assetsByTitle.compactMap { asset in PublicFacts(asset).geo.map { (asset, $0) } }
        let (points, height) = Self.project(placed.map(\.1))

        var pointValues: [Value] = []
        var byArea: [String: [(Asset, Point)]] = [:]
        var typeCounts: [String: Int] = [:]
        for ((asset, _), point) in zip(placed, points) {
            var ref = views.assetRef(asset)
            ref = PagePlan.setting("status", to: .string(asset.status.rawValue), in: ref)
            pointValues.append(.object(["x": .double(point.x), "y": .double(point.y), "asset": ref]))
            byArea[asset.areas.first.map(model.content.config.areaSlug) ?? "", default: []].append((asset, point))
            typeCounts[asset.type, default: 0] += 1
        }
        // Southern points are drawn last, so a point lower on the map is never hidden under one above it.
        pointValues = zip(pointValues, points).sorted { ($0.1.y, $0.1.x) < ($1.1.y, $1.1.x) }.map(\.0)

        var areas: [Value] = []
        func areaValue(name: String?, slug: String?, members: [(Asset, Point)]) -> Value {
            // The label sits above the area's densest group of points (an asset
            // far from the rest does not drag it away), where it hides none of them.
            let points = members.map(\.1)
            func near(_ p: Point) -> [Point] { points.filter { hypot($0.x - p.x, $0.y - p.y) <= Self.labelReach } }
            let centre = Self.densest(points)
            let group = near(centre)
            let x = min(Self.width - 80, max(80, group.map(\.x).reduce(0, +) / Double(group.count)))
            let y = max(28, group.map(\.y).min()! - 18)
            return .object([
                "name": Views.text(name), "slug": Views.text(slug),
                "url": slug.map { .string(SitePaths.term(.area, $0)) } ?? .null,
                "x": .double(Self.round1(x)), "y": .double(Self.round1(y)),
                "assets": .array(members.map { views.assetRef($0.0) }),
            ])
        }
        for area in model.terms.entries(.area) {
            if let members = byArea[area.slug] { areas.append(areaValue(name: area.name, slug: area.slug, members: members)) }
        }
        if let members = byArea[""] { areas.append(areaValue(name: nil, slug: nil, members: members)) }

        let types: [Value] = model.content.config.types.compactMap { type in
            guard let count = typeCounts[type.slug] else { return nil }
            return PagePlan.setting("count", to: .int(count), in: views.typeValue(type.slug))
        }
        return .object([
            "width": .double(Self.width),
            "height": .double(height),
            "points": .array(pointValues),
            "areas": .array(areas),
            "types": .array(types),
            "count": .int(placed.count),
            "unplaced": .int(model.assetsByTitle.count - placed.count),
        ])
    }
}
