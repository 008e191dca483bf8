import Diagnostics
import Foundation
import Site

/// One build of the preview, kept apart from serving and watching so that a
/// build of only what changed can replace the full rebuild without touching
/// the server.
struct PreviewBuild: Sendable {
    enum Outcome: Sendable {
        case built(BuildReport)
        case failed([Diagnostic])
    }

    let root: URL
    /// The private folder the preview is served from.
    let output: URL
    let includeDrafts: Bool

    /// Builds the site into `output`.
    /// - Parameter changed: site-relative paths that changed since the last
    ///   build (empty for the first); unused while every build is a full one.
    func rebuild(changed: [String]) -> Outcome {
        do {
            let options = BuildOptions(root: root, output: output, includeDrafts: includeDrafts)
            return .built(try SiteBuilder(options: options).build())
        } catch let list as DiagnosticList {
            return .failed(list.diagnostics)
        } catch let diagnostic as Diagnostic {
            return .failed([diagnostic])
        } catch {
            return .failed([Diagnostic(code: "K074", message: "the build stopped: \(error.localizedDescription)")])
        }
    }

    /// The line printed after a build: `27 pages in 85 ms`.
    static func line(_ report: BuildReport) -> String {
        "\(report.pages) page\(report.pages == 1 ? "" : "s") in \(report.milliseconds) ms"
    }
}

/// What the server shows: the number of the latest build and, when it
/// failed, its diagnostics. Read by request handlers, written by the watcher.
final class PreviewState: @unchecked Sendable {
    struct Snapshot: Sendable {
        /// Goes up by one with every build, successful or not.
        var generation: Int
        /// The problems of the latest build; nil when it succeeded.
        var failure: [Diagnostic]?
        /// Whether any build has succeeded, so there are files to serve.
        var hasOutput: Bool
    }

    private let lock = NSLock()
    private var current = Snapshot(generation: 0, failure: nil, hasOutput: false)

    var snapshot: Snapshot {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    func publish(_ outcome: PreviewBuild.Outcome) {
        lock.lock()
        defer { lock.unlock() }
        current.generation += 1
        switch outcome {
        case .built:
            current.failure = nil
            current.hasOutput = true
        case .failed(let diagnostics):
            current.failure = diagnostics
        }
    }
}
