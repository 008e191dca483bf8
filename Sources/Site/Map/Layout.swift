import Dispatch

/// A position in map units (an SVG user unit before scaling).
struct Point: Sendable, Equatable {
    var x: Double
    var y: Double
}

/// A deterministic force-directed layout (Fruchterman and Reingold's springs
/// and charges) whose repulsion is approximated with a Barnes–Hut quadtree,
/// so one iteration costs O(n log n) instead of O(n²).
///
/// Nothing random is used: starting positions come from a stable hash of each
/// node's slug, the number of iterations is fixed by the size of the graph,
/// and parallel work is split into fixed chunks whose results are combined in
/// order. The same graph therefore always gets the same positions.
enum ForceLayout {
    /// The preferred length of an edge, in map units.
    static let idealLength = 42.0
    /// Barnes–Hut opening angle: a cell is treated as one body when its side
    /// is less than `theta` times its distance.
    static let theta = 0.85

    /// How many iterations a graph of `count` nodes gets.
    static func iterations(for count: Int) -> Int {
        switch count {
        case ..<200: 400
        case ..<800: 250
        case ..<2500: 160
        default: 110
        }
    }

    /// Lays out one connected graph.
    /// - Parameters:
    ///   - seeds: a stable hash for each node, giving its starting position.
    ///   - edges: pairs of node indices (each pair once).
    ///   - iterations: fixed number of steps; defaults by graph size.
    /// - Returns: a position for each node, centred on the origin.
    /// - Complexity: O(iterations · (n log n + e)).
    static func layout(seeds: [UInt64], edges: [(Int, Int)], iterations: Int? = nil) -> [Point] {
        let n = seeds.count
        if n == 0 { return [] }
        if n == 1 { return [Point(x: 0, y: 0)] }
        let k = idealLength
        let side = k * Double(n).squareRoot() * 1.2
        var xs = [Double](repeating: 0, count: n)
        var ys = [Double](repeating: 0, count: n)
        for node in 0..<n {
            xs[node] = (StableHash.unit(seeds[node], 0) - 0.5) * side
            ys[node] = (StableHash.unit(seeds[node], 32) - 0.5) * side
        }
        let steps = iterations ?? Self.iterations(for: n)
        let startTemperature = max(k * 2, side / 6)
        let endTemperature = k * 0.02
        // A weak pull towards the centre keeps loosely tied branches close.
        let gravity = 0.6 / Double(n).squareRoot() / k
        let parallel = n >= 1500
        let chunkCount = parallel ? 8 : 1
        let chunkSize = (n + chunkCount - 1) / chunkCount

        var dx = [Double](repeating: 0, count: n)
        var dy = [Double](repeating: 0, count: n)
        for step in 0..<steps {
            let tree = QuadTree(xs: xs, ys: ys)
            if parallel {
                let slots = ResultSlots<([Double], [Double])>(count: chunkCount)
                let (px, py) = (xs, ys)
                DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
                    let lower = chunk * chunkSize, upper = min(n, lower + chunkSize)
                    var fx = [Double](repeating: 0, count: max(0, upper - lower))
                    var fy = fx
                    for node in lower..<max(lower, upper) {
                        let force = tree.repulsion(on: node, xs: px, ys: py, strength: k * k, theta: theta)
                        fx[node - lower] = force.x
                        fy[node - lower] = force.y
                    }
                    slots.set(chunk, (fx, fy))
                }
                for (chunk, result) in slots.values.enumerated() {
                    guard let (fx, fy) = result else { continue }
                    for offset in fx.indices {
                        dx[chunk * chunkSize + offset] = fx[offset]
                        dy[chunk * chunkSize + offset] = fy[offset]
                    }
                }
            } else {
                for node in 0..<n {
                    let force = tree.repulsion(on: node, xs: xs, ys: ys, strength: k * k, theta: theta)
                    dx[node] = force.x
                    dy[node] = force.y
                }
            }
            // Springs: attraction d²/k along each edge.
            for (a, b) in edges {
                let ex = xs[a] - xs[b], ey = ys[a] - ys[b]
                let distance = max((ex * ex + ey * ey).squareRoot(), 0.01)
                let pull = distance / k
                dx[a] -= ex * pull
                dy[a] -= ey * pull
                dx[b] += ex * pull
                dy[b] += ey * pull
            }
            let progress = Double(step) / Double(steps)
            let temperature = endTemperature + (startTemperature - endTemperature) * (1 - progress) * (1 - progress)
            for node in 0..<n {
                dx[node] -= xs[node] * gravity * k
                dy[node] -= ys[node] * gravity * k
                let length = (dx[node] * dx[node] + dy[node] * dy[node]).squareRoot()
                if length > 0 {
                    let move = min(length, temperature) / length
                    xs[node] += dx[node] * move
                    ys[node] += dy[node] * move
                }
            }
        }
        // Centre on the origin.
        let meanX = xs.reduce(0, +) / Double(n), meanY = ys.reduce(0, +) / Double(n)
        return (0..<n).map { Point(x: xs[$0] - meanX, y: ys[$0] - meanY) }
    }
}

