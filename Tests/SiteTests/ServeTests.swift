import Diagnostics
import Foundation
import Testing
import TestSupport
@testable import CLI
#if canImport(Glibc)
import Glibc
#endif

/// A response read off the wire.
private struct RawResponse: Sendable {
    var status: Int
    var headers: [String: String]
    var body: String
}

/// A minimal HTTP/1.1 client over a blocking socket on a thread of its own
/// (never on the Swift concurrency pool, which the server needs), sending the
/// request target exactly as given: no client-side clean-up of `..` or `%2e`.
private func request(port: UInt16, _ target: String, method: String = "GET") async throws -> RawResponse {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try blockingRequest(port: port, target, method: method) })
        }
        thread.start()
    }
}

private struct ClientError: Error, CustomStringConvertible {
    var description: String
}

private func blockingRequest(port: UInt16, _ target: String, method: String) throws -> RawResponse {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw ClientError(description: "socket failed") }
    defer { close(fd) }
    var timeout = timeval(tv_sec: 15, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { throw ClientError(description: "cannot connect to port \(port)") }
    let text = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n"
    let sent = text.withCString { send(fd, $0, strlen($0), 0) }
    guard sent > 0 else { throw ClientError(description: "send failed") }
    var data: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 16_384)
    while true {
        let count = recv(fd, &buffer, buffer.count, 0)
        if count <= 0 { break }
        data += buffer[..<count]
    }
    guard let split = data.indices.first(where: { $0 + 3 < data.count && data[$0...($0 + 3)].elementsEqual([13, 10, 13, 10]) }) else {
        throw ClientError(description: "no response (\(data.count) bytes)")
    }
    let head = String(decoding: data[..<split], as: UTF8.self).components(separatedBy: "\r\n")
    let status = Int(head[0].split(separator: " ")[1]) ?? 0
    var headers: [String: String] = [:]
    for line in head.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    return RawResponse(status: status, headers: headers, body: String(decoding: data[(split + 4)...], as: UTF8.self))
}

/// Lines the server logs, collected for assertions.
private final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func add(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}

/// A running preview of a fixture site, stopped by `finish`.
private struct Preview {
    let site: FixtureSite
    let server: PreviewServer
    let port: UInt16
    let log: LogLines

    static func start(_ files: [String: String] = FixtureSite.basicContent) async throws -> Preview {
        let site = try FixtureSite(files: files)
        let log = LogLines()
        var options = PreviewServer.Options(root: site.root, port: 0)
        options.pollInterval = .milliseconds(50)
        options.longPollLimit = .seconds(2)
        options.log = { log.add($0) }
        let server = try PreviewServer(options: options)
        let port = try await server.start()
        return Preview(site: site, server: server, port: port, log: log)
    }

    func get(_ target: String, method: String = "GET") async throws -> RawResponse {
        try await request(port: port, target, method: method)
    }

    func edit(_ path: String, _ text: String) throws {
        try TestSupport.write([path: text], under: site.root)
    }

    /// Asks for `target` until `done` holds (every 100 ms, for at most `seconds`).
    func waitFor(_ target: String, seconds: Double = 20, _ done: (RawResponse) -> Bool) async throws -> RawResponse {
        let deadline = Date().addingTimeInterval(seconds)
        var last = try await get(target)
        while !done(last), Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
            last = try await get(target)
        }
        return last
    }

    func finish() async {
        await server.stop()
        site.remove()
    }
}

