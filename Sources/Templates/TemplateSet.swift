import Diagnostics
import Foundation

/// All the templates of a theme, parsed once and rendered many times.
///
/// A `TemplateSet` is immutable after `init`, so pages can be rendered on
/// many threads at once; each `render` call keeps its own state.
public struct TemplateSet: Sendable {
    private let templates: [String: Template]
    private let displayPath: String
    /// The templates in render-ready form.
    private let program: Program

    /// Reads and parses every `*.html` file under `directory` (recursively,
    /// skipping its `static` folder and hidden files), naming each by its path
    /// relative to the directory ("base.html", "partials/card.html").
    /// - Parameters:
    ///   - directory: the theme's templates folder.
    ///   - displayPath: prefixed to names in diagnostics ("templates" → "templates/base.html").
    /// - Throws: `DiagnosticList` with every problem of every file: syntax
    ///   errors, `extends`/`include` of a missing template, extends cycles.
    public init(directory: URL, displayPath: String = "templates") throws {
        var sources: [String: String] = [:]
        var problems: [Diagnostic] = []
        let manager = FileManager.default
        var isFolder: ObjCBool = false
        guard manager.fileExists(atPath: directory.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw DiagnosticList([Diagnostic(
                code: "T017", message: "the templates folder does not exist", path: displayPath,
                help: "create it, with at least the templates the site needs")])
        }
        func walk(_ folder: URL, _ prefix: String) {
            let names = ((try? manager.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
            for name in names where !name.hasPrefix(".") {
                let url = folder.appendingPathComponent(name)
                let relative = prefix + name
                var isDirectory: ObjCBool = false
                guard manager.fileExists(atPath: url.path, isDirectory: &isDirectory) else { continue }
                if isDirectory.boolValue {
                    if relative != "static" { walk(url, relative + "/") }
                } else if name.hasSuffix(".html") {
                    guard let data = manager.contents(atPath: url.path) else {
                        problems.append(Diagnostic(code: "T017", message: "this template cannot be read", path: Self.path(of: relative, in: displayPath)))
                        continue
                    }
                    guard let text = String(validating: data, as: UTF8.self) else {
                        problems.append(Diagnostic(
                            code: "T017", message: "this template is not UTF-8 text", path: Self.path(of: relative, in: displayPath),
                            help: "save the file as UTF-8"))
                        continue
                    }
                    sources[relative] = text
                }
            }
        }
        walk(directory, "")
        try self.init(sources: sources, displayPath: displayPath, problems: problems)
    }

    /// Parses templates given as `name → text` (for tests and tools).
    /// - Throws: `DiagnosticList`, as `init(directory:displayPath:)`.
    public init(sources: [String: String], displayPath: String = "templates") throws {
        try self.init(sources: sources, displayPath: displayPath, problems: [])
    }

    private init(sources: [String: String], displayPath: String, problems: [Diagnostic]) throws {
        var diagnostics = problems
        var templates: [String: Template] = [:]
        for name in sources.keys.sorted() {
            let file = SourceFile(path: Self.path(of: name, in: displayPath), text: sources[name]!)
            let parsed = Parser.parse(file)
            diagnostics += parsed.errors.map { $0.diagnostic(in: file) }
            templates[name] = Template(name: name, file: file, parsed: parsed)
        }
        let names = templates.keys.sorted()

        // Every extends and include must name a template that exists.
        for name in names {
            let template = templates[name]!
            var references = template.includes.map { ($0.name, $0.nameRange) }
            if let extends = template.extends { references.insert((extends.name, extends.nameRange), at: 0) }
            for (target, range) in references where templates[target] == nil {
                let suggestion = Suggestions.closest(to: target, in: names)
                diagnostics.append(TemplateError(.templateNotFound(target, suggestion: suggestion), range).diagnostic(in: template.file))
            }
        }

        // Follow each extends chain; a chain that comes back on itself is a cycle,
        // reported once, at the member whose name sorts first.
        var chains: [String: [Template]] = [:]
        var reportedCycles: Set<String> = []
        for name in names {
            var chain = [templates[name]!]
            var seen: Set<String> = [name]
            while let parent = chain.last!.extends, let next = templates[parent.name] {
                if seen.contains(next.name) {
                    let start = chain.firstIndex { $0.name == next.name }!
                    let cycle = chain[start...].map(\.name)
                    let first = cycle.min()!
                    if reportedCycles.insert(first).inserted {
                        let from = cycle.firstIndex(of: first)!
                        let ordered = Array(cycle[from...] + cycle[..<from]) + [first]
                        let origin = templates[first]!
                        diagnostics.append(TemplateError(.extendsCycle(ordered), origin.extends!.range).diagnostic(in: origin.file))
                    }
                    chain = []
                    break
                }
                seen.insert(next.name)
                chain.append(next)
            }
            if !chain.isEmpty { chains[name] = chain }
        }

        if diagnostics.contains(where: { $0.severity == .error }) {
            throw DiagnosticList(DiagnosticBag.sort(diagnostics))
        }
        self.templates = templates
        self.displayPath = displayPath
        self.program = ProgramBuilder.build(templates: names.map { templates[$0]! }, chains: chains)
    }

    /// The template names, sorted.
    public var names: [String] { templates.keys.sorted() }

    public func contains(_ name: String) -> Bool { templates[name] != nil }

    /// Renders a template with the given variables.
    /// - Throws: a single `Diagnostic` on a render error; its `notes` list the
    ///   include and extends chain ("included from templates/base.html:30:5").
    public func render(_ name: String, context: [String: Value], environment: RenderEnvironment) throws -> String {
        let bytes = try renderBytes(name, context: context, environment: environment)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Renders a template as UTF-8 bytes: the same output as `render`, without
    /// making a `String` of it, for callers that write the page to a file.
    /// - Throws: as `render`.
    public func renderBytes(_ name: String, context: [String: Value], environment: RenderEnvironment) throws -> [UInt8] {
        let chain = try self.chain(named: name)
        var renderer = Renderer(program: program, environment: environment, context: context, capacity: Self.startingCapacity(for: chain))
        try renderer.render(chain)
        return renderer.bytes
    }

    /// How many bytes `render(_:context:environment:flushingEvery:into:)`
    /// gathers, unless told otherwise, before handing them on.
    public static let flushSize = 64 * 1024

    /// Renders a template as UTF-8 bytes handed to `sink` a piece at a time,
    /// for callers that write a page to a file without ever holding it whole.
    ///
    /// The pieces, joined, are exactly the bytes `renderBytes` returns. A
    /// piece is handed on after a pass of a `for` loop once at least
    /// `threshold` bytes have gathered (never while `super()` is collecting
    /// a block's text), and the rest at the end; each piece is only valid
    /// during its call to `sink`.
    /// - Parameter threshold: how many bytes to gather before handing them on.
    /// - Throws: as `render`, with the same diagnostics; whatever `sink`
    ///   throws, unchanged. After an error the pieces already handed on are
    ///   an unfinished page, which the caller must not publish.
    public func render(
        _ name: String, context: [String: Value], environment: RenderEnvironment,
        flushingEvery threshold: Int = TemplateSet.flushSize, into sink: (UnsafeBufferPointer<UInt8>) throws -> Void
    ) throws {
        let chain = try self.chain(named: name)
        let capacity = min(Self.startingCapacity(for: chain), max(4096, threshold + threshold / 4))
        try withoutActuallyEscaping(sink) { sink in
            // The renderer lives only for this call, so the sink never outlives it.
            var renderer = Renderer(
                program: program, environment: environment, context: context, capacity: capacity,
                sink: sink, flushThreshold: threshold)
            try renderer.render(chain)
            try renderer.flush()
        }
    }

    /// The extends chain of the template `name`, ready to render.
    /// - Throws: a T015 `Diagnostic` when there is no such template.
    private func chain(named name: String) throws -> [CompiledTemplate] {
        guard let number = program.templateNumbers[name], let chain = program.chains[number] else {
            let suggestion = Suggestions.closest(to: name, in: templates.keys)
            throw Diagnostic(
                code: "T015", message: "there is no template `\(name)`", path: Self.path(of: name, in: displayPath),
                help: suggestion.map { "did you mean `\($0)`?" })
        }
        return chain
    }

    /// Room for the output of a whole page: twice the size of its templates' text.
    private static func startingCapacity(for chain: [CompiledTemplate]) -> Int {
        max(4096, chain.reduce(0) { $0 + $1.template.file.text.utf8.count } * 2)
    }

    private static func path(of name: String, in displayPath: String) -> String {
        displayPath.isEmpty ? name : displayPath + "/" + name
    }
}
