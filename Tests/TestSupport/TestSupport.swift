import Foundation

/// Helpers shared by the test targets.
public enum TestSupport {
    /// The repository root (the folder holding Package.swift).
    public static var repositoryRoot: URL {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }

    /// The HSDS datasets shared beside the repository (`../shared/fixtures/hsds`),
    /// or `KITH_HSDS_FIXTURES` when set.
    public static var hsdsFixtures: URL {
        if let path = ProcessInfo.processInfo.environment["KITH_HSDS_FIXTURES"] { return URL(fileURLWithPath: path) }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures/hsds")
    }

    /// A fresh temporary folder, removed by the caller when done.
    public static func temporaryDirectory(_ label: String = "kith") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes files given as `relative path → text` under `root`, creating folders.
    public static func write(_ files: [String: String], under root: URL) throws {
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
    }

    /// Whether golden files should be re-recorded (`RECORD_GOLDEN=1`).
    public static var recording: Bool {
        ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1"
    }
}
