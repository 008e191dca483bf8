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
public struct SiteBuilder: Sendable {
    public let options: BuildOptions

    public init(options: BuildOptions) {
        self.options = options
    }

    /// Builds the site.
    /// - Returns: what was written, with any warnings.
    /// - Throws: `DiagnosticList` with every problem found (nothing is written then).
    public func build() throws -> BuildReport {
        let clock = ContinuousClock()
        let started = clock.now
        let (root, output) = try OutputWriter.validate(output: options.outputURL, root: options.root)

        var diagnostics: [Diagnostic] = []
        let loaded = ContentLoader.load(root: root, includeDrafts: options.includeDrafts)
        diagnostics.append(contentsOf: loaded.diagnostics)

        var templates: TemplateSet?
        let templateFolder = root.appendingPathComponent("templates", isDirectory: true)
        if FileManager.default.fileExists(atPath: templateFolder.path) {
            do {
                templates = try TemplateSet(directory: templateFolder, displayPath: "templates")
            } catch let list as DiagnosticList {
                diagnostics.append(contentsOf: list.diagnostics)
            } catch let diagnostic as Diagnostic {
                diagnostics.append(diagnostic)
            }
        } else {
            diagnostics.append(Diagnostic(
                code: "K076", message: "there is no templates/ folder in \(root.path)",
                help: "copy the templates/ folder of the Kith repository into the site, or pass --root"))
        }
        let staticFolder = templateFolder.appendingPathComponent("static", isDirectory: true)
        let staticFiles = FileSystem.files(under: staticFolder, root: root, displayPrefix: "templates/static")
        diagnostics.append(contentsOf: staticFiles.problems)

        guard let content = loaded.content, let templates, !diagnostics.contains(where: { $0.severity == .error }) else {
            throw DiagnosticList(DiagnosticBag.sort(diagnostics))
        }

        let (model, bodyProblems) = SiteModel.build(content: content, root: root)
        diagnostics.append(contentsOf: bodyProblems)
        let plan = PagePlan(model: model)
        for name in plan.requiredTemplates where !templates.contains(name) {
            diagnostics.append(Diagnostic(
                code: "K077", message: "the theme has no `\(name)` template", path: "templates/\(name)",
                help: "every theme needs \(plan.requiredTemplates.joined(separator: ", "))"))
        }
        let prepared = plan.prepare()
        diagnostics.append(contentsOf: prepared.diagnostics)
        if diagnostics.contains(where: { $0.severity == .error }) {
            throw DiagnosticList(DiagnosticBag.sort(diagnostics))
        }

        let rendered = PageRenderer(templates: templates).render(prepared.pages)
        if !rendered.diagnostics.isEmpty {
            throw DiagnosticList(DiagnosticBag.sort(diagnostics + rendered.diagnostics))
        }

        var files = rendered.files + prepared.files
        for path in staticFiles.files {
            files.append(OutputFile(path: "static/" + path, source: .copy(staticFolder.appendingPathComponent(path))))
        }
        let mediaFolder = root.appendingPathComponent("content/media", isDirectory: true)
        for path in content.mediaFiles {
            files.append(OutputFile(path: "media/" + path, source: .copy(mediaFolder.appendingPathComponent(path))))
        }
        let written = try OutputWriter(root: root, output: output).write(files)
        let elapsed = clock.now - started
        let milliseconds = Int(elapsed.components.seconds * 1000) + Int(elapsed.components.attoseconds / 1_000_000_000_000_000)
        return BuildReport(
            pages: rendered.files.count, files: written, milliseconds: milliseconds,
            warnings: DiagnosticBag.sort(diagnostics), output: output)
    }
}

/// One page to render: which template, where, with which variables.
struct PageJob: Sendable {
    var template: String
    var path: String
    var context: [String: Value]
}

/// Renders pages on every core; the output order is the job order.
struct PageRenderer: Sendable {
    let templates: TemplateSet

    func render(_ jobs: [PageJob]) -> (files: [OutputFile], diagnostics: [Diagnostic]) {
        let results = ResultSlots<Result<String, Diagnostic>>(count: jobs.count)
        let markdown: @Sendable (String) -> String = { MarkdownRenderer.html($0) }
        DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
            let job = jobs[index]
            let environment = RenderEnvironment(currentPath: job.path, indexFile: "index.html", markdown: markdown)
            do {
                let html = try templates.render(job.template, context: job.context, environment: environment)
                results.set(index, .success(html))
            } catch let diagnostic as Diagnostic {
                results.set(index, .failure(diagnostic))
            } catch {
                results.set(index, .failure(Diagnostic(code: "T000", message: "\(error)", path: "templates/\(job.template)")))
            }
        }
        var files: [OutputFile] = []
        var problems: [Diagnostic] = []
        var seen: Set<Diagnostic> = []
        for (index, result) in results.values.enumerated() {
            switch result {
            case .success(let html):
                files.append(OutputFile(path: SitePaths.file(for: jobs[index].path), source: .bytes(Array(html.utf8))))
            case .failure(let diagnostic):
                // The same template error on a thousand pages is one problem.
                if seen.insert(diagnostic).inserted { problems.append(diagnostic) }
            case nil:
                break
            }
        }
        return (files, problems)
    }
}

/// Fixed-size storage that parallel workers fill, each writing only its own slot.
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
