import Dispatch
import Foundation

/// A position in map units (an SVG user unit before scaling).
struct Point: Sendable, Equatable {
    var x: Double
    var y: Double
}

/// A deterministic force-directed layout (Fruchterman and Reingold's springs
/// and charges) whose repulsion is approximated with a Barnes–Hut quadtree,
/// so one iteration costs O(n log n) instead of O(n²).
///
/// The springs start from a radial drawing of a breadth-first tree (the
/// best-linked node in the middle, each ring one step further out, every
/// branch in its own slice of the circle), which is already close to a
/// readable layout, so a few dozen short steps are enough to settle it.
///
/// Nothing random is used: the starting drawing depends only on the graph and
/// each node's stable hash, the number of iterations is fixed by the size of
/// the graph, and parallel work writes each node's force in its own slot. The
/// same graph therefore always gets the same positions.
enum ForceLayout {
    /// The preferred length of an edge, in map units.
    static let idealLength = 42.0
    /// Barnes–Hut opening angle: a cell is treated as one body when its side
    /// is less than `theta` times its distance.
    static let theta = 1.0
    /// Points a leaf of the quadtree holds before it is split.
    static let leafSize = 6
    /// From this many nodes, forces are worked out on every core. Each
    /// node's force is summed on its own whichever core works it out, so
    /// the positions are the same either way.
    static let parallelFrom = 1000

    /// How many iterations a graph of `count` nodes gets: a few dozen for a
    /// big one, more for a small one, where they cost little.
    static func iterations(for count: Int) -> Int {
        switch count {
        case ..<3: 0
        case ..<50: 120
        case ..<200: 90
        case ..<600: 50
        default: 32
        }
    }

    /// Lays out one connected graph.
    /// - Parameters:
    ///   - seeds: a stable hash for each node, used to break ties.
    ///   - edges: pairs of node indices (each pair once).
    ///   - iterations: fixed number of steps; defaults by graph size.
    /// - Returns: a position for each node, centred on the origin.
    /// - Complexity: O(iterations · (n log n + e)).
    static func layout(seeds: [UInt64], edges: [(Int, Int)], iterations: Int? = nil) -> [Point] {
        let n = seeds.count
        if n == 0 { return [] }
        if n == 1 { return [Point(x: 0, y: 0)] }

        // Adjacency in flat arrays: the neighbours of `v` are `targets[offsets[v]..<offsets[v + 1]]`.
        var offsets = [Int](repeating: 0, count: n + 1)
        for (a, b) in edges where a != b {
            offsets[a + 1] += 1
            offsets[b + 1] += 1
        }
        for v in 0..<n { offsets[v + 1] += offsets[v] }
        var targets = [Int32](repeating: 0, count: offsets[n])
        var fill = offsets
        for (a, b) in edges where a != b {
            targets[fill[a]] = Int32(b); fill[a] += 1
            targets[fill[b]] = Int32(a); fill[b] += 1
        }
        var (xs, ys) = radialStart(seeds: seeds, offsets: offsets, targets: targets)

        let steps = iterations ?? Self.iterations(for: n)
        let ends = edges.lazy.filter { $0.0 != $0.1 }
        let from = ends.map { Int32($0.0) }, to = ends.map { Int32($0.1) }
        relax(xs: &xs, ys: &ys, from: Array(from), to: Array(to), steps: steps)

        // Centre on the origin.
        var sumX = 0.0, sumY = 0.0
        for v in 0..<n { sumX += xs[v]; sumY += ys[v] }
        let meanX = sumX / Double(n), meanY = sumY / Double(n)
        var points = [Point](repeating: Point(x: 0, y: 0), count: n)
        for v in 0..<n { points[v] = Point(x: xs[v] - meanX, y: ys[v] - meanY) }
        return points
    }

