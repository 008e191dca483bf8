import Content
import Diagnostics
import Foundation
import Markdown
import Templates
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A site kept in memory between builds, for the preview server.
///
/// The commonest edit is to the text of one profile, story or page. When
/// only the Markdown below the front matter of one such file changed, and
/// its links still point at the same profiles, no other page can show a
/// difference: only that page is rendered and written again, then the parts
/// of the data files that carry body text: the search shards holding the
/// words that came or went, the text's line of `directory.json` and, for
/// a story, the feed. Any
/// other change (front matter, a new or removed file, templates, a link to
/// a different profile, a problem in the new text) builds everything, as
/// `kith build` does.
public final class LiveSite: @unchecked Sendable {
    public let options: BuildOptions
    private let lock = NSLock()
    private var kept: SiteBuilder.KeptSite?

    public init(options: BuildOptions) {
        self.options = options
    }

    /// What an update did.
    public struct Update: Sendable {
        public var report: BuildReport
        /// Set when only one page was written: the site path of that page.
        public var quickPage: String?
        /// Writes the data files again after a quick update; nil after a full build.
        public var followUp: (@Sendable () throws -> Int)?
    }

    /// Brings the output up to date after `changed` (site-relative paths;
    /// empty for the first build).
    /// - Throws: `DiagnosticList` with every problem, as `SiteBuilder.build` does.
    public func update(changed: [String]) throws -> Update {
        lock.lock()
        defer { lock.unlock() }
        if changed.count == 1, let current = kept, let quick = quickUpdate(changed[0], current) {
            kept = quick.kept
            return quick.update
        }
        kept = nil
        let result = try SiteBuilder(options: options).run(keeping: true)
        kept = result.kept
        return Update(report: result.report, quickPage: nil, followUp: nil)
    }

    /// Lets go of the kept site, so that the next update is a full build.
    private func forget() {
        lock.lock()
        kept = nil
        lock.unlock()
    }

    private struct Quick {
        var kept: SiteBuilder.KeptSite
        var update: Update
    }

