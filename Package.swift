// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "versus",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "versus", targets: ["versus"]),
        .library(name: "VersusCore", targets: ["VersusCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // C libraries from Debian's -dev packages, found through pkg-config.
        .systemLibrary(name: "CCmark", pkgConfig: "libcmark",
                       providers: [.apt(["libcmark-dev"]), .brew(["cmark"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        .systemLibrary(name: "CBrotli", pkgConfig: "libbrotlienc",
                       providers: [.apt(["libbrotli-dev"]), .brew(["brotli"])]),
        // The allocator of the `versus` command on Linux: a build makes and frees millions of
        // small strings and arrays from both cores, which glibc's malloc serves a fifth slower
        // and with more memory left behind (README, "Speed").
        .systemLibrary(name: "CJemalloc", pkgConfig: "jemalloc",
                       providers: [.apt(["libjemalloc-dev"])]),
        // The options jemalloc starts with in the `versus` command (`malloc_conf`): the heap in
        // huge pages, a page fault for each 2 MiB it grows rather than each 4 KiB.
        .target(name: "AllocatorOptions"),

        // The pipeline: load, normalise, render, emit. Pure core, I/O behind seams.
        .target(name: "VersusCore", dependencies: [
            "CCmark", "CZlib", "CBrotli",
            .product(name: "Yams", package: "Yams"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // `versus serve`: preview server with live reload.
        .target(name: "VersusServe", dependencies: [
            "VersusCore",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // `versus publish`: S3-compatible upload with SigV4.
        .target(name: "VersusPublish", dependencies: [
            "VersusCore",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        // The thin command line.
        .executableTarget(name: "versus", dependencies: [
            "VersusCore", "VersusServe", "VersusPublish",
            .target(name: "CJemalloc", condition: .when(platforms: [.linux])),
            .target(name: "AllocatorOptions", condition: .when(platforms: [.linux])),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Helpers the test targets share: fixture sites on disk, a raw HTTP client.
        .target(name: "VersusTestSupport", dependencies: ["VersusCore"], path: "Tests/VersusTestSupport"),
        .testTarget(name: "VersusCoreTests", dependencies: ["VersusCore", "VersusTestSupport",
                                                            .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "VersusServeTests", dependencies: ["VersusServe", "VersusCore", "VersusTestSupport"]),
        .testTarget(name: "VersusPublishTests", dependencies: ["VersusPublish", "VersusCore", "VersusTestSupport"]),
    ]
)