/// A Barnes–Hut quadtree over a set of points, stored in flat arrays.
struct QuadTree: Sendable {
    struct Cell: Sendable {
        var centreX = 0.0
        var centreY = 0.0
        var mass = 0.0
        var side = 0.0
        /// Children: `kids[childStart..<childStart + childCount]`; a leaf has none.
        var childStart: Int32 = 0
        var childCount: Int32 = 0
        /// A leaf's points: `order[lower..<upper]`.
        var lower: Int32 = 0
        var upper: Int32 = 0
    }

    private(set) var cells: [Cell] = []
    private(set) var kids: [Int32] = []
    private(set) var order: [Int32]
    static let maxDepth = 28

    /// Builds the tree.
    /// - Complexity: O(n log n) for points that are not piled on one spot
    ///   (the depth is capped, so piles end in one leaf).
    init(xs: [Double], ys: [Double]) {
        let n = xs.count
        order = (0..<Int32(n)).map { $0 }
        guard n > 0 else { return }
        var minX = xs[0], maxX = xs[0], minY = ys[0], maxY = ys[0]
        for i in 1..<n {
            minX = min(minX, xs[i]); maxX = max(maxX, xs[i])
            minY = min(minY, ys[i]); maxY = max(maxY, ys[i])
        }
        let side = max(maxX - minX, maxY - minY, 1e-3) * 1.0001
        cells.reserveCapacity(2 * n)
        kids.reserveCapacity(2 * n)
        _ = build(lower: 0, upper: n, x0: minX, y0: minY, side: side, depth: 0, xs: xs, ys: ys)
    }

    private mutating func build(lower: Int, upper: Int, x0: Double, y0: Double, side: Double, depth: Int,
                                xs: [Double], ys: [Double]) -> Int32 {
        let id = Int32(cells.count)
        cells.append(Cell())
        var cell = Cell()
        cell.side = side
        if upper - lower <= 1 || depth >= Self.maxDepth {
            var sx = 0.0, sy = 0.0
            for p in lower..<upper {
                let j = Int(order[p])
                sx += xs[j]
                sy += ys[j]
            }
            let count = Double(upper - lower)
            cell.mass = count
            cell.centreX = sx / count
            cell.centreY = sy / count
            cell.lower = Int32(lower)
            cell.upper = Int32(upper)
            cells[Int(id)] = cell
            return id
        }
        let half = side / 2
        let midX = x0 + half, midY = y0 + half
        // Split by y, then each half by x: quadrants (top-left, top-right, bottom-left, bottom-right).
        let splitY = partition(lower, upper) { ys[$0] < midY }
        let splitTop = partition(lower, splitY) { xs[$0] < midX }
        let splitBottom = partition(splitY, upper) { xs[$0] < midX }
        let ranges = [(lower, splitTop, x0, y0), (splitTop, splitY, midX, y0),
                      (splitY, splitBottom, x0, midY), (splitBottom, upper, midX, midY)]
        var children: [Int32] = []
        var sx = 0.0, sy = 0.0, mass = 0.0
        for (low, high, cx, cy) in ranges where high > low {
            let child = build(lower: low, upper: high, x0: cx, y0: cy, side: half, depth: depth + 1, xs: xs, ys: ys)
            children.append(child)
            let c = cells[Int(child)]
            sx += c.centreX * c.mass
            sy += c.centreY * c.mass
            mass += c.mass
        }
        cell.mass = mass
        cell.centreX = sx / mass
        cell.centreY = sy / mass
        cell.childStart = Int32(kids.count)
        cell.childCount = Int32(children.count)
        kids.append(contentsOf: children)
        cells[Int(id)] = cell
        return id
    }

