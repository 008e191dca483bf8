import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The stages of a build, in the order they run.
public enum BuildStage: Int, Sendable, CaseIterable {
    /// Content files read, front matter checked.
    case content
    /// Templates parsed.
    case templates
    /// Markdown bodies rendered and their links resolved.
    case bodies
    /// The connection map and the other sections prepared.
    case sections
    /// Every page's variables decided.
    case plan
    /// Pages rendered and written to the staging folder.
    case pages
    /// Data files, static files and media written; the output swapped in.
    case publish

    /// How the stage is named on a terminal.
    public var label: String {
        switch self {
        case .content: "reading content"
        case .templates: "reading templates"
        case .bodies: "rendering Markdown"
        case .sections: "mapping connections"
        case .plan: "planning pages"
        case .pages: "rendering pages"
        case .publish: "writing files"
        }
    }
}

/// What a build tells its watcher while it runs.
public enum BuildEvent: Sendable {
    /// A stage began.
    case started(BuildStage)
    /// `done` of `total` pages are rendered (sent every few dozen pages).
    case rendered(done: Int, total: Int)
}

/// How long one stage took.
public struct StageTime: Sendable, Equatable {
    public var stage: BuildStage
    public var milliseconds: Double
    /// The process's peak memory (resident set) in bytes when the stage ended.
    public var peakMemory: Int
    /// The processor time (user and system, all threads) the process spent
    /// during the stage; divided by `milliseconds`, how many cores were busy.
    public var cpuMilliseconds: Double = 0
}

/// Times the stages of one build and passes events on to a watcher.
final class StageClock: @unchecked Sendable {
    private let clock = ContinuousClock()
    private let watcher: (@Sendable (BuildEvent) -> Void)?
    private let lock = NSLock()
    private var current: (stage: BuildStage, started: ContinuousClock.Instant, cpu: Double)?
    private(set) var times: [StageTime] = []
    private var renderedCount = 0

    init(watcher: (@Sendable (BuildEvent) -> Void)?) { self.watcher = watcher }

    /// Ends the running stage (if any) and starts `stage`.
    func start(_ stage: BuildStage) {
        finish()
        current = (stage, clock.now, Self.processorMilliseconds())
        watcher?(.started(stage))
    }

    /// Ends the running stage.
    func finish() {
        guard let running = current else { return }
        let elapsed = clock.now - running.started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        times.append(StageTime(
            stage: running.stage, milliseconds: milliseconds, peakMemory: Self.peakMemory(),
            cpuMilliseconds: Self.processorMilliseconds() - running.cpu))
        current = nil
    }

    /// The peak resident set size of this process so far, in bytes.
    static func peakMemory() -> Int {
        guard let usage = usage() else { return 0 }
        #if canImport(Darwin)
        return Int(usage.ru_maxrss)
        #else
        return Int(usage.ru_maxrss) * 1024
        #endif
    }

    /// The user and system time of every thread of this process so far, in milliseconds.
    static func processorMilliseconds() -> Double {
        guard let usage = usage() else { return 0 }
        func milliseconds(_ time: timeval) -> Double { Double(time.tv_sec) * 1000 + Double(time.tv_usec) / 1000 }
        return milliseconds(usage.ru_utime) + milliseconds(usage.ru_stime)
    }

    private static func usage() -> rusage? {
        #if canImport(Glibc)
        let selfOnly = RUSAGE_SELF.rawValue
        #else
        let selfOnly = RUSAGE_SELF
        #endif
        var usage = rusage()
        return getrusage(selfOnly, &usage) == 0 ? usage : nil
    }

    /// Counts one rendered page; called from any thread.
    func pageRendered(total: Int) {
        guard let watcher else { return }
        lock.lock()
        renderedCount += 1
        let done = renderedCount
        lock.unlock()
        if done % 64 == 0 || done == total { watcher(.rendered(done: done, total: total)) }
    }
}
