import Content
import Diagnostics
import Dispatch
import Foundation
import Markdown
import Templates

/// `kith build`: loads and checks the content, renders every page through the
/// templates, and replaces the output folder only when everything succeeded.
///
/// Data flow: content/ → `ContentLoader` (front matter, validation) →
/// Markdown bodies (links resolved per page) → template values (`Views`) →
/// pages rendered in parallel → `OutputWriter` (staging folder, swap).
/// `check()` (SiteCheck.swift) runs the same stages up to rendering, then the upkeep checks.
public struct SiteBuilder: Sendable {
    public let options: BuildOptions

    public init(options: BuildOptions) {
        self.options = options
    }

    /// Builds the site.
    /// - Returns: what was written, with any warnings.
    /// - Throws: `DiagnosticList` with every problem found (nothing is written then).
    public func build() throws -> BuildReport {
        try run(keeping: false).report
    }

    /// What a build leaves for a quick update of one page (see `LiveSite`).
    struct KeptSite: Sendable {
        var root: URL
        var output: URL
        var model: SiteModel
        var plan: PagePlan
        var templates: TemplateSet
        /// Every page job by its site path (`assets/garden/`).
        var jobs: [String: PageJob]
        var warnings: [Diagnostic]
        /// The search index as written, when the search section was built.
        var search: KeptSearchIndex? = nil
        /// How links in the texts resolve; no edit to a text changes it.
        var resolver: LinkResolver
    }

    /// Builds the site; with `keeping`, also returns what a quick update needs.
    func run(keeping: Bool) throws -> (report: BuildReport, kept: KeptSite?) {
        let clock = ContinuousClock()
        let started = clock.now
        let (root, output) = try OutputWriter.validate(output: options.outputURL, root: options.root)
        let stages = StageClock(watcher: options.progress)
        func elapsedMilliseconds() -> Int {
            let elapsed = clock.now - started
            return Int(elapsed.components.seconds * 1000) + Int(elapsed.components.attoseconds / 1_000_000_000_000_000)
        }

        // Nothing to do when no input changed since the build that wrote the output.
        let inputs = options.recordsState ? BuildState.inputDigest(root: root, options: "drafts=\(options.includeDrafts)") : nil
        if options.skipWhenUnchanged, let inputs, let recorded = BuildState.recorded(for: output),
           recorded.inputs == inputs, recorded.output == BuildState.outputIdentity(output) {
            var report = BuildReport(
                pages: recorded.pages, files: recorded.files, milliseconds: elapsedMilliseconds(), warnings: [], output: output)
            report.upToDate = true
            report.earlierWarnings = recorded.warnings
            return (report, nil)
        }

        // Pages go to the staging folder as they are rendered; it only takes
        // the output's place once everything succeeded. It is begun as soon
        // as the content is read, so that the folders of the asset and story
        // pages are made on a thread of their own while the later stages
        // work: on a disk, making a folder may wait for the disk, and two
        // threads making folders in the same one wait for each other.
        var begun: Result<OutputWriter.Staging, any Error>?
        defer { if case .success(let staging) = begun { staging.discard() } }
        let searchKeeper = keeping ? SearchIndexKeeper() : nil
        var site = Self.prepare(
            root: root, includeDrafts: options.includeDrafts, mode: .build, stages: stages, searchKeeper: searchKeeper,
            contentRead: { content in
                // A build that fails later makes no folder that was not there.
                guard FileManager.default.fileExists(atPath: output.deletingLastPathComponent().path) else { return }
                begun = Result { try OutputWriter(root: root, output: output).begin() }
                guard case .success(let staging) = begun else { return }
                staging.makeAhead(content.assets.map { SitePaths.folder(of: SitePaths.asset($0.slug)) }
                    + content.stories.map { SitePaths.folder(of: SitePaths.story($0.slug)) })
            })
        let diagnostics = site.diagnostics
        guard let content = site.content, let templates = site.templates, let plan = site.plan, !site.hasErrors else {
            throw DiagnosticList(DiagnosticBag.sort(diagnostics))
        }

        stages.start(.pages)
        if begun == nil { begun = Result { try OutputWriter(root: root, output: output).begin() } }
        let staging = try begun!.get()
        var kept: KeptSite?
        if keeping, let model = site.model {
            var jobs: [String: PageJob] = [:]
            for job in site.pages { jobs[job.path] = job }
            kept = KeptSite(root: root, output: output, model: model, plan: plan, templates: templates, jobs: jobs,
                            warnings: DiagnosticBag.sort(diagnostics),
                            resolver: SiteModel.makeResolver(content: model.content, root: root))
        }
        let rendered = PageRenderer(templates: templates).render(site.takePages(), into: staging, stages: stages)
        if !rendered.diagnostics.isEmpty {
            throw DiagnosticList(DiagnosticBag.sort(diagnostics + rendered.diagnostics))
        }
        if let error = rendered.writeError { throw error }

        stages.start(.publish)
        let sectionFiles = plan.files { file in try staging.add(file) }
        if let error = sectionFiles.error { throw error }
        var files: [OutputFile] = []
        let staticFolder = site.staticFolder
        for path in site.staticFiles {
            files.append(OutputFile(path: "static/" + path, source: .copy(staticFolder.appendingPathComponent(path))))
        }
        let mediaFolder = root.appendingPathComponent("content/media", isDirectory: true)
        for path in content.mediaFiles {
            files.append(OutputFile(path: "media/" + path, source: .copy(mediaFolder.appendingPathComponent(path))))
        }
        for file in files { try staging.add(file) }
        kept?.search = searchKeeper?.take()
        BuildState.forget(for: output)
        try staging.commit()
        stages.finish()
        let written = rendered.pageCount + sectionFiles.count + files.count
        if let inputs, let identity = BuildState.outputIdentity(output) {
            BuildState(inputs: inputs, output: identity, pages: rendered.pageCount, files: written, warnings: diagnostics.count)
                .record(for: output)
        }
        let report = BuildReport(
            pages: rendered.pageCount, files: written, milliseconds: elapsedMilliseconds(),
            warnings: DiagnosticBag.sort(diagnostics), output: output, stages: stages.times)
        if options.keepsMemoryUntilExit { LeftUntilExit.keep((site, plan, templates, rendered)) }
        return (report, kept)
    }

