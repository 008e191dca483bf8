import Diagnostics
import Foundation
import Site

/// One build of the preview, kept apart from serving and watching. The site
/// stays in memory between builds (`LiveSite`), so that an edit to the text
/// of one profile, story or page writes only that page.
struct PreviewBuild: Sendable {
    enum Outcome: Sendable {
        case built(BuildReport)
        case failed([Diagnostic])
    }

    /// What one rebuild did.
    struct Result: Sendable {
        var outcome: Outcome
        /// The page written, when only one page was.
        var quickPage: String?
        /// Writes the data files again after a one-page update.
        var followUp: (@Sendable () throws -> Int)?
    }

    let root: URL
    /// The private folder the preview is served from.
    let output: URL
    let includeDrafts: Bool
    private let live: LiveSite

    init(root: URL, output: URL, includeDrafts: Bool, progress: (@Sendable (BuildEvent) -> Void)? = nil) {
        self.root = root
        self.output = output
        self.includeDrafts = includeDrafts
        live = LiveSite(options: BuildOptions(root: root, output: output, includeDrafts: includeDrafts, progress: progress))
    }

    /// Brings the preview up to date.
    /// - Parameter changed: site-relative paths that changed since the last
    ///   build (empty for the first).
    func rebuild(changed: [String]) -> Result {
        do {
            let update = try live.update(changed: changed)
            return Result(outcome: .built(update.report), quickPage: update.quickPage, followUp: update.followUp)
        } catch let list as DiagnosticList {
            return Result(outcome: .failed(list.diagnostics))
        } catch let diagnostic as Diagnostic {
            return Result(outcome: .failed([diagnostic]))
        } catch {
            return Result(outcome: .failed([Diagnostic(code: "K074", message: "the build stopped: \(error.localizedDescription)")]))
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
