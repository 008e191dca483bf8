import Foundation
import Testing
@testable import Content
import Diagnostics
import TestSupport

/// Reading files: sizes that change between `stat` and `read`, the size
/// limit, and text that is not UTF-8 at the very end.
@Suite struct FileReadingTests {
    /// Writes `bytes` to a fresh file and passes its path.
    private func withFile(_ bytes: [UInt8], _ body: (String) throws -> Void) throws {
        let folder = try TestSupport.temporaryDirectory("kith-read")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("file.md")
        try Data(bytes).write(to: url)
        try body(url.path)
    }

    private static let text = Array("---\ntitle: Garden\n---\nThe garden is open on Sundays.\n".utf8)

    @Test(arguments: [nil, 0, 1, 10, text.count - 1, text.count, text.count + 1, text.count * 3])
    func theWholeFileIsReadWhateverSizeWasSeen(_ size: Int?) throws {
        // A size smaller than the file's is a file that grew after the `stat`;
        // a larger one, a file that shrank.
        try withFile(Self.text) { path in
            let read = try SiteFolder.contents(ofFile: path, limit: 1000, size: size).get()
            #expect(read == Self.text)
        }
    }

    @Test(arguments: [nil, 0, 5, 60])
    func aFileIsReadUpToTheLimit(_ size: Int?) throws {
        try withFile(Self.text) { path in
            let read = try SiteFolder.contents(ofFile: path, limit: 20, size: size).get()
            #expect(read == Array(Self.text.prefix(20)))
        }
    }

    @Test func anEmptyFileIsEmpty() throws {
        try withFile([]) { path in
            let known = try SiteFolder.contents(ofFile: path, limit: 10, size: 0).get()
            let shrunk = try SiteFolder.contents(ofFile: path, limit: 10, size: 4).get()
            #expect(known == [] && shrunk == [])
        }
    }

    #if os(Linux)
    @Test func aFileLargerThanItsStatSaysIsReadWhole() throws {
        // Files of /proc say they are empty and are not.
        let read = try SiteFolder.contents(ofFile: "/proc/self/cmdline", limit: 1 << 20).get()
        #expect(!read.isEmpty)
        #expect(read.last == 0)
    }
    #endif

    @Test func aMissingFileIsAnError() {
        guard case .failure(let error) = SiteFolder.contents(ofFile: "/nonexistent/kith/file.md", limit: 10) else {
            Issue.record("read a file that does not exist")
            return
        }
        #expect(error.code == ENOENT)
    }

    @Test func aFileExactlyAtTheSizeLimitIsRead() throws {
        let loaded = try Fixture.load([:]) { root in
            try FileManager.default.createDirectory(at: root.appendingPathComponent("content/assets"),
                                                    withIntermediateDirectories: true)
            var bytes = Array(FileTests.valid.utf8)
            bytes += Array(repeating: UInt8(ascii: "a"), count: SiteFolder.sizeLimit - bytes.count - 1)
            bytes.append(UInt8(ascii: "\n"))
            #expect(bytes.count == SiteFolder.sizeLimit)
            try Data(bytes).write(to: root.appendingPathComponent("content/assets/big.md"))
        }
        #expect(loaded.diagnostics.isEmpty, "\(loaded.firstLines)")
        #expect(loaded.content?.assets.map(\.slug) == ["big"])
    }

    @Test func aFileOneByteOverTheSizeLimitIsRefused() throws {
        let loaded = try Fixture.load([:]) { root in
            try FileManager.default.createDirectory(at: root.appendingPathComponent("content/assets"),
                                                    withIntermediateDirectories: true)
            var bytes = Array(FileTests.valid.utf8)
            bytes += Array(repeating: UInt8(ascii: "a"), count: SiteFolder.sizeLimit + 1 - bytes.count)
            try Data(bytes).write(to: root.appendingPathComponent("content/assets/big.md"))
        }
        #expect(loaded.firstLines == ["content/assets/big.md: error: `content/assets/big.md` is larger than 10 MB [K002]"])
    }

    @Test(arguments: [[0xFF], [0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x98]] as [[UInt8]])
    func invalidUTF8AtTheVeryEndIsReported(_ tail: [UInt8]) throws {
        let loaded = try Fixture.load([:]) { root in
            try FileManager.default.createDirectory(at: root.appendingPathComponent("content/assets"),
                                                    withIntermediateDirectories: true)
            let bytes = Array(FileTests.valid.utf8) + Array("Body".utf8) + tail
            try Data(bytes).write(to: root.appendingPathComponent("content/assets/cut.md"))
        }
        #expect(loaded.content == nil)
        let lines = FileTests.valid.split(separator: "\n", omittingEmptySubsequences: false).count
        #expect(loaded.firstLines == ["content/assets/cut.md:\(lines):5: error: `content/assets/cut.md` is not UTF-8 text [K003]"])
    }
}

@Suite struct BoundaryTests {
    @Test(arguments: [
        ("/site", "/site", true),
        ("/site/content/a.md", "/site", true),
        ("/site2/a.md", "/site", false),
        ("/sit", "/site", false),
        ("/", "/site", false),
        ("/site/", "/site", true),
        ("/other/site/a.md", "/site", false),
        ("/café/a.md", "/café", true),
        ("/café", "/café", true),
        ("/cafés/a.md", "/café", false),
        ("/cafe\u{301}/a.md", "/café", true),  // as String comparison has it
        ("", "/site", false),
        ("/site", "", true),
        ("site", "", false),
    ] as [(String, String, Bool)])
    func aPathIsInsideAFolderAsStringsCompare(_ path: String, _ folder: String, _ inside: Bool) {
        #expect(SiteFolder.isSameOrInside(path, folder) == inside)
        #expect(SiteFolder.isSameOrInside(path, folder) == (path == folder || path.hasPrefix(folder + "/")))
    }
}