    /// Moves the points of `order[lower..<upper]` for which `isFirst` holds to the front.
    /// - Returns: where the others begin.
    private mutating func partition(_ lower: Int, _ upper: Int, _ isFirst: (Int) -> Bool) -> Int {
        var split = lower
        for p in lower..<upper where isFirst(Int(order[p])) {
            order.swapAt(p, split)
            split += 1
        }
        return split
    }

    /// The repulsion every other point exerts on `node`: `strength / d`, away from each.
    func repulsion(on node: Int, xs: [Double], ys: [Double], strength: Double, theta: Double) -> Point {
        guard !cells.isEmpty else { return Point(x: 0, y: 0) }
        let x = xs[node], y = ys[node]
        let theta2 = theta * theta
        var fx = 0.0, fy = 0.0
        var stack: [Int32] = [0]
        stack.reserveCapacity(64)
        while let top = stack.popLast() {
            let cell = cells[Int(top)]
            if cell.childCount == 0 {
                for p in Int(cell.lower)..<Int(cell.upper) {
                    let other = Int(order[p])
                    if other == node { continue }
                    var ex = x - xs[other], ey = y - ys[other]
                    var d2 = ex * ex + ey * ey
                    if d2 < 1e-4 {
                        // Two points on one spot: push them apart along a fixed direction.
                        ex = node < other ? -0.01 : 0.01
                        ey = node < other ? -0.005 : 0.005
                        d2 = ex * ex + ey * ey
                    }
                    let f = strength / d2
                    fx += ex * f
                    fy += ey * f
                }
                continue
            }
            let ex = x - cell.centreX, ey = y - cell.centreY
            let d2 = ex * ex + ey * ey
            if cell.side * cell.side < theta2 * d2 {
                let f = strength * cell.mass / d2
                fx += ex * f
                fy += ey * f
            } else {
                let start = Int(cell.childStart)
                for child in start..<start + Int(cell.childCount) { stack.append(kids[child]) }
            }
        }
        return Point(x: fx, y: fy)
    }
}

/// Lays out a whole map: each connected component on its own, the
/// components packed in rows (largest first), and assets without any
/// connection in a grid underneath.
struct PackedLayout: Sendable {
    /// A position for each node, in the order given.
    var positions: [Point]
    /// The top of the grid of unconnected nodes, when there are any.
    var unconnectedTop: Double?
    var unconnectedCount: Int
    /// Connected components of two nodes or more.
    var groupCount: Int
    var width: Double
    var height: Double

    /// Horizontal room kept for a label beside a node in the unconnected grid.
    static let gridCell = (width: 170.0, height: 30.0)