    /// The quick way, or nil when the change needs a full build.
    private func quickUpdate(_ path: String, _ current: SiteBuilder.KeptSite) -> Quick? {
        let clock = ContinuousClock()
        let started = clock.now
        let model = current.model
        let content = model.content
        enum Item {
            case asset(Int)
            case story(Int)
            case page(Int)
        }
        let item: Item
        let source: SourceFile
        let bodyStartOffset: Int
        let bodyStartLine: Int
        let pagePath: String
        if let index = content.assets.firstIndex(where: { $0.sourcePath == path }) {
            let asset = content.assets[index]
            (item, source, bodyStartOffset, bodyStartLine) = (.asset(index), asset.source, asset.bodyStartOffset, asset.bodyStartLine)
            pagePath = SitePaths.asset(asset.slug)
        } else if let index = content.stories.firstIndex(where: { $0.sourcePath == path }) {
            let story = content.stories[index]
            (item, source, bodyStartOffset, bodyStartLine) = (.story(index), story.source, story.bodyStartOffset, story.bodyStartLine)
            pagePath = SitePaths.story(story.slug)
        } else if let index = content.pages.firstIndex(where: { $0.sourcePath == path }) {
            let page = content.pages[index]
            (item, source, bodyStartOffset, bodyStartLine) = (.page(index), page.source, page.bodyStartOffset, page.bodyStartLine)
            pagePath = SitePaths.page(page.slug)
        } else {
            return nil
        }
        guard let job = current.jobs[pagePath] else { return nil }

        // The new text: a plain file inside the site, valid UTF-8, with the
        // same front matter, byte for byte, as before.
        let url = current.root.appendingPathComponent(path)
        var info = stat()
        guard lstat(url.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
              let data = FileManager.default.contents(atPath: url.path) else { return nil }
        let bytes = [UInt8](data)
        guard let text = String(validating: bytes, as: UTF8.self), !text.utf8.contains(0) else { return nil }
        let oldBytes = Array(source.text.utf8)
        guard bytes.count >= bodyStartOffset, oldBytes.count >= bodyStartOffset,
              bytes[..<bodyStartOffset] == oldBytes[..<bodyStartOffset],
              case .success(let parts) = FrontMatter.split(text), parts.bodyStartOffset == bodyStartOffset,
              parts.bodyStartLine == bodyStartLine, bytes != oldBytes else { return nil }
        let newSource = SourceFile(path: path, text: text)

        // The body, rendered with its links checked; any problem, or a
        // link to a different profile, takes the full build.
        let rendered = SiteModel.render(
            SiteModel.BodyJob(body: parts.body, line: bodyStartLine, source: newSource, sourcePath: path, pagePath: pagePath),
            resolver: current.resolver)
        guard rendered.diagnostics.isEmpty else { return nil }

        var newContent = content
        var assetBodies = model.assetBodies, storyBodies = model.storyBodies, pageBodies = model.pageBodies
        var assetsBySlug = model.assetsBySlug, assetsByTitle = model.assetsByTitle
        var storiesByDate = model.storiesByDate, pagesByWeight = model.pagesByWeight
        var context = job.context
        let sections = current.plan.sections
        let oldBody: String
        /// The line of `directory.json` to replace, made with the old and the
        /// new text (the rest of the line is the same).
        var directoryLine: (old: [UInt8], new: [UInt8])?
        var feedChanged = false
        switch item {
        case .asset(let index):
            var asset = content.assets[index]
            let mentions = SiteModel.mentioned(by: asset.slug, linked: rendered.linked)
            guard mentions == model.mentions.filter({ $0.from == asset.slug }) else { return nil }
            let oldAsset = asset
            oldBody = assetBodies[asset.slug] ?? ""
            asset.body = parts.body
            asset.source = newSource
            newContent.assets[index] = asset
            directoryLine = OpenDataSection(model: model).assetLines(oldAsset, asset)
            assetBodies[asset.slug] = rendered.html
            assetsBySlug[asset.slug] = asset
            if let position = assetsByTitle.firstIndex(where: { $0.slug == asset.slug }) { assetsByTitle[position] = asset }
            PagePlan.finishAsset(&context, asset, body: rendered.html, sections: sections)
        case .story(let index):
            var story = content.stories[index]
            let oldLine = OpenDataSection(model: model).storyLine(story)
            oldBody = storyBodies[story.slug] ?? ""
            story.body = parts.body
            story.source = newSource
            directoryLine = (oldLine, OpenDataSection(model: model).storyLine(story))
            newContent.stories[index] = story
            storyBodies[story.slug] = rendered.html
            if let position = storiesByDate.firstIndex(where: { $0.slug == story.slug }) {
                storiesByDate[position] = story
                feedChanged = position < DiscoverySection.feedLength
            }
            PagePlan.finishStory(&context, story, body: rendered.html, sections: sections)
        case .page(let index):
            var page = content.pages[index]
            oldBody = pageBodies[page.slug] ?? ""
            page.body = parts.body
            page.source = newSource
            newContent.pages[index] = page
            pageBodies[page.slug] = rendered.html
            if let position = pagesByWeight.firstIndex(where: { $0.slug == page.slug }) { pagesByWeight[position] = page }
            context["content"] = model.views.page(page, body: rendered.html)
        }
        let newModel = SiteModel(
            content: newContent, views: model.views, assetsBySlug: assetsBySlug, assetsByTitle: assetsByTitle,
            storiesByDate: storiesByDate, pagesByWeight: pagesByWeight,
            assetBodies: assetBodies, storyBodies: storyBodies, pageBodies: pageBodies, mentions: model.mentions,
            terms: model.terms)

        // The page itself, replaced in one rename.
        let environment = RenderEnvironment(currentPath: pagePath, indexFile: "index.html", markdown: { MarkdownRenderer.html($0) })
        guard let html = try? current.templates.renderBytes(job.template, context: context, environment: environment),
              (try? LiveSite.replace(SitePaths.file(for: pagePath), in: current.output, bytes: html)) != nil
        else { return nil }

        // The search shards the text's words are in.
        var next = current
        next.model = newModel
        var searchFiles: [OutputFile]?
        var searchRemoved: [String] = []
        if var search = current.search, let document = search.index.document(at: pagePath) {
            (searchFiles, searchRemoved) = search.index.replaceBody(
                of: document, from: oldBody, to: rendered.html, shards: &search.shards)
            next.search = search
        }

        let elapsed = clock.now - started
        let milliseconds = Int(elapsed.components.seconds * 1000) + Int(elapsed.components.attoseconds / 1_000_000_000_000_000)
        var report = BuildReport(pages: 1, files: 1, milliseconds: milliseconds, warnings: current.warnings, output: current.output)
        report.stages = [StageTime(stage: .pages, milliseconds: Double(milliseconds), peakMemory: StageClock.peakMemory())]

        // The data files that carry body text, written afterwards: the
        // search shards that changed, the text's line of `directory.json`,
        // and the feed when a story in it changed. Without a kept index
        // (or when `directory.json` is not as the last build left it), the
        // whole of that data is written again.
        let output = current.output
        let writeData: @Sendable () throws -> Int = { [searchFiles, searchRemoved, directoryLine, feedChanged] in
            var written: [OutputFile] = searchFiles ?? SearchSection(model: newModel).files()
            if let directoryLine,
               try LiveSite.splice(OpenDataSection.directoryPath, in: output, replacing: directoryLine.old, with: directoryLine.new) {
                // Done in place.
            } else if directoryLine != nil {
                written.append(OpenDataSection(model: newModel).directoryFile())
            }
            if feedChanged { written += DiscoverySection(model: newModel).files().filter { $0.path == DiscoverySection.feedPath } }
            for file in written {
                switch file.source {
                case .bytes(let bytes):
                    try LiveSite.replace(file.path, in: output, bytes: bytes)
                case .stream(let produce):
                    try LiveSite.replace(file.path, in: output) { try FileSystem.createFile(atPath: $0, producing: produce) }
                case .copy:
                    continue
                }
            }
            for path in searchRemoved where OutputWriter.isSafeRelativePath(path) {
                unlink(output.path + "/" + path)
            }
            return written.count + searchRemoved.count + (directoryLine == nil ? 0 : 1)
        }
        // The kept site already holds the new text: when its data cannot be
        // written, the next change builds everything again.
        let followUp: @Sendable () throws -> Int = { [weak self] in
            do {
                return try writeData()
            } catch {
                self?.forget()
                throw error
            }
        }
        return Quick(kept: next, update: Update(report: report, quickPage: pagePath, followUp: followUp))
    }

    /// Replaces the one line `old` (with the line break before it) of the
    /// file at `path` inside `output` by `new`, in one rename.
    /// - Returns: false, changing nothing, when the file does not hold
    ///   `old` exactly once, followed by a comma or a line break.
    static func splice(_ path: String, in output: URL, replacing old: [UInt8], with new: [UInt8]) throws -> Bool {
        guard !old.isEmpty else { return false }
        let done = try FileSystem.withContents(atPath: output.path + "/" + path) { bytes -> Bool in
            guard let at = occurrence(of: old, in: bytes, from: 0), occurrence(of: old, in: bytes, from: at + 1) == nil else {
                return false
            }
            let end = at + old.count
            guard end < bytes.count, bytes[end] == UInt8(ascii: ",") || bytes[end] == UInt8(ascii: "\n") else { return false }
            try replace(path, in: output) { temporary in
                try FileSystem.createFile(atPath: temporary) { buffer in
                    try buffer.pass(UnsafeBufferPointer(rebasing: bytes[..<at]))
                    try new.withUnsafeBufferPointer { try buffer.pass($0) }
                    try buffer.pass(UnsafeBufferPointer(rebasing: bytes[end...]))
                }
            }
            return true
        }
        return done == true
    }

    /// Where `needle` first occurs in `bytes` at or after `start`.
    private static func occurrence(of needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        needle.withUnsafeBufferPointer { needle in
            guard let base = bytes.baseAddress, let first = needle.first else { return nil }
            var position = start
            while position + needle.count <= bytes.count {
                guard let found = memchr(base + position, Int32(first), bytes.count - position) else { return nil }
                position = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                if position + needle.count <= bytes.count, memcmp(base + position, needle.baseAddress!, needle.count) == 0 {
                    return position
                }
                position += 1
            }
            return nil
        }
    }

    /// Writes `bytes` to `path` inside `output` through a temporary file and one rename.
    static func replace(_ path: String, in output: URL, bytes: [UInt8]) throws {
        try replace(path, in: output) { try FileSystem.createFile(atPath: $0, bytes: bytes) }
    }

    /// Replaces `path` inside `output` with the file `create` makes at the
    /// temporary path it is given, in one rename; a file `create` leaves
    /// unfinished is removed.
    static func replace(_ path: String, in output: URL, creating create: (String) throws -> Void) throws {
        guard OutputWriter.isSafeRelativePath(path) else {
            throw Diagnostic(code: "K073", message: "refusing to write `\(path)`: not a plain path inside the output folder")
        }
        let target = output.path + "/" + path
        let temporary = target + ".kith-\(ProcessInfo.processInfo.processIdentifier)"
        unlink(temporary)
        do {
            try create(temporary)
        } catch {
            unlink(temporary)
            throw error
        }
        if rename(temporary, target) != 0 {
            let problem = String(cString: strerror(errno))
            unlink(temporary)
            throw Diagnostic(code: "K074", message: "cannot replace `\(target)`: \(problem)")
        }
    }
}
