import Foundation
import Site

// Micro benchmarks: `swift run -c release kith-bench [--root SITE] [--rounds N]`.
var root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
var rounds = 20
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--root": if let value = arguments.popFirst() { root = URL(fileURLWithPath: value) }
    case "--rounds": if let value = arguments.popFirst(), let number = Int(value) { rounds = number }
    default:
        FileHandle.standardError.write(Data("usage: kith-bench [--root SITE] [--rounds N]\n".utf8))
        exit(2)
    }
}
do {
    for result in try MicroBenchmarks.run(root: root.standardizedFileURL, rounds: rounds) { print(result.line) }
} catch {
    FileHandle.standardError.write(Data("kith-bench: \(error)\n".utf8))
    exit(1)
}
