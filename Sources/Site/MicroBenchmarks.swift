import Content
import Diagnostics
import Foundation
import Markdown
import Templates

/// Micro benchmarks of the three hot paths of a build, on a real site (the
/// sample directory by default): reading and checking content (front matter
/// above all), Markdown, and template rendering. Used by `kith-bench`.
public enum MicroBenchmarks {
    public struct Result: Sendable {
        /// What was measured.
        public var name: String
        /// How many items one round handles, and what an item is.
        public var items: Int
        public var unit: String
        /// Bytes one round reads or writes, for a throughput figure.
        public var bytes: Int
        /// Seconds per round, the best of all rounds.
        public var best: Double
        /// Seconds per round, the median.
        public var median: Double

        public var line: String {
            let perItem = best / Double(max(items, 1)) * 1e6
            let throughput = Double(bytes) / best / 1_048_576
            return "\(name): \(items) \(unit) in \(String(format: "%.2f", best * 1000)) ms "
                + "(median \(String(format: "%.2f", median * 1000)) ms): \(String(format: "%.1f", perItem)) µs each, "
                + "\(String(format: "%.1f", throughput)) MB/s"
        }
    }

    /// Runs every benchmark on the site at `root`. Content is read on every
    /// core, as a build reads it; Markdown and templates run on one thread.
    /// - Parameter rounds: how many times each is repeated.
    public static func run(root: URL, rounds: Int = 20) throws -> [Result] {
        var results: [Result] = []

        // Content: every file read, its front matter parsed and checked.
        var contentBytes = 0
        var fileCount = 0
        for folder in ["assets", "stories", "pages"] {
            let url = root.appendingPathComponent("content/\(folder)")
            for name in (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? [] where name.hasSuffix(".md") {
                contentBytes += (try? Data(contentsOf: url.appendingPathComponent(name)).count) ?? 0
                fileCount += 1
            }
        }
        var loaded: ContentSet?
        let contentTimes = time(rounds) { loaded = ContentLoader.load(root: root, includeDrafts: false).content }
        results.append(Result(name: "content (read, front matter, checks)", items: fileCount, unit: "files",
                              bytes: contentBytes, best: contentTimes.min() ?? 0, median: median(contentTimes)))
        guard let content = loaded else {
            throw Diagnostic(code: "K076", message: "the content of \(root.path) has errors; run kith check")
        }

        // Markdown: every body to HTML.
        let bodies = content.assets.map(\.body) + content.stories.map(\.body) + content.pages.map(\.body)
        let markdownBytes = bodies.reduce(0) { $0 + $1.utf8.count }
        let markdownTimes = time(rounds) { for body in bodies { _ = MarkdownRenderer.html(body) } }
        results.append(Result(name: "markdown (cmark)", items: bodies.count, unit: "bodies",
                              bytes: markdownBytes, best: markdownTimes.min() ?? 0, median: median(markdownTimes)))

        // Templates: every page of the site rendered, nothing written.
        let site = SiteBuilder.prepare(root: root, includeDrafts: false, mode: .build)
        guard let templates = site.templates, !site.hasErrors else {
            throw Diagnostic(code: "K076", message: "the site at \(root.path) does not build; run kith check")
        }
        let jobs = site.pages.map { job in PageJob(template: job.template, path: job.path, context: job.finishedContext()) }
        var pageBytes = 0
        let renderTimes = try time(rounds) {
            var total = 0
            for job in jobs {
                let environment = RenderEnvironment(currentPath: job.path, indexFile: "index.html", markdown: { MarkdownRenderer.html($0) })
                total += try templates.renderBytes(job.template, context: job.context, environment: environment).count
            }
            pageBytes = total
        }
        results.append(Result(name: "templates (every page)", items: jobs.count, unit: "pages",
                              bytes: pageBytes, best: renderTimes.min() ?? 0, median: median(renderTimes)))
        return results
    }

    private static func time(_ rounds: Int, _ body: () throws -> Void) rethrows -> [Double] {
        let clock = ContinuousClock()
        var times: [Double] = []
        for _ in 0..<max(1, rounds) {
            let started = clock.now
            try body()
            let elapsed = clock.now - started
            times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        return times
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }
}
