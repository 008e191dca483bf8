import ArgumentParser
import Diagnostics
import Dispatch
import Foundation

extension Kith {
    /// `kith serve`: builds the site, serves it on 127.0.0.1 and rebuilds on change.
    public struct Serve: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Preview the site on http://127.0.0.1:8000, rebuilding and reloading pages when files change.",
            discussion: """
                The preview is built into a temporary folder, never into public/. Pages reload by themselves \
                after each rebuild; when a build fails, every page shows the problem until it is fixed.
                """)

        @OptionGroup public var site: SiteOptions

        @Option(name: .long, help: "The port to listen on (0 picks a free one).")
        public var port: UInt16 = 8000

        @Flag(name: .long, help: "Include profiles and stories marked draft: true.")
        public var drafts = false

        public init() {}

        public func run() throws {
            let progress = ProgressLine()
            var options = PreviewServer.Options(root: site.rootURL, port: port, includeDrafts: drafts) { line in
                progress.clear()
                // Unbuffered, so the lines show at once even when the output is piped.
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            }
            options.progress = progress.watcher
            let server: PreviewServer
            do {
                server = try PreviewServer(options: options)
            } catch let diagnostic as Diagnostic {
                FileHandle.standardError.write(Data(DiagnosticRenderer().render(diagnostic).utf8))
                throw ExitCode.failure
            }
            Task {
                do {
                    let port = try await server.start()
                    options.log("Serving the preview at http://127.0.0.1:\(port)/ (press Ctrl-C to stop)")
                } catch {
                    let text = (error as? Diagnostic).map { DiagnosticRenderer().render($0) } ?? "\(error)\n"
                    FileHandle.standardError.write(Data(text.utf8))
                    await server.stop()
                    Foundation.exit(1)
                }
            }
            // Ctrl-C and termination stop the server and remove the preview folder.
            var sources: [DispatchSourceSignal] = []
            for number in [SIGINT, SIGTERM] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .main)
                source.setEventHandler {
                    Task {
                        await server.stop()
                        Foundation.exit(0)
                    }
                }
                source.resume()
                sources.append(source)
            }
            withExtendedLifetime(sources) { dispatchMain() }
        }
    }
}