    /// A radial drawing of a breadth-first tree: the best-linked node (ties
    /// by hash) at the centre, nodes `d` steps away on ring `d`, and each
    /// node's branch in a slice of the circle as wide as the branch is big,
    /// so branches do not cross. Rings are most of `idealLength` apart, and
    /// wider when they hold many nodes. Nodes the tree does not reach hang
    /// from the centre like its neighbours.
    static func radialStart(seeds: [UInt64], offsets: [Int], targets: [Int32]) -> ([Double], [Double]) {
        let n = seeds.count
        let k = idealLength
        func degree(_ v: Int) -> Int { offsets[v + 1] - offsets[v] }
        var root = 0
        for v in 1..<n where degree(v) > degree(root) || (degree(v) == degree(root) && seeds[v] < seeds[root]) { root = v }

        var parent = [Int32](repeating: -1, count: n)
        var depth = [Int32](repeating: -1, count: n)
        var order = [Int32](repeating: 0, count: n)
        var count = 0
        func search(from start: Int, depth startDepth: Int32) {
            depth[start] = startDepth
            order[count] = Int32(start)
            var head = count
            count += 1
            while head < count {
                let v = Int(order[head])
                head += 1
                for position in offsets[v]..<offsets[v + 1] {
                    let next = Int(targets[position])
                    if depth[next] < 0 {
                        depth[next] = depth[v] + 1
                        parent[next] = Int32(v)
                        order[count] = Int32(next)
                        count += 1
                    }
                }
            }
        }
        search(from: root, depth: 0)
        for v in 0..<n where depth[v] < 0 {
            parent[v] = Int32(root)
            search(from: v, depth: 1)
        }

        // Branch sizes, from the leaves in.
        var size = [Int32](repeating: 1, count: n)
        for position in stride(from: n - 1, to: 0, by: -1) {
            let v = Int(order[position])
            size[Int(parent[v])] += size[v]
        }
        // Children of each node, in the order they were found.
        var childStart = [Int32](repeating: 0, count: n + 1)
        for v in 0..<n where parent[v] >= 0 { childStart[Int(parent[v]) + 1] += 1 }
        for v in 0..<n { childStart[v + 1] += childStart[v] }
        var children = [Int32](repeating: 0, count: n)
        var next = childStart
        for position in 0..<n {
            let v = Int(order[position])
            if parent[v] >= 0 {
                let p = Int(parent[v])
                children[Int(next[p])] = Int32(v)
                next[p] += 1
            }
        }

        // Ring `d` is the band between radii `outer[d - 1]` and `outer[d]`:
        // about `k²` of area per node, as the springs will leave it, and at
        // least most of a step wide.
        var deepest = 0
        for v in 0..<n { deepest = max(deepest, Int(depth[v])) }
        var perRing = [Int](repeating: 0, count: deepest + 1)
        for v in 0..<n { perRing[Int(depth[v])] += 1 }
        var outer = [Double](repeating: 0, count: deepest + 1)
        for d in stride(from: 1, through: deepest, by: 1) {
            let inner = outer[d - 1]
            outer[d] = max(inner + 0.9 * k, (inner * inner + Double(perRing[d]) * k * k / Double.pi).squareRoot())
        }

        // Slices: each child gets a share of its parent's slice as big as its branch.
        var start = [Double](repeating: 0, count: n)
        var span = [Double](repeating: 0, count: n)
        var xs = [Double](repeating: 0, count: n)
        var ys = [Double](repeating: 0, count: n)
        start[root] = -Double.pi / 2
        span[root] = 2 * Double.pi
        for position in 0..<n {
            let v = Int(order[position])
            let lower = Int(childStart[v]), upper = Int(childStart[v + 1])
            if lower < upper {
                var cursor = start[v]
                let unit = span[v] / Double(size[v] - 1)
                for c in lower..<upper {
                    let child = Int(children[c])
                    start[child] = cursor
                    span[child] = unit * Double(size[child])
                    cursor += span[child]
                }
            }
            if v != root {
                // A little turn from the hash keeps nodes of one ring off a perfect circle.
                // Spread over the band (evenly by area) and a little within the
                // slice, so that a crowded ring starts as a disc, not a circle.
                let angle = start[v] + span[v] * (0.3 + 0.4 * StableHash.unit(seeds[v], 0))
                let d = Int(depth[v])
                let inner = outer[d - 1] * outer[d - 1], band = outer[d] * outer[d] - inner
                let r = (inner + band * (0.35 + 0.65 * StableHash.unit(seeds[v], 32))).squareRoot()
                xs[v] = r * cos(angle)
                ys[v] = r * sin(angle)
            }
        }
        return (xs, ys)
    }