    /// How far the shared stages go when something is wrong.
    enum StageMode {
        /// Stop after the first stage with errors: nothing more can be built.
        case build
        /// Go on as far as possible, to report every problem at once (`kith check`).
        case check
    }

    /// Everything the stages before rendering produce.
    struct PreparedSite {
        var diagnostics: [Diagnostic] = []
        var content: ContentSet?
        /// Content files left out of `content` because of their errors (check mode only).
        var unread: [UnreadFile] = []
        /// Whether every content file was read without an error.
        var contentComplete = true
        var templates: TemplateSet?
        var staticFolder: URL
        var staticFiles: [String] = []
        var model: SiteModel?
        /// The pages and the sections, once the content is complete and every template is there.
        var plan: PagePlan?
        var pages: [PageJob] = []

        var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

        /// The page jobs, handed over so they are freed as soon as they are rendered.
        mutating func takePages() -> [PageJob] {
            defer { pages = [] }
            return pages
        }
    }

    /// The stages `build` and `check` share, everything before rendering:
    /// content, templates, static files, Markdown bodies and their links,
    /// the templates the theme must have, and the page plan.
    ///
    /// In `.check` mode, content files with errors are left out and the rest
    /// is still checked; the page plan is prepared only when the content is complete.
    /// - Parameter contentRead: called with the content once it is read
    ///   without errors, before the later stages (`.build` mode only).
    static func prepare(
        root: URL, includeDrafts: Bool, mode: StageMode, stages: StageClock? = nil, searchKeeper: SearchIndexKeeper? = nil,
        contentRead: ((ContentSet) -> Void)? = nil
    ) -> PreparedSite {
        stages?.start(.content)
        let templateFolder = root.appendingPathComponent("templates", isDirectory: true)
        var site = PreparedSite(staticFolder: templateFolder.appendingPathComponent("static", isDirectory: true))
        switch mode {
        case .build:
            let loaded = ContentLoader.load(root: root, includeDrafts: includeDrafts)
            site.diagnostics.append(contentsOf: loaded.diagnostics)
            site.content = loaded.content
            site.contentComplete = loaded.content != nil
            if let content = loaded.content, !site.hasErrors { contentRead?(content) }
        case .check:
            let loaded = ContentLoader.loadForChecking(root: root, includeDrafts: includeDrafts)
            site.diagnostics.append(contentsOf: loaded.diagnostics)
            site.content = loaded.content
            site.unread = loaded.unread
            site.contentComplete = loaded.isComplete
        }

        stages?.start(.templates)
        if FileManager.default.fileExists(atPath: templateFolder.path) {
            do {
                site.templates = try TemplateSet(directory: templateFolder, displayPath: "templates")
            } catch let list as DiagnosticList {
                site.diagnostics.append(contentsOf: list.diagnostics)
            } catch let diagnostic as Diagnostic {
                site.diagnostics.append(diagnostic)
            } catch {
                site.diagnostics.append(Diagnostic(code: "T017", message: "the templates could not be read: \(error)", path: "templates"))
            }
        } else {
            site.diagnostics.append(Diagnostic(
                code: "K076", message: "there is no templates/ folder in \(root.path)",
                help: "copy the templates/ folder of the Kith repository into the site, or pass --root"))
        }
        let staticFiles = FileSystem.files(under: site.staticFolder, root: root, displayPrefix: "templates/static")
        site.staticFiles = staticFiles.files
        site.diagnostics.append(contentsOf: staticFiles.problems)

        if mode == .build, site.content == nil || site.templates == nil || site.hasErrors { return site }
        guard let content = site.content else { return site }

        stages?.start(.bodies)
        let (model, bodyProblems) = SiteModel.build(content: content.addingPlaceholders(for: site.unread), root: root)
        site.diagnostics.append(contentsOf: bodyProblems)
        site.model = model
        guard let templates = site.templates else { return site }
        stages?.start(.sections)
        let plan = PagePlan(model: model, searchKeeper: searchKeeper)
        for name in plan.requiredTemplates where !templates.contains(name) {
            site.diagnostics.append(Diagnostic(
                code: "K077", message: "the theme has no `\(name)` template", path: "templates/\(name)",
                help: "every theme needs \(plan.requiredTemplates.joined(separator: ", "))"))
        }
        guard site.contentComplete else { return site }
        stages?.start(.plan)
        let prepared = plan.prepare()
        site.diagnostics.append(contentsOf: prepared.diagnostics)
        site.pages = prepared.pages
        site.plan = plan
        return site
    }
}

