import ArgumentParser
import Diagnostics
import Foundation

extension Kith {
    /// `kith import hsds DIR` and `kith import csv FILE`.
    public struct Import: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Write asset profiles from Open Referral data or a spreadsheet.",
            discussion: """
                Profiles go to content/assets/. Importing the same data again writes the same files; a profile \
                edited by hand since it was imported is kept unless --force is given. See docs/import.md.
                """,
            subcommands: [HSDS.self, CSV.self])

        public init() {}
    }
}

extension Kith.Import {
    /// Options of both import commands.
    public struct Options: ParsableArguments {
        @OptionGroup public var site: SiteOptions

        @Flag(name: .long, help: "Overwrite profiles edited or deleted by hand since the last import.")
        public var force = false

        public init() {}
    }

    /// `kith import hsds DIR`
    public struct HSDS: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "hsds",
            abstract: "Import an Open Referral (HSDS 1.x or 2.x, or Ohana) folder of CSV files: one profile per organisation.")

        @Argument(help: "The folder holding organizations.csv (and services.csv, locations.csv, …).")
        public var folder: String

        @OptionGroup public var options: Options

        public init() {}

        public func run() throws {
            let url = Importing.resolve(folder)
            try Importing.run(root: options.site.rootURL, force: options.force) {
                try HSDSImporter.read(folder: url, displayFolder: folder)
            }
        }
    }

    /// `kith import csv FILE`
    public struct CSV: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "csv",
            abstract: "Import a spreadsheet saved as CSV: one row per asset, columns named after profile fields.")

        @Argument(help: "The CSV file; its first row names the fields (title, type, summary, tags, …).")
        public var file: String

        @OptionGroup public var options: Options

        public init() {}

        public func run() throws {
            let url = Importing.resolve(file)
            try Importing.run(root: options.site.rootURL, force: options.force) {
                try SpreadsheetImporter.read(file: url, displayPath: file)
            }
        }
    }
}

/// The part both import commands share: read, write, print.
enum Importing {
    static func resolve(_ path: String) -> URL {
        URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL
    }

    /// Reads a batch, writes it and prints the problems and the closing counts.
    /// - Throws: `ExitCode.failure` when nothing could be imported or an imported profile does not load.
    static func run(root: URL, force: Bool, read: () throws -> ImportBatch) throws {
        let report: ImportReport
        do {
            report = try perform(root: root, force: force, read: read)
        } catch let list as DiagnosticList {
            printProblems(list.diagnostics)
            FileHandle.standardError.write(Data("import stopped: nothing was written\n".utf8))
            throw ExitCode.failure
        } catch let diagnostic as Diagnostic {
            printProblems([diagnostic])
            FileHandle.standardError.write(Data("import stopped: nothing was written\n".utf8))
            throw ExitCode.failure
        }
        printProblems(report.diagnostics)
        print(report.summary)
        if report.diagnostics.contains(where: { $0.severity == .error }) { throw ExitCode.failure }
    }

    /// Reads and writes without printing (what the tests call).
    static func perform(root: URL, force: Bool, read: () throws -> ImportBatch) throws -> ImportReport {
        let clock = ContinuousClock()
        let started = clock.now
        let batch = try read()
        if batch.diagnostics.contains(where: { $0.severity == .error }) {
            throw DiagnosticList(DiagnosticBag.sort(batch.diagnostics))
        }
        var report = try ImportWriter(root: root, force: force).write(batch)
        let elapsed = clock.now - started
        report.milliseconds = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        return report
    }

    private static func printProblems(_ diagnostics: [Diagnostic]) {
        guard !diagnostics.isEmpty else { return }
        FileHandle.standardError.write(Data(DiagnosticRenderer().render(all: diagnostics).utf8))
    }
}
