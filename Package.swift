// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Kith",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "kith", targets: ["kith"]),
        .executable(name: "kith-bench", targets: ["kith-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        // `kith serve`: a small async HTTP server with no dependencies of its own.
        .package(url: "https://github.com/swhitty/FlyingFox.git", from: "0.27.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CCmark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"])]
        ),
        .target(name: "Diagnostics"),
        .target(name: "Templates", dependencies: ["Diagnostics"]),
        .target(name: "Markdown", dependencies: ["CCmark"]),
        .target(name: "Content", dependencies: ["Diagnostics", "Markdown", .product(name: "Yams", package: "Yams")]),
        .target(name: "Site", dependencies: ["Diagnostics", "Templates", "Markdown", "Content"]),
        .target(name: "CLI", dependencies: [
            "Site", "Content", "Diagnostics", "Markdown", "Templates",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "FlyingFox", package: "FlyingFox"),
        ]),
        .executableTarget(name: "kith", dependencies: ["CLI"]),
        // Micro benchmarks of content loading, Markdown and templates (scripts/bench/bench.py --micro).
        .executableTarget(name: "kith-bench", dependencies: ["Site"]),
        .target(name: "TestSupport", dependencies: ["Diagnostics"], path: "Tests/TestSupport"),
        .testTarget(name: "DiagnosticsTests", dependencies: ["Diagnostics"]),
        .testTarget(name: "TemplatesTests", dependencies: ["Templates", "TestSupport"], exclude: ["Golden"]),
        .testTarget(name: "MarkdownTests", dependencies: ["Markdown"]),
        .testTarget(name: "ContentTests", dependencies: ["Content", "TestSupport"]),
        .testTarget(name: "SiteTests", dependencies: ["Site", "CLI", "TestSupport"], exclude: ["MapGolden"]),
    ],
    swiftLanguageModes: [.v6]
)