/// One page to render: which template, where, with which variables.
struct PageJob: Sendable {
    var template: String
    var path: String
    var context: [String: Value]
    /// Adds the variables worked out only when the page is rendered.
    var finish: (@Sendable (inout [String: Value]) -> Void)? = nil

    /// The variables the template sees.
    func finishedContext() -> [String: Value] {
        guard let finish else { return context }
        var context = self.context
        finish(&context)
        return context
    }
}

/// Renders pages on every core; the output order is the job order.
struct PageRenderer: Sendable {
    let templates: TemplateSet

    struct Rendered {
        /// The pages, in job order; empty when they were written as they were rendered.
        var files: [OutputFile] = []
        var pageCount = 0
        var diagnostics: [Diagnostic] = []
        /// The first page (in job order) that could not be written.
        var writeError: (any Error)?
    }

    private enum Slot {
        case page(OutputFile?)
        case failure(Diagnostic)
        case notWritten(any Error)
    }

    /// Renders every job; with `staging`, each page is written there as soon
    /// as it is rendered instead of being kept. Each job is let go once its
    /// page is rendered, unless the caller keeps the list.
    func render(_ jobs: consuming [PageJob], into staging: OutputWriter.Staging? = nil, stages: StageClock? = nil) -> Rendered {
        let count = jobs.count
        let queue = PageJobQueue(consume jobs)
        let results = ResultSlots<Slot>(count: count)
        let markdown: @Sendable (String) -> String = { MarkdownRenderer.html($0) }
        DispatchQueue.concurrentPerform(iterations: count) { index in
            let job = queue.take(index)
            let environment = RenderEnvironment(currentPath: job.path, indexFile: "index.html", markdown: markdown)
            defer { stages?.pageRendered(total: count) }
            guard let staging else {
                do {
                    let html = try templates.renderBytes(job.template, context: job.finishedContext(), environment: environment)
                    results.set(index, .page(OutputFile(path: SitePaths.file(for: job.path), source: .bytes(html))))
                } catch {
                    results.set(index, Self.failure(error, of: job))
                }
                return
            }
            // The page goes to its file a chunk at a time as it renders; a page
            // whose template fails midway leaves no file behind.
            let page = OutputFile(path: SitePaths.file(for: job.path), source: .stream { buffer in
                var writeFailed = false
                do {
                    try templates.render(job.template, context: job.finishedContext(), environment: environment) { piece in
                        do {
                            try buffer.pass(piece)
                        } catch {
                            writeFailed = true
                            throw error
                        }
                    }
                } catch where !writeFailed {
                    throw TemplateFailure(error: error)
                }
            })
            do {
                try staging.add(page)
                results.set(index, .page(nil))
            } catch let failure as TemplateFailure {
                results.set(index, Self.failure(failure.error, of: job))
            } catch {
                results.set(index, .notWritten(error))
            }
        }
        var rendered = Rendered()
        var seen: Set<Diagnostic> = []
        for result in results.values {
            switch result {
            case .page(let file):
                rendered.pageCount += 1
                if let file { rendered.files.append(file) }
            case .failure(let diagnostic):
                // The same template error on a thousand pages is one problem.
                if seen.insert(diagnostic).inserted { rendered.diagnostics.append(diagnostic) }
            case .notWritten(let error):
                rendered.pageCount += 1
                if rendered.writeError == nil { rendered.writeError = error }
            case nil:
                break
            }
        }
        return rendered
    }