    /// - Parameters:
    ///   - seeds: a stable hash per node.
    ///   - edges: pairs of node indices.
    init(seeds: [UInt64], edges: [(Int, Int)]) {
        let n = seeds.count
        var adjacency = [[Int]](repeating: [], count: n)
        for (a, b) in edges where a != b {
            adjacency[a].append(b)
            adjacency[b].append(a)
        }
        // Components, largest first; ties by their first node.
        var componentOf = [Int](repeating: -1, count: n)
        var components: [[Int]] = []
        for start in 0..<n where componentOf[start] < 0 {
            var members = [start]
            componentOf[start] = components.count
            var head = 0
            while head < members.count {
                for next in adjacency[members[head]] where componentOf[next] < 0 {
                    componentOf[next] = components.count
                    members.append(next)
                }
                head += 1
            }
            components.append(members.sorted())
        }
        components.sort { $0.count != $1.count ? $0.count > $1.count : $0[0] < $1[0] }
        let groups = components.filter { $0.count > 1 }
        let singles = components.filter { $0.count == 1 }.map { $0[0] }

        // Each component on its own, in parallel.
        let neighbours = adjacency
        let laidOut = ResultSlots<[Point]>(count: groups.count)
        DispatchQueue.concurrentPerform(iterations: groups.count) { position in
            let members = groups[position]
            var local: [Int: Int] = [:]
            for (i, node) in members.enumerated() { local[node] = i }
            var localEdges: [(Int, Int)] = []
            for (i, node) in members.enumerated() {
                for next in neighbours[node] where next > node { localEdges.append((i, local[next]!)) }
            }
            laidOut.set(position, ForceLayout.layout(seeds: members.map { seeds[$0] }, edges: localEdges))
        }

        var positions = [Point](repeating: Point(x: 0, y: 0), count: n)
        let gap = ForceLayout.idealLength * 1.5
        var boxes: [(width: Double, height: Double, minX: Double, minY: Double)] = []
        let results = laidOut.values
        for (position, _) in groups.enumerated() {
            let points = results[position] ?? []
            let minX = points.map(\.x).min() ?? 0, maxX = points.map(\.x).max() ?? 0
            let minY = points.map(\.y).min() ?? 0, maxY = points.map(\.y).max() ?? 0
            boxes.append((maxX - minX, maxY - minY, minX, minY))
        }
        let area = boxes.reduce(0.0) { $0 + ($1.width + gap) * ($1.height + gap) }
        let gridArea = Double(singles.count) * Self.gridCell.width * Self.gridCell.height
        let widest = boxes.map(\.width).max() ?? 0
        let rowWidth = max(widest, ((area + gridArea) * 1.6).squareRoot(), Self.gridCell.width * 4)

        // Shelves: left to right, a new row when the next one does not fit.
        var x = 0.0, y = 0.0, rowHeight = 0.0
        for (position, members) in groups.enumerated() {
            let box = boxes[position]
            if x > 0, x + box.width > rowWidth {
                x = 0
                y += rowHeight + gap
                rowHeight = 0
            }
            let points = results[position] ?? []
            for (i, node) in members.enumerated() {
                positions[node] = Point(x: points[i].x - box.minX + x, y: points[i].y - box.minY + y)
            }
            x += box.width + gap
            rowHeight = max(rowHeight, box.height)
        }
        var height = groups.isEmpty ? 0 : y + rowHeight
        var width = groups.isEmpty ? 0 : rowWidth

        var unconnectedTop: Double?
        if !singles.isEmpty {
            let top = groups.isEmpty ? 0 : height + gap
            unconnectedTop = top
            let columns = max(1, Int(max(rowWidth, Self.gridCell.width) / Self.gridCell.width))
            for (i, node) in singles.enumerated() {
                positions[node] = Point(x: Double(i % columns) * Self.gridCell.width,
                                        y: top + 36 + Double(i / columns) * Self.gridCell.height)
            }
            let rows = (singles.count + columns - 1) / columns
            height = top + 36 + Double(rows - 1) * Self.gridCell.height
            width = max(width, Double(min(columns, singles.count) - 1) * Self.gridCell.width)
        }
        self.positions = positions
        self.unconnectedTop = unconnectedTop
        self.unconnectedCount = singles.count
        self.groupCount = groups.count
        self.width = width
        self.height = height
    }
}