    /// Fruchterman–Reingold steps from the given positions: every pair of
    /// nodes repels (`k² / d`), every edge pulls (`d² / k`), a weak pull
    /// towards the middle keeps loose branches near, and no node moves
    /// further than a temperature that cools as the steps go by.
    /// - Parameter chunks: how many pieces the nodes' repulsion is worked
    ///   out in, side by side; by default 8 from `parallelFrom` nodes, else 1.
    static func relax(xs: inout [Double], ys: inout [Double], from: [Int32], to: [Int32], steps: Int, chunks: Int? = nil) {
        let n = xs.count
        guard steps > 0, n > 1 else { return }
        let k = idealLength
        // A big graph starts hotter: its rings need more untangling than a small one's.
        let startTemperature = k * min(3, max(1, Double(n).squareRoot() / 8))
        let endTemperature = k * 0.02
        let gravity = 0.6 / Double(n).squareRoot()
        let strength = k * k
        var dx = [Double](repeating: 0, count: n)
        var dy = [Double](repeating: 0, count: n)
        var tree = QuadTree(leafSize: leafSize)
        let chunkCount = max(1, chunks ?? (n >= parallelFrom ? 8 : 1))
        let chunkSize = (n + chunkCount - 1) / chunkCount
        for step in 0..<steps {
            tree.rebuild(xs: xs, ys: ys)
            xs.withUnsafeBufferPointer { px in
                ys.withUnsafeBufferPointer { py in
                    dx.withUnsafeMutableBufferPointer { fx in
                        dy.withUnsafeMutableBufferPointer { fy in
                            if chunkCount == 1 {
                                tree.repulsion(range: 0..<n, xs: px, ys: py, strength: strength, theta: theta, fx: fx, fy: fy)
                            } else {
                                // Each chunk writes only its own nodes' slots.
                                nonisolated(unsafe) let (sx, sy, outX, outY) = (px, py, fx, fy)
                                let shared = tree
                                DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
                                    let lower = chunk * chunkSize, upper = min(n, lower + chunkSize)
                                    guard lower < upper else { return }
                                    shared.repulsion(range: lower..<upper, xs: sx, ys: sy, strength: strength, theta: theta, fx: outX, fy: outY)
                                }
                            }
                        }
                    }
                }
            }
            // Springs: attraction d²/k along each edge.
            for e in from.indices {
                let a = Int(from[e]), b = Int(to[e])
                let ex = xs[a] - xs[b], ey = ys[a] - ys[b]
                let pull = max((ex * ex + ey * ey).squareRoot(), 0.01) / k
                dx[a] -= ex * pull
                dy[a] -= ey * pull
                dx[b] += ex * pull
                dy[b] += ey * pull
            }
            let progress = Double(step) / Double(steps)
            let temperature = endTemperature + (startTemperature - endTemperature) * (1 - progress) * (1 - progress)
            for v in 0..<n {
                let fx = dx[v] - xs[v] * gravity, fy = dy[v] - ys[v] * gravity
                let length = (fx * fx + fy * fy).squareRoot()
                if length > 0 {
                    let move = min(length, temperature) / length
                    xs[v] += fx * move
                    ys[v] += fy * move
                }
            }
        }
    }
}

/// A Barnes–Hut quadtree over a set of points, stored in flat arrays and
/// rebuilt in place, so a layout step allocates nothing.
struct QuadTree: Sendable {
    struct Cell: Sendable {
        var centreX = 0.0
        var centreY = 0.0
        var mass = 0.0
        var side = 0.0
        /// Children: `cells[firstChild..<firstChild + childCount]`; a leaf has none.
        var firstChild: Int32 = 0
        var childCount: Int32 = 0
        /// A leaf's points: `order[lower..<upper]`.
        var lower: Int32 = 0
        var upper: Int32 = 0
    }

