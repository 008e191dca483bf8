import ArgumentParser
import Content
import Diagnostics
import Foundation
import Site

extension Kith {
    /// `kith check`: every problem in every file, without writing anything.
    public struct Check: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Check every file for problems without building or writing anything.",
            discussion: """
                Reports every problem of every file at once: front matter, links and images in the text, \
                templates, and the upkeep of the directory (out-of-date profiles, duplicate titles, \
                assets with no connections). Exits with 1 when there are errors, 0 otherwise. \
                Every code is explained in docs/errors.md.
                """)

        /// How the report is printed.
        public enum Format: String, ExpressibleByArgument, CaseIterable, Sendable {
            case text
            case json
        }

        @OptionGroup public var site: SiteOptions

        @Option(name: .long, help: "How to print the report: text (for people) or json (for tools).")
        public var format: Format = .text

        @Flag(name: .long, help: "Count warnings as errors.")
        public var strict = false

        @Flag(name: .long, help: "Check as if profiles and stories marked draft: true were published.")
        public var drafts = false

        @Option(name: .long, help: ArgumentHelp("The date to compare `updated` dates with (YYYY-MM-DD).", visibility: .hidden))
        public var today: String?

        public init() {}

        public func validate() throws {
            if let today, CalendarDay(today) == nil {
                throw ValidationError("--today must be a date written YYYY-MM-DD, such as 2026-05-01")
            }
        }

        /// Runs the check.
        /// - Returns: the report, already printed to `write` as text or JSON.
        public func report(write: (String) -> Void) -> CheckReport {
            let day = today.flatMap(CalendarDay.init) ?? CalendarDay.today()
            let builder = SiteBuilder(options: BuildOptions(root: site.rootURL, includeDrafts: drafts))
            let report = builder.check(today: day, strict: strict)
            switch format {
            case .text: write(report.text())
            case .json: write(report.json())
            }
            return report
        }

        public func run() throws {
            let report = report { FileHandle.standardOutput.write(Data($0.utf8)) }
            if !report.passed { throw ExitCode.failure }
        }
    }
}
