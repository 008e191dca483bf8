import Foundation

/// What `kith build` was asked to do.
public struct BuildOptions: Sendable {
    /// The site folder holding `content/` and `templates/`.
    public var root: URL
    /// Where the site is written; `ROOT/public` when nil.
    public var output: URL?
    /// Build drafts too.
    public var includeDrafts: Bool
    /// Told of each stage and of rendering progress, on any thread.
    public var progress: (@Sendable (BuildEvent) -> Void)?
    /// Leave the output as it is when no input changed since the build that
    /// wrote it (see `BuildState`); otherwise every build starts afresh.
    public var skipWhenUnchanged: Bool
    /// Record what the build read beside the output, so a later build can
    /// skip (always done when `skipWhenUnchanged`). Off, a build does not
    /// look at its inputs' times at all (the preview, tests).
    public var recordsState: Bool
    /// Leave the site's memory to the end of the process instead of freeing
    /// it when the build returns. Freeing hundreds of thousands of small
    /// objects one by one takes a tenth of a large build; a command that
    /// exits right after building has no use for that work. Off for the
    /// preview and library callers, which build again in the same process.
    public var keepsMemoryUntilExit: Bool

    public init(
        root: URL, output: URL? = nil, includeDrafts: Bool = false, skipWhenUnchanged: Bool = false,
        recordsState: Bool = false, keepsMemoryUntilExit: Bool = false, progress: (@Sendable (BuildEvent) -> Void)? = nil
    ) {
        self.root = root
        self.output = output
        self.includeDrafts = includeDrafts
        self.skipWhenUnchanged = skipWhenUnchanged
        self.recordsState = recordsState || skipWhenUnchanged
        self.keepsMemoryUntilExit = keepsMemoryUntilExit
        self.progress = progress
    }

    var outputURL: URL { output ?? root.appendingPathComponent("public", isDirectory: true) }
}

/// What a successful build did.
public struct BuildReport: Sendable {
    /// HTML pages written.
    public var pages: Int
    /// Every file written, including copied static files and media.
    public var files: Int
    /// Wall-clock milliseconds from start to the swap of the output folder.
    public var milliseconds: Int
    /// Warnings found on the way (the build still succeeded).
    public var warnings: [Diagnostic]
    /// Where the site was written.
    public var output: URL
    /// How long each stage took, in the order they ran.
    public var stages: [StageTime] = []
    /// Set when nothing had changed and the output was left as it was; then
    /// `pages` and `files` are those of the build that wrote it.
    public var upToDate = false
    /// The number of warnings the build that wrote the output printed (only when `upToDate`).
    public var earlierWarnings = 0

    /// The one line printed at the end of a build.
    public var summary: String {
        if upToDate {
            return "nothing changed: the \(pages) page\(pages == 1 ? "" : "s") in \(output.path) are up to date (checked in \(milliseconds) ms)"
        }
        return "\(pages) page\(pages == 1 ? "" : "s") written to \(output.path) in \(milliseconds) ms"
    }
}

import Diagnostics