    private(set) var cells: [Cell] = []
    private(set) var order: [Int32] = []
    /// Points a leaf holds before it is split.
    let leafSize: Int
    static let maxDepth = 28

    init(leafSize: Int = 1) { self.leafSize = max(1, leafSize) }

    /// Builds the tree over the given points.
    init(xs: [Double], ys: [Double], leafSize: Int = 1) {
        self.init(leafSize: leafSize)
        rebuild(xs: xs, ys: ys)
    }

    /// Builds the tree again over new positions, reusing its storage.
    /// - Complexity: O(n log n) for points that are not piled on one spot
    ///   (the depth is capped, so piles end in one leaf).
    mutating func rebuild(xs: [Double], ys: [Double]) {
        let n = xs.count
        cells.removeAll(keepingCapacity: true)
        order.removeAll(keepingCapacity: true)
        guard n > 0 else { return }
        order.reserveCapacity(n)
        for i in 0..<n { order.append(Int32(i)) }
        var minX = xs[0], maxX = xs[0], minY = ys[0], maxY = ys[0]
        for i in 1..<n {
            minX = min(minX, xs[i]); maxX = max(maxX, xs[i])
            minY = min(minY, ys[i]); maxY = max(maxY, ys[i])
        }
        let side = max(maxX - minX, maxY - minY, 1e-3) * 1.0001
        cells.reserveCapacity(2 * n / leafSize + 8)
        var root = Cell()
        root.side = side
        root.upper = Int32(n)
        cells.append(root)
        let limit = leafSize
        xs.withUnsafeBufferPointer { px in
            ys.withUnsafeBufferPointer { py in
                // The builder takes the storage while it works, leaving none
                // behind (so nothing is copied on write), and hands it back.
                var builder = Builder(xs: px, ys: py, leafSize: limit)
                builder.cells = cells
                builder.order = order
                cells = []
                order = []
                builder.split(0, x0: minX, y0: minY, depth: 0)
                cells = builder.cells
                order = builder.order
            }
        }
    }

    /// The working state of one build, so the recursion reads plain buffers.
    private struct Builder {
        let xs: UnsafeBufferPointer<Double>
        let ys: UnsafeBufferPointer<Double>
        let leafSize: Int
        var cells: [Cell] = []
        var order: [Int32] = []

        init(xs: UnsafeBufferPointer<Double>, ys: UnsafeBufferPointer<Double>, leafSize: Int) {
            self.xs = xs
            self.ys = ys
            self.leafSize = leafSize
        }

        mutating func split(_ id: Int, x0: Double, y0: Double, depth: Int) {
            let lower = Int(cells[id].lower), upper = Int(cells[id].upper), side = cells[id].side
            let xs = self.xs, ys = self.ys
            if upper - lower <= leafSize || depth >= QuadTree.maxDepth {
                var sx = 0.0, sy = 0.0
                for p in lower..<upper {
                    let j = Int(order[p])
                    sx += xs[j]
                    sy += ys[j]
                }
                let count = Double(upper - lower)
                cells[id].mass = count
                cells[id].centreX = sx / count
                cells[id].centreY = sy / count
                return
            }
            let half = side / 2
            let midX = x0 + half, midY = y0 + half
            // Split by y, then each half by x: quadrants (top-left, top-right, bottom-left, bottom-right).
            let splitY = partition(lower, upper) { ys[$0] < midY }
            let splitTop = partition(lower, splitY) { xs[$0] < midX }
            let splitBottom = partition(splitY, upper) { xs[$0] < midX }
            let first = cells.count
            var quadrants = 0
            for quadrant in 0..<4 {
                let low: Int, high: Int
                switch quadrant {
                case 0: (low, high) = (lower, splitTop)
                case 1: (low, high) = (splitTop, splitY)
                case 2: (low, high) = (splitY, splitBottom)
                default: (low, high) = (splitBottom, upper)
                }
                guard high > low else { continue }
                var cell = Cell()
                cell.side = half
                cell.lower = Int32(low)
                cell.upper = Int32(high)
                cells.append(cell)
                quadrants += 1
            }
            cells[id].firstChild = Int32(first)
            cells[id].childCount = Int32(quadrants)
            var sx = 0.0, sy = 0.0, mass = 0.0
            for child in first..<first + quadrants {
                // A child's origin: the quadrant its first point falls in.
                let j = Int(order[Int(cells[child].lower)])
                let cx = xs[j] < midX ? x0 : midX, cy = ys[j] < midY ? y0 : midY
                split(child, x0: cx, y0: cy, depth: depth + 1)
                let c = cells[child]
                sx += c.centreX * c.mass
                sy += c.centreY * c.mass
                mass += c.mass
            }
            cells[id].mass = mass
            cells[id].centreX = sx / mass
            cells[id].centreY = sy / mass
        }

