import Dispatch

/// Betweenness centrality: how often an asset lies on the shortest paths
/// between two others. The assets with the highest scores are the
/// neighbourhood's connectors.
enum Centrality {
    /// The result of `betweenness`.
    struct Result: Sendable {
        /// Raw scores of an undirected graph: each unordered pair of other
        /// nodes counted once (a path a–b–c gives b a score of 1).
        var scores: [Double]
        /// Scores divided by the number of pairs of other nodes, (n−1)(n−2)/2, so they lie in 0…1.
        var normalised: [Double]
        /// How many source nodes were used; equal to the node count when exact.
        var pivots: Int
        var isExact: Bool
    }

    /// The largest amount of work (pivots × (nodes + adjacency entries)) done
    /// exactly; past it, sources are sampled, so the cost stays near this
    /// bound however big the directory grows. A thousand assets with a few
    /// links each are still exact; ten thousand get about 120 pivots.
    static let exactBudget = 10_000_000

    /// Brandes' algorithm on an unweighted, undirected graph.
    ///
    /// For a large graph, only a deterministic sample of source nodes (the
    /// pivots) is used and the scores are scaled up by n / pivots: the
    /// estimate of Brandes and Pich. Pivots are the nodes whose stable keys
    /// sort first, so the same graph always gets the same scores.
    ///
    /// - Parameters:
    ///   - neighbours: for each node, its neighbours.
    ///   - keys: a stable sort key for each node (used to choose pivots).
    ///   - budget: the work allowed before sampling.
    /// - Returns: the scores.
    /// - Complexity: O(p · (V + E)) where p is the number of pivots (V when exact).
    static func betweenness(neighbours: [[Int]], keys: [UInt64], budget: Int = exactBudget) -> Result {
        let n = neighbours.count
        guard n > 2 else {
            return Result(scores: Array(repeating: 0, count: n), normalised: Array(repeating: 0, count: n), pivots: n, isExact: true)
        }
        let adjacencyEntries = neighbours.reduce(0) { $0 + $1.count }
        let work = n + adjacencyEntries
        var pivots = Array(0..<n)
        var isExact = true
        if n * work > budget {
            let wanted = max(64, budget / max(work, 1))
            if wanted < n {
                pivots.sort { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : $0 < $1 }
                pivots = Array(pivots.prefix(wanted)).sorted()
                isExact = false
            }
        }

        // Flat adjacency for speed.
        var offsets = [Int32](repeating: 0, count: n + 1)
        for node in 0..<n { offsets[node + 1] = offsets[node] + Int32(neighbours[node].count) }
        var flat = [Int32](repeating: 0, count: adjacencyEntries)
        for node in 0..<n {
            for (position, next) in neighbours[node].enumerated() { flat[Int(offsets[node]) + position] = Int32(next) }
        }

        // Fixed chunks of pivots, each summed on its own and then added in
        // chunk order: the same floating-point result however threads run.
        let (sources, offsetTable, flatTable) = (pivots, offsets, flat)
        let chunkCount = min(pivots.count, 16)
        let partials = ResultSlots<[Double]>(count: chunkCount)
        let chunkSize = (pivots.count + chunkCount - 1) / chunkCount
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let lower = chunk * chunkSize
            let upper = min(sources.count, lower + chunkSize)
            var scores = [Double](repeating: 0, count: n)
            if lower < upper {
                var work = BrandesWork(count: n)
                offsetTable.withUnsafeBufferPointer { offsets in
                    flatTable.withUnsafeBufferPointer { flat in
                        scores.withUnsafeMutableBufferPointer { scores in
                            for source in sources[lower..<upper] {
                                work.accumulate(source: source, offsets: offsets, flat: flat, into: scores)
                            }
                        }
                    }
                }
            }
            partials.set(chunk, scores)
        }
        var scores = [Double](repeating: 0, count: n)
        for part in partials.values {
            guard let part else { continue }
            for node in 0..<n { scores[node] += part[node] }
        }
        // Each unordered pair is counted from both ends; a sample is scaled up.
        let scale = 0.5 * Double(n) / Double(pivots.count)
        for node in 0..<n { scores[node] *= scale }
        let pairs = Double(n - 1) * Double(n - 2) / 2
        let normalised = scores.map { min(1, $0 / pairs) }
        return Result(scores: scores, normalised: normalised, pivots: pivots.count, isExact: isExact)
    }
}

/// The scratch arrays of one breadth-first search, reused across sources.
private struct BrandesWork {
    var sigma: [Double]
    var distance: [Int32]
    var delta: [Double]
    /// Nodes in the order the search reaches them (its queue).
    var order: [Int32]

    init(count: Int) {
        sigma = Array(repeating: 0, count: count)
        distance = Array(repeating: -1, count: count)
        delta = Array(repeating: 0, count: count)
        order = Array(repeating: 0, count: count)
    }

    /// One source of Brandes' algorithm: count shortest paths outwards, then
    /// add up each node's dependency on the way back.
    mutating func accumulate(source: Int, offsets: UnsafeBufferPointer<Int32>, flat: UnsafeBufferPointer<Int32>,
                             into scores: UnsafeMutableBufferPointer<Double>) {
        sigma.withUnsafeMutableBufferPointer { sigma in
            distance.withUnsafeMutableBufferPointer { distance in
                delta.withUnsafeMutableBufferPointer { delta in
                    order.withUnsafeMutableBufferPointer { order in
                        sigma[source] = 1
                        distance[source] = 0
                        order[0] = Int32(source)
                        var head = 0, tail = 1
                        while head < tail {
                            let node = Int(order[head])
                            head += 1
                            let next = distance[node] + 1
                            let paths = sigma[node]
                            for position in Int(offsets[node])..<Int(offsets[node + 1]) {
                                let other = Int(flat[position])
                                if distance[other] < 0 {
                                    distance[other] = next
                                    order[tail] = Int32(other)
                                    tail += 1
                                }
                                if distance[other] == next { sigma[other] += paths }
                            }
                        }
                        // Predecessors are the neighbours one step closer to the source.
                        var position = tail
                        while position > 0 {
                            position -= 1
                            let node = Int(order[position])
                            let coefficient = (1 + delta[node]) / sigma[node]
                            let closer = distance[node] - 1
                            for entry in Int(offsets[node])..<Int(offsets[node + 1]) {
                                let other = Int(flat[entry])
                                if distance[other] == closer { delta[other] += sigma[other] * coefficient }
                            }
                            if node != source { scores[node] += delta[node] }
                        }
                        for position in 0..<tail {
                            let node = Int(order[position])
                            sigma[node] = 0
                            distance[node] = -1
                            delta[node] = 0
                        }
                    }
                }
            }
        }
    }
}
