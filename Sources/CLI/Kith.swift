import ArgumentParser
import Diagnostics
import Foundation
import Site

/// The `kith` command.
public struct Kith: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "kith",
        abstract: "Build a community asset directory from Markdown profiles.",
        subcommands: [Build.self, Check.self, New.self, Import.self, Serve.self],
        defaultSubcommand: Build.self)

    public init() {}
}

/// Options shared by every command that works on a site.
public struct SiteOptions: ParsableArguments {
    @Option(name: .long, help: "The site folder, holding content/ and templates/.")
    public var root: String = "."

    public init() {}

    var rootURL: URL {
        URL(fileURLWithPath: root, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL
    }
}

extension Kith {
    /// `kith build`: content/ and templates/ into public/.
    public struct Build: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Build the site into public/ (or --out), replacing it only when the build succeeds.")

        @OptionGroup public var site: SiteOptions

        @Option(name: .long, help: "Output folder (default: ROOT/public).")
        public var out: String?

        @Flag(name: .long, help: "Include profiles and stories marked draft: true.")
        public var drafts = false

        @Flag(name: .long, help: "Print how long each stage of the build took, how many cores it kept busy and the peak memory.")
        public var timings = false

        @Flag(name: .long, help: "Build even when nothing changed since the last build.")
        public var force = false

        public init() {}

        public func run() throws {
            let root = site.rootURL
            let output = out.map {
                URL(fileURLWithPath: $0, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
                    .standardizedFileURL
            }
            let progress = ProgressLine()
            let options = BuildOptions(
                root: root, output: output, includeDrafts: drafts, skipWhenUnchanged: !force, recordsState: true,
                keepsMemoryUntilExit: true, progress: progress.watcher)
            do {
                let report = try SiteBuilder(options: options).build()
                progress.clear()
                Terminal.printWarnings(report.warnings)
                if report.earlierWarnings > 0 {
                    let count = report.earlierWarnings
                    FileHandle.standardError.write(Data(
                        "note: the last build had \(count) warning\(count == 1 ? "" : "s"); `kith check` lists \(count == 1 ? "it" : "them"), `kith build --force` builds again\n".utf8))
                }
                print(report.summary)
                if timings { FileHandle.standardError.write(Data(report.stageTable.utf8)) }
            } catch let list as DiagnosticList {
                progress.clear()
                Terminal.printDiagnostics(list.diagnostics)
                throw ExitCode.failure
            } catch let diagnostic as Diagnostic {
                progress.clear()
                Terminal.printDiagnostics([diagnostic])
                throw ExitCode.failure
            } catch {
                progress.clear()
                throw error
            }
        }
    }
}

/// Writing diagnostics to standard error.
enum Terminal {
    static func printDiagnostics(_ diagnostics: [Diagnostic]) {
        let text = DiagnosticRenderer().render(all: diagnostics)
        FileHandle.standardError.write(Data(text.utf8))
        FileHandle.standardError.write(Data("build failed: nothing was written; the previous output is unchanged\n".utf8))
    }

    /// How many warnings of one kind a build prints before it sums up the rest.
    static let warningsShownPerCode = 10

    /// Prints the warnings of a build that succeeded. When one kind of warning
    /// comes up many times (an undeclared area on every profile), the first
    /// few are printed and the rest counted, so the summary line is not lost
    /// under thousands of lines; `kith check` lists them all.
    static func printWarnings(_ diagnostics: [Diagnostic]) {
        guard !diagnostics.isEmpty else { return }
        var shownPerCode: [String: Int] = [:]
        var shown: [Diagnostic] = []
        var hidden: [String: Int] = [:]
        for diagnostic in diagnostics {
            let count = shownPerCode[diagnostic.code, default: 0]
            if count < warningsShownPerCode {
                shown.append(diagnostic)
                shownPerCode[diagnostic.code] = count + 1
            } else {
                hidden[diagnostic.code, default: 0] += 1
            }
        }
        let renderer = DiagnosticRenderer()
        var text = DiagnosticBag.sort(shown).map(renderer.render).joined(separator: "\n") + "\n"
        for (code, count) in hidden.sorted(by: { $0.key < $1.key }) {
            text += "note: \(count) more warning\(count == 1 ? "" : "s") like [\(code)] not shown; `kith check` lists every one\n"
        }
        text += DiagnosticRenderer.counts(diagnostics) + "\n"
        FileHandle.standardError.write(Data(text.utf8))
    }
}
