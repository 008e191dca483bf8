import Foundation

/// What `kith build` was asked to do.
public struct BuildOptions: Sendable {
    /// The site folder holding `content/` and `templates/`.
    public var root: URL
    /// Where the site is written; `ROOT/public` when nil.
    public var output: URL?
    /// Build drafts too.
    public var includeDrafts: Bool

    public init(root: URL, output: URL? = nil, includeDrafts: Bool = false) {
        self.root = root
        self.output = output
        self.includeDrafts = includeDrafts
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

    /// The one line printed at the end of a build.
    public var summary: String {
        "\(pages) page\(pages == 1 ? "" : "s") written to \(output.path) in \(milliseconds) ms"
    }
}

import Diagnostics
