import Diagnostics
import FlyingFox
import Foundation
import Site
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `kith serve`: builds the site into a private folder, serves it on
/// 127.0.0.1, watches `content/` and `templates/`, rebuilds on change and
/// makes open pages reload.
///
/// The build goes to a fresh temporary folder, never to `public/`, so a
/// preview can neither publish a half-finished edit nor disturb a build
/// someone runs beside it; the folder is removed when the server stops.
final class PreviewServer: Sendable {
    struct Options: Sendable {
        var root: URL
        /// 0 picks a free port.
        var port: UInt16 = 8000
        var includeDrafts = false
        /// How often the watcher looks at the files.
        var pollInterval: Duration = .milliseconds(200)
        /// How long a request for changes may wait before answering "no change".
        var longPollLimit: Duration = .seconds(10)
        /// Where build lines and problems are written.
        var log: @Sendable (String) -> Void = { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) }
        /// Told how far a full build is.
        var progress: (@Sendable (BuildEvent) -> Void)? = nil
    }

    let options: Options
    let state = PreviewState()
    /// The temporary folder holding the build (`site/`) and its staging folders.
    let workFolder: URL
    let output: URL
    private let server: HTTPServer
    private let watcher: ChangeWatcher
    private let builder: PreviewBuild
    private let serverTask = TaskBox()

    init(options: Options) throws {
        self.options = options
        var isFolder: ObjCBool = false
        let content = options.root.appendingPathComponent("content")
        guard FileManager.default.fileExists(atPath: content.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw Diagnostic(
                code: "K220", message: "there is no content/ folder in \(options.root.path)",
                help: "run kith serve in the site folder, or pass --root with the folder holding content/ and templates/")
        }
        workFolder = FileManager.default.temporaryDirectory
            .appendingPathComponent("kith-serve-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0 ... .max))",
                                    isDirectory: true)
        try FileManager.default.createDirectory(at: workFolder, withIntermediateDirectories: true)
        output = workFolder.appendingPathComponent("site", isDirectory: true)
        builder = PreviewBuild(root: options.root, output: output, includeDrafts: options.includeDrafts, progress: options.progress)
        let state = self.state
        let log = options.log
        let builder = self.builder
        watcher = ChangeWatcher(root: options.root, folders: ["content", "templates"], interval: options.pollInterval) { changed in
            let shown = changed.count <= 3 ? changed.joined(separator: ", ") : "\(changed.count) files"
            log("changed: \(shown)")
            Self.run(builder, changed: changed, state: state, log: log)
        }
        let address = try sockaddr_in.inet(ip4: "127.0.0.1", port: options.port)
        let handler = PreviewHandler(state: state, output: output, longPollLimit: options.longPollLimit)
        server = HTTPServer(address: address, timeout: 60, logger: .disabled, handler: handler)
    }

    /// Builds once, starts listening and watching.
    /// - Returns: the port the server listens on.
    /// - Throws: a `Diagnostic` (K221) when the address cannot be used (the port is taken).
    func start() async throws -> UInt16 {
        Self.run(builder, changed: [], state: state, log: options.log)
        let server = self.server
        let failure = serverTask.failure
        serverTask.set(Task {
            do { try await server.run() } catch { failure.set(error) }
        })
        // Listening, or failed to: whichever comes first (bounded).
        for _ in 0..<500 {
            if await server.isListening { break }
            if let error = failure.value {
                throw Diagnostic(
                    code: "K221", message: "cannot listen on 127.0.0.1:\(options.port): \(error.localizedDescription)",
                    help: "another program may be using the port; try another one, such as --port \(options.port == 8000 ? 8001 : 8000)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        guard case .ip4(_, let port)? = await server.listeningAddress else {
            throw Diagnostic(code: "K221", message: "cannot listen on 127.0.0.1:\(options.port)",
                             help: "try another port, such as --port 0 for any free one")
        }
        watcher.start()
        return port
    }

    /// Stops watching and serving, and removes the private build folder.
    func stop() async {
        watcher.stop()
        await server.stop(timeout: 0)
        serverTask.take()?.cancel()
        // The watcher finishes the check or build under way (bounded wait).
        for _ in 0..<300 where watcher.isRunning {
            try? await Task.sleep(for: .milliseconds(20))
        }
        try? FileManager.default.removeItem(at: workFolder)
    }

    /// One build, published to the server and logged.
    private static func run(_ builder: PreviewBuild, changed: [String], state: PreviewState,
                            log: @Sendable (String) -> Void) {
        let result = builder.rebuild(changed: changed)
        let outcome = result.outcome
        state.publish(outcome)
        switch outcome {
        case .built(let report):
            if let page = result.quickPage {
                // One page written: open pages reload now, the data files follow.
                log("\(page): 1 page in \(report.milliseconds) ms")
                if let followUp = result.followUp {
                    let clock = ContinuousClock()
                    let started = clock.now
                    do {
                        let count = try followUp()
                        let elapsed = clock.now - started
                        log("search and data files: \(count) files in \(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000) ms")
                    } catch {
                        log("the data files could not be written: \(error)")
                    }
                }
                return
            }
            if !report.warnings.isEmpty { log(DiagnosticRenderer().render(all: report.warnings).trimmingCharacters(in: .newlines)) }
            log(PreviewBuild.line(report))
        case .failed(let diagnostics):
            log(DiagnosticRenderer().render(all: diagnostics).trimmingCharacters(in: .newlines))
            log("build failed: the browser shows the problem until it is fixed")
        }
    }
}

/// Holds the server's task so `stop` can cancel it, and the error it ended with.
private final class TaskBox: @unchecked Sendable {
    private let lock = NSLock()
    private var task: Task<Void, Never>?
    let failure = ErrorBox()

    func set(_ task: Task<Void, Never>) {
        lock.lock()
        self.task = task
        lock.unlock()
    }

    func take() -> Task<Void, Never>? {
        lock.lock()
        defer { lock.unlock() }
        let current = task
        task = nil
        return current
    }
}

/// An error set by one task and read by another.
private final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var error: (any Error)?

    func set(_ error: any Error) {
        lock.lock()
        self.error = error
        lock.unlock()
    }

    var value: (any Error)? {
        lock.lock()
        defer { lock.unlock() }
        return error
    }
}