@Suite(.timeLimit(.minutes(2))) struct ServeTests {
    @Test func servesPagesOn127001WithTheReloadScript() async throws {
        let preview = try await Preview.start()
        let page = try await preview.get("/assets/garden/")
        let home = try await preview.get("/")
        let style = try await preview.get("/static/style.css")
        let script = try await preview.get("/_kith/reload.js")
        let folder = try await preview.get("/assets/garden")
        let head = try await preview.get("/assets/garden/index.html", method: "HEAD")
        let post = try await preview.get("/", method: "POST")
        let missing = try await preview.get("/assets/nowhere/")
        let log = preview.log.all
        let built = try String(contentsOf: preview.server.output.appendingPathComponent("assets/garden/index.html"), encoding: .utf8)
        let publicExists = FileManager.default.fileExists(atPath: preview.site.root.appendingPathComponent("public").path)
        await preview.finish()

        #expect(page.status == 200)
        #expect(page.headers["content-type"] == "text/html; charset=utf-8")
        #expect(page.body.contains("<h1>Community Garden</h1>"))
        #expect(page.body.contains("<script src=\"/_kith/reload.js\" data-generation=\"1\"></script></body>"))
        #expect(home.status == 200 && home.body.contains("Testside"))
        #expect(style.status == 200 && style.headers["content-type"] == "text/css; charset=utf-8")
        #expect(script.status == 200 && script.headers["content-type"] == "text/javascript; charset=utf-8")
        #expect(script.body.contains("/_kith/changes?since="))
        #expect(folder.status == 301 && folder.headers["location"] == "/assets/garden/")
        #expect(head.status == 200 && head.body.isEmpty)
        #expect(post.status == 405)
        #expect(missing.status == 404)
        // The script is added while serving, never written into the build; public/ is not touched.
        #expect(!built.contains("_kith"))
        #expect(!publicExists)
        #expect(log.contains { $0.range(of: #"^\d+ pages in \d+ ms$"#, options: .regularExpression) != nil }, "\(log)")
    }

    @Test func rebuildsAfterAnEditAndTellsOpenPages() async throws {
        let preview = try await Preview.start()
        var garden = FixtureSite.basicContent["content/assets/garden.md"]!
        garden = garden.replacingOccurrences(of: "title: Community Garden", with: "title: Community Orchard")
        try preview.edit("content/assets/garden.md", garden)
        // A page read while the new build is being published may still carry the old
        // generation (its script then reloads once more): wait for the new one.
        let page = try await preview.waitFor("/assets/garden/") {
            $0.body.contains("Community Orchard") && !$0.body.contains(#"data-generation="1""#)
        }
        // The page names the build it comes from (2, or more when the watcher saw the file half-written).
        let shown = page.body.firstMatch(of: /data-generation="(\d+)"/).flatMap { Int($0.1) } ?? 0
        let changes = try await preview.get("/_kith/changes?since=1")
        // Nothing newer than the page's build: the request waits (here at most 2 s), then says so.
        let started = Date()
        let idle = try await preview.get("/_kith/changes?since=\(shown)")
        let waited = Date().timeIntervalSince(started)
        let log = preview.log.all
        await preview.finish()

        #expect(page.status == 200 && page.body.contains("<h1>Community Orchard</h1>"))
        #expect(shown >= 2)
        #expect(changes.status == 200 && changes.headers["content-type"] == "application/json")
        #expect(changes.body == "{\"generation\":\(shown)}\n")
        #expect(idle.body == "{\"generation\":\(shown)}\n")
        #expect(waited >= 1.5)
        #expect(log.contains("changed: content/assets/garden.md"))
        #expect(log.filter { $0.hasSuffix(" ms") }.count >= 2)
    }

    @Test func aBrokenEditShowsTheProblemUntilItIsFixed() async throws {
        let preview = try await Preview.start()
        let good = FixtureSite.basicContent["content/assets/library.md"]!
        // A missing summary, and a type with markup that must arrive escaped.
        try preview.edit("content/assets/library.md", """
            ---
            title: Library
            type: <script>alert("x")</script>
            ---
            Text.

            """)
        let broken = try await preview.waitFor("/assets/garden/") { $0.status == 500 }
        let style = try await preview.get("/static/style.css")
        try preview.edit("content/assets/library.md", good)
        let fixed = try await preview.waitFor("/assets/garden/") { $0.status == 200 }
        await preview.finish()

        #expect(broken.status == 500)
        #expect(broken.body.contains("The site could not be built"))
        #expect(broken.body.contains("<code>content/assets/library.md:1:1</code>"))
        #expect(broken.body.contains("the required field `summary` is missing"))
        #expect(broken.body.contains("How to fix it: add a line such as: summary: One sentence about what this asset offers"))
        #expect(broken.body.contains("unknown asset type `&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;`"))
        #expect(!broken.body.contains("<script>alert"))
        #expect(broken.body.contains("/_kith/reload.js"))
        // Style sheets still come from the last good build.
        #expect(style.status == 200)
        #expect(fixed.body.contains("<h1>Community Garden</h1>"))
    }

    static let escapes = [
        "/../secret.txt", "/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/..%2fsecret.txt",
        "/..%2Fsecret.txt", "/assets/..%2f..%2fsecret.txt", "/%2e%2e%2fsecret.txt", "/.%2e/secret.txt",
        "/..\\secret.txt", "/%5c..%5csecret.txt", "/..%5csecret.txt", "/index.html%00", "/%00/secret.txt",
        "//secret.txt", "/assets/%2e%2e/%2e%2e/secret.txt", "/%252e%252e/secret.txt", "/%c0%ae%c0%ae/secret.txt",
        "/link/secret.txt", "/link.txt", "/.hidden", "/static/%2e%2e%2f%2e%2e%2fsecret.txt",
    ]

    @Test func refusesPathsOutsideTheOutput() async throws {
        let preview = try await Preview.start()
        let secret = "SECRET-\(UUID().uuidString)"
        let output = preview.server.output
        for folder in [preview.server.workFolder, preview.site.root] {
            try Data(secret.utf8).write(to: folder.appendingPathComponent("secret.txt"))
        }
        try Data(secret.utf8).write(to: output.appendingPathComponent(".hidden"))
        // Links inside the output that lead out of it are not followed either.
        try FileManager.default.createSymbolicLink(at: output.appendingPathComponent("link"), withDestinationURL: preview.site.root)
        try FileManager.default.createSymbolicLink(at: output.appendingPathComponent("link.txt"),
                                                   withDestinationURL: preview.site.root.appendingPathComponent("secret.txt"))
        var answers: [(String, RawResponse)] = []
        for target in Self.escapes {
            answers.append((target, try await preview.get(target)))
        }
        let control = try await preview.get("/index.html")
        await preview.finish()

        for (target, answer) in answers {
            #expect([400, 404].contains(answer.status), "\(target) answered \(answer.status)")
            #expect(!answer.body.contains(secret), "\(target) leaked the file")
        }
        #expect(control.status == 200)
    }

    @Test func aTakenPortIsReported() async throws {
        let preview = try await Preview.start()
        var options = PreviewServer.Options(root: preview.site.root, port: preview.port)
        options.log = { _ in }
        let second = try PreviewServer(options: options)
        let error = await #expect(throws: Diagnostic.self) { _ = try await second.start() }
        await second.stop()
        await preview.finish()
        #expect(error?.code == "K221")
        #expect(error?.message.hasPrefix("cannot listen on 127.0.0.1:\(preview.port)") == true)
    }

    @Test func aFolderWithoutContentIsRefused() throws {
        let folder = try TestSupport.temporaryDirectory("kith-empty")
        defer { try? FileManager.default.removeItem(at: folder) }
        let error = #expect(throws: Diagnostic.self) { _ = try PreviewServer(options: PreviewServer.Options(root: folder)) }
        #expect(error?.code == "K220")
    }
}

@Suite struct SafePathTests {
    static let refused = [
        "/..", "/../x", "/a/../b", "/%2e%2e/x", "/%2E%2e", "/.%2e/x", "/a%2fb", "/a%2Fb", "/a\\b", "/a%5cb", "/a%00b",
        "/a%0ab", "//x", "/a//b", "/.git/config", "/%zz", "/%e9", "relative", "/a%", "/a%2",
    ]

    @Test(arguments: refused) func malformedOrEscapingPathsAreRefused(_ path: String) throws {
        let folder = try TestSupport.temporaryDirectory("kith-safe")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(SafePath.resolve(path, in: folder) == .refused)
    }

    @Test func filesFoldersAndLinks() throws {
        let folder = try TestSupport.temporaryDirectory("kith-safe")
        defer { try? FileManager.default.removeItem(at: folder) }
        try TestSupport.write(["index.html": "home", "a b/index.html": "spaced", "caf\u{E9}.txt": "accent", "sub/page.html": "x"],
                              under: folder)
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("out"), withDestinationURL: URL(fileURLWithPath: "/etc"))
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("in.html"),
                                                   withDestinationURL: folder.appendingPathComponent("index.html"))
        #expect(SafePath.resolve("/", in: folder) == .file(folder.appendingPathComponent("index.html")))
        #expect(SafePath.resolve("/a%20b/", in: folder) == .file(folder.appendingPathComponent("a b/index.html")))
        #expect(SafePath.resolve("/caf%C3%A9.txt", in: folder) == .file(folder.appendingPathComponent("caf\u{E9}.txt")))
        #expect(SafePath.resolve("/sub", in: folder) == .redirect("/sub/"))
        #expect(SafePath.resolve("/sub/", in: folder) == .notFound)
        #expect(SafePath.resolve("/sub/page.html/", in: folder) == .notFound)
        #expect(SafePath.resolve("/out/passwd", in: folder) == .notFound)
        #expect(SafePath.resolve("/in.html", in: folder) == .notFound)
        #expect(SafePath.resolve("/nothing.html", in: folder) == .notFound)
    }

    @Test func theScriptGoesBeforeTheLastBodyTag() {
        let tag = PreviewPages.scriptTag(generation: 7)
        #expect(String(decoding: PreviewPages.inject(into: Array("<p></body><!-- </body> --></BODY></html>".utf8), generation: 7), as: UTF8.self)
            == "<p></body><!-- </body> -->\(tag)</BODY></html>")
        #expect(String(decoding: PreviewPages.inject(into: Array("<p>no body".utf8), generation: 7), as: UTF8.self) == "<p>no body\(tag)")
    }

    @Test func contentTypes() {
        #expect(ContentTypes.type(for: URL(fileURLWithPath: "/a/index.html")) == "text/html; charset=utf-8")
        #expect(ContentTypes.type(for: URL(fileURLWithPath: "/a/map.SVG")) == "image/svg+xml")
        #expect(ContentTypes.type(for: URL(fileURLWithPath: "/search.json")) == "application/json")
        #expect(ContentTypes.type(for: URL(fileURLWithPath: "/stories/feed.xml")) == "application/atom+xml")
        #expect(ContentTypes.type(for: URL(fileURLWithPath: "/hsds/phones.csv")) == "text/csv; charset=utf-8")
        #expect(ContentTypes.type(for: URL(fileURLWithPath: "/x.unknown")) == "application/octet-stream")
    }

    @Test func changesAreFoundByComparingStamps() {
        let a = ChangeWatcher.Stamp(seconds: 1, nanoseconds: 0, size: 10, inode: 1)
        let b = ChangeWatcher.Stamp(seconds: 1, nanoseconds: 5, size: 10, inode: 1)
        #expect(ChangeWatcher.changes(from: ["x": a, "y": a], to: ["x": b, "z": a]) == ["x", "y", "z"])
        #expect(ChangeWatcher.changes(from: ["x": a], to: ["x": a]).isEmpty)
    }
}
