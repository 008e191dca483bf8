import Foundation
import Site
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One line on a terminal's standard error that shows how far a build is,
/// rewritten in place and cleared when the build ends. It stays silent
/// when standard error is not a terminal (a log file, CI), and for builds
/// quicker than `delay`, so short builds print nothing but their summary.
final class ProgressLine: @unchecked Sendable {
    private let enabled: Bool
    private let delay: Duration
    private let clock = ContinuousClock()
    private var started: ContinuousClock.Instant
    private let lock = NSLock()
    private var stage: BuildStage?
    private var lastWrite: ContinuousClock.Instant?
    private var shown = false

    init(delay: Duration = .milliseconds(400)) {
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        enabled = isatty(STDERR_FILENO) == 1 && term != "dumb"
        self.delay = delay
        started = clock.now
    }

    /// The watcher to hand to `BuildOptions.progress`, or nil when nothing is shown.
    var watcher: (@Sendable (BuildEvent) -> Void)? {
        guard enabled else { return nil }
        return { [self] event in self.handle(event) }
    }

    private func handle(_ event: BuildEvent) {
        lock.lock()
        defer { lock.unlock() }
        let now = clock.now
        // A new build (the preview builds again and again) starts the wait anew.
        if case .started(.content) = event { started = now }
        guard now - started >= delay else {
            if case .started(let next) = event { stage = next }
            return
        }
        switch event {
        case .started(let next):
            stage = next
            write("\(next.label)…")
        case .rendered(let done, let total):
            // A few updates a second are plenty.
            if let lastWrite, now - lastWrite < .milliseconds(100), done != total { return }
            let percent = total == 0 ? 100 : done * 100 / total
            write("\(BuildStage.pages.label): \(done) of \(total) (\(percent)%)")
        }
    }

    private func write(_ text: String) {
        lastWrite = clock.now
        shown = true
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
    }

    /// Removes the line, so the summary or the errors start on a clean line.
    func clear() {
        lock.lock()
        defer { lock.unlock() }
        guard shown else { return }
        shown = false
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

extension BuildReport {
    /// How long each stage took, one line each, for `--timings`.
    var stageTable: String {
        var lines: [String] = []
        let width = BuildStage.allCases.map(\.label.count).max() ?? 0
        for time in stages {
            let label = time.stage.label.padding(toLength: width, withPad: " ", startingAt: 0)
            let megabytes = Double(time.peakMemory) / 1_048_576
            let cores = time.milliseconds > 0 ? time.cpuMilliseconds / time.milliseconds : 0
            lines.append(
                "  \(label)  \(String(format: "%8.1f", time.milliseconds)) ms  cores \(String(format: "%4.1f", cores))"
                    + "  peak \(String(format: "%6.0f", megabytes)) MB")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