    /// An error of the template engine while a page streams to its file,
    /// told apart from the file's own write errors.
    private struct TemplateFailure: Error {
        var error: any Error
    }

    /// The result of a page whose template failed.
    private static func failure(_ error: any Error, of job: PageJob) -> Slot {
        if let diagnostic = error as? Diagnostic { return .failure(diagnostic) }
        return .failure(Diagnostic(code: "T000", message: "\(error)", path: "templates/\(job.template)"))
    }
}

/// Fixed-size storage that parallel workers fill, each writing only its own slot.
/// Page jobs handed out one at a time, each let go as it is taken, so the
/// variables of the pages already rendered are freed while the rest render.
final class PageJobQueue: @unchecked Sendable {
    private var jobs: [PageJob?]
    private let lock = NSLock()

    init(_ jobs: consuming [PageJob]) {
        self.jobs = jobs.map { $0 }
    }

    /// The job at `index`; each is taken once.
    func take(_ index: Int) -> PageJob {
        lock.lock()
        defer { lock.unlock() }
        guard let job = jobs[index] else { preconditionFailure("page job \(index) taken twice") }
        jobs[index] = nil
        return job
    }
}

final class ResultSlots<T>: @unchecked Sendable {
    private var storage: [T?]
    private let lock = NSLock()

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: T) {
        lock.lock()
        storage[index] = value
        lock.unlock()
    }

    var values: [T?] { storage }
}

/// Values that stay in memory until the process ends, never freed (see
/// `BuildOptions.keepsMemoryUntilExit`): the operating system takes the
/// whole address space back at once when the process exits.
enum LeftUntilExit {
    private final class Box<Kept>: @unchecked Sendable {
        let kept: Kept
        init(_ kept: Kept) { self.kept = kept }
    }

    static func keep<Kept>(_ kept: Kept) {
        _ = Unmanaged.passRetained(Box(kept))
    }
}