/// Answers every request of the preview.
struct PreviewHandler: HTTPHandler {
    let state: PreviewState
    let output: URL
    let longPollLimit: Duration

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        let snapshot = state.snapshot
        guard request.method == .GET || request.method == .HEAD else {
            var headers: HTTPHeaders = [:]
            headers[HTTPHeader("Allow")] = "GET, HEAD"
            return respond(request, .methodNotAllowed, type: "text/plain; charset=utf-8",
                           body: Array("Only GET and HEAD are answered.\n".utf8), extra: headers)
        }
        let path = request.target.path(percentEncoded: true)
        if path == "/_kith/reload.js" {
            return respond(request, .ok, type: "text/javascript; charset=utf-8", body: Array(PreviewPages.reloadScript.utf8))
        }
        if path == "/_kith/changes" {
            let since = Int(request.query["since"] ?? "") ?? -1
            let generation = await waitForBuild(after: since)
            return respond(request, .ok, type: "application/json", body: Array("{\"generation\":\(generation)}\n".utf8))
        }
        if path.hasPrefix("/_kith/") {
            return page(request, .notFound, "Not found", "The preview server has no such address.", snapshot)
        }

        let resolution = SafePath.resolve(path, in: output)
        if case .refused = resolution {
            return page(request, .badRequest, "Refused", "This address points outside the site.", snapshot)
        }
        if let failure = snapshot.failure, Self.isPage(path, resolution) {
            let html = PreviewPages.failure(failure, generation: snapshot.generation)
            return respond(request, .internalServerError, type: "text/html; charset=utf-8", body: Array(html.utf8))
        }
        switch resolution {
        case .file(let url):
            guard let bytes = Self.read(url) else {
                return page(request, .notFound, "Not found", "There is no page at this address.", snapshot)
            }
            let type = ContentTypes.type(for: url)
            let body = type.hasPrefix("text/html") ? PreviewPages.inject(into: bytes, generation: snapshot.generation) : bytes
            return respond(request, .ok, type: type, body: body)
        case .redirect(let location):
            var headers: HTTPHeaders = [:]
            headers[.location] = location
            return respond(request, .movedPermanently, type: "text/plain; charset=utf-8", body: [], extra: headers)
        case .notFound, .refused:
            // The site's own 404 page when it has one.
            if case .file(let url) = SafePath.resolve("/404.html", in: output), let bytes = Self.read(url) {
                return respond(request, .notFound, type: "text/html; charset=utf-8",
                               body: PreviewPages.inject(into: bytes, generation: snapshot.generation))
            }
            return page(request, .notFound, "Not found", "There is no page at this address.", snapshot)
        }
    }

    /// Waits (in short steps, at most `longPollLimit`) until a build newer than `since` is published.
    private func waitForBuild(after since: Int) async -> Int {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: longPollLimit)
        while clock.now < deadline {
            let generation = state.snapshot.generation
            if generation != since { return generation }
            do { try await Task.sleep(for: .milliseconds(50)) } catch { break }
        }
        return state.snapshot.generation
    }

    /// Whether a request is for a page (rather than a style sheet or image),
    /// so that a failed build shows its problems instead.
    static func isPage(_ path: String, _ resolution: SafePath.Resolution) -> Bool {
        if case .file(let url) = resolution { return url.pathExtension.lowercased() == "html" }
        let last = path.split(separator: "/").last.map(String.init) ?? ""
        return path.hasSuffix("/") || last.hasSuffix(".html") || !last.contains(".")
    }

    /// Reads a regular file without following a link at its last step.
    static func read(_ url: URL) -> [UInt8]? {
        let fd = open(url.path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        guard let data = try? handle.readToEnd() else { return [] }
        return Array(data)
    }

    private func page(_ request: HTTPRequest, _ status: HTTPStatusCode, _ title: String, _ text: String,
                      _ snapshot: PreviewState.Snapshot) -> HTTPResponse {
        let html = PreviewPages.message(title, text, generation: snapshot.generation)
        return respond(request, status, type: "text/html; charset=utf-8", body: Array(html.utf8))
    }

    private func respond(_ request: HTTPRequest, _ status: HTTPStatusCode, type: String, body: [UInt8],
                         extra: HTTPHeaders = [:]) -> HTTPResponse {
        var headers = extra
        headers[.contentType] = type
        headers[.cacheControl] = "no-store"
        headers[HTTPHeader("X-Content-Type-Options")] = "nosniff"
        if request.method == .HEAD {
            headers[.contentLength] = String(body.count)
            return HTTPResponse(statusCode: status, headers: headers, body: Data())
        }
        return HTTPResponse(statusCode: status, headers: headers, body: Data(body))
    }
}