        /// Moves the points of `order[lower..<upper]` for which `isFirst` holds to the front.
        /// - Returns: where the others begin.
        mutating func partition(_ lower: Int, _ upper: Int, _ isFirst: (Int) -> Bool) -> Int {
            var split = lower
            for p in lower..<upper where isFirst(Int(order[p])) {
                order.swapAt(p, split)
                split += 1
            }
            return split
        }
    }

    /// The repulsion every other point exerts on `node`: `strength / d`, away from each.
    func repulsion(on node: Int, xs: [Double], ys: [Double], strength: Double, theta: Double) -> Point {
        var fx = [0.0], fy = [0.0]
        xs.withUnsafeBufferPointer { px in
            ys.withUnsafeBufferPointer { py in
                fx.withUnsafeMutableBufferPointer { outX in
                    fy.withUnsafeMutableBufferPointer { outY in
                        repulsion(range: node..<node + 1, xs: px, ys: py, strength: strength, theta: theta,
                                  fx: outX, fy: outY, offset: node)
                    }
                }
            }
        }
        return Point(x: fx[0], y: fy[0])
    }

    /// The repulsion on each node of `range`, written to `fx[node - offset]`
    /// and `fy[node - offset]`.
    func repulsion(range: Range<Int>, xs: UnsafeBufferPointer<Double>, ys: UnsafeBufferPointer<Double>,
                   strength: Double, theta: Double,
                   fx: UnsafeMutableBufferPointer<Double>, fy: UnsafeMutableBufferPointer<Double>, offset: Int = 0) {
        guard !cells.isEmpty else {
            for node in range { fx[node - offset] = 0; fy[node - offset] = 0 }
            return
        }
        let theta2 = theta * theta
        cells.withUnsafeBufferPointer { cells in
            order.withUnsafeBufferPointer { order in
                // Depth-first: at most three siblings wait on each level.
                withUnsafeTemporaryAllocation(of: Int32.self, capacity: 4 * (Self.maxDepth + 2)) { stack in
                    for node in range {
                        let x = xs[node], y = ys[node]
                        var sumX = 0.0, sumY = 0.0
                        var top = 1
                        stack[0] = 0
                        while top > 0 {
                            top -= 1
                            let cell = cells[Int(stack[top])]
                            let ex = x - cell.centreX, ey = y - cell.centreY
                            let d2 = ex * ex + ey * ey
                            if cell.side * cell.side < theta2 * d2 {
                                let f = strength * cell.mass / d2
                                sumX += ex * f
                                sumY += ey * f
                            } else if cell.childCount == 0 {
                                for p in Int(cell.lower)..<Int(cell.upper) {
                                    let other = Int(order[p])
                                    if other == node { continue }
                                    var ox = x - xs[other], oy = y - ys[other]
                                    var o2 = ox * ox + oy * oy
                                    if o2 < 1e-4 {
                                        // Two points on one spot: push them apart along a fixed direction.
                                        ox = node < other ? -0.01 : 0.01
                                        oy = node < other ? -0.005 : 0.005
                                        o2 = ox * ox + oy * oy
                                    }
                                    let f = strength / o2
                                    sumX += ox * f
                                    sumY += oy * f
                                }
                            } else {
                                let first = Int(cell.firstChild)
                                for child in first..<first + Int(cell.childCount) {
                                    stack[top] = Int32(child)
                                    top += 1
                                }
                            }
                        }
                        fx[node - offset] = sumX
                        fy[node - offset] = sumY
                    }
                }
            }
        }
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
