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

        public init() {}

        public func run() throws {
            let root = site.rootURL
            let output = out.map {
                URL(fileURLWithPath: $0, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
                    .standardizedFileURL
            }
            let options = BuildOptions(root: root, output: output, includeDrafts: drafts)
            do {
                let report = try SiteBuilder(options: options).build()
                Terminal.printWarnings(report.warnings)
                print(report.summary)
            } catch let list as DiagnosticList {
                Terminal.printDiagnostics(list.diagnostics)
                throw ExitCode.failure
            } catch let diagnostic as Diagnostic {
                Terminal.printDiagnostics([diagnostic])
                throw ExitCode.failure
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

    static func printWarnings(_ diagnostics: [Diagnostic]) {
        guard !diagnostics.isEmpty else { return }
        FileHandle.standardError.write(Data(DiagnosticRenderer().render(all: diagnostics).utf8))
    }
}
