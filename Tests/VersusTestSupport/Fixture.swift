import Foundation
import VersusCore

/// The repository folder (for the real templates and content).
public let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
    }
    fatalError("Package.swift not found above \(#filePath)")
}()

public let buildDay = Day(year: 2026, month: 11, day: 21)

/// A short comparison source text (bare pair line, title, a focus and a technical section),
/// shared by the test targets.
public let nomadSource = """
Kubernetes vs Nomad
Kubernetes vs Nomad for Platform Teams
Nomad Focus
Nomad schedules containers and plain binaries with a single small binary and very little ceremony.
The Technical Breakdown
Kubernetes reconciles declared state through controllers, while Nomad evaluates jobs against a plan queue.
"""

/// The folders of fixture sites still alive, removed when the test process exits (a site a
/// test left referenced, by a server task or a failed expectation, is never deinitialised), and
/// those whose removal failed (a build or server thread of the test still writing in it).
final class FixtureFolders: @unchecked Sendable {
    static let shared: FixtureFolders = {
        let folders = FixtureFolders()
        atexit { FixtureFolders.shared.removeAll() }
        return folders
    }()
    private let lock = NSLock()
    private var roots: Set<String> = []

    func add(_ root: String) { lock.withLock { _ = roots.insert(root) } }
    func remove(_ root: String) { lock.withLock { _ = roots.remove(root) } }
    func removeAll() {
        for root in lock.withLock({ roots }) { FixtureFolders.removeTree(root) }
    }

    /// Removes a fixture's folder; a thread still writing in it can make one pass fail ("not
    /// empty"), so it is tried again a few times. Whether the folder is gone.
    @discardableResult
    static func removeTree(_ root: String) -> Bool {
        let fm = FileManager.default
        for attempt in 0..<4 {
            if attempt > 0 { usleep(50_000) }
            try? fm.removeItem(atPath: root)
            if !fm.fileExists(atPath: root) { return true }
        }
        return false
    }
}

/// A small site on disk, written from files declared in the test (Hugo's integration
/// test style), with the repository's real templates unless the test gives its own.
public final class FixtureSite {
    public let root: String
    public var project: Project { Project(root: root) }

    public init(_ files: [String: String], config: String? = nil, templates: [String: String] = [:]) throws {
        root = NSTemporaryDirectory() + "versus-fixture-" + UUID().uuidString
        FixtureFolders.shared.add(root)
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/content", withIntermediateDirectories: true)
        try fm.copyItem(atPath: repositoryRoot + "/templates", toPath: root + "/templates")
        for (path, text) in templates { try write("templates/" + path, text) }
        try write("versus.yml", config ?? "title: \"Fixture Site\"\nbase_url: \"https://fixture.example.com\"\ndescription: \"A fixture site for tests: small comparisons of tools, built end to end and checked by parsing the output.\"\n")
        for (path, text) in files { try write("content/" + path, text) }
    }

    deinit {
        // (One that cannot be removed yet stays listed, for the removal at exit.)
        if FixtureFolders.removeTree(root) { FixtureFolders.shared.remove(root) }
    }

    public func write(_ path: String, _ text: String) throws {
        try write(path, Array(text.utf8))
    }

    public func write(_ path: String, _ bytes: [UInt8]) throws {
        let full = root + "/" + path
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: full))
    }

    public func remove(_ path: String) throws { try FileManager.default.removeItem(atPath: root + "/" + path) }

    @discardableResult
    public func build(today: Day = buildDay, compress: Bool = false, io: FileIO = .disk,
                      configure: (inout BuildOptions) -> Void = { _ in }) async throws -> BuildReport {
        var options = BuildOptions(today: today, jobs: 2)
        options.compress = compress
        configure(&options)
        return try await ProjectBuilder(project: project, io: io, storePath: project.storeFile).build(options)
    }

    /// The diagnostics of a build that must fail.
    public func failingBuild(today: Day = buildDay, io: FileIO = .disk) async -> [Diagnostic] {
        do {
            try await build(today: today, io: io)
            return []
        } catch let failed as BuildFailed {
            return failed.diagnostics
        } catch {
            return [.error("?", "\(error)")]
        }
    }

    public func output(_ path: String) -> String? {
        try? String(contentsOfFile: root + "/output/" + path, encoding: .utf8)
    }

    public func html(_ path: String) throws -> HTMLDocument {
        guard let text = output(path) else { throw HTMLDocument.ParseError(description: "no output file \(path)") }
        return try HTMLDocument(text)
    }

    /// Every output file with its bytes.
    public func outputFiles() throws -> [String: Data] {
        var out: [String: Data] = [:]
        let base = root + "/output/"
        for path in try FileIO.disk.list(root + "/output") {
            out[path] = try Data(contentsOf: URL(fileURLWithPath: base + path))
        }
        return out
    }
}

/// Normalises one source text held in the test.
public func normalise(_ text: String, path: String = "test.txt") -> (Page?, [Diagnostic]) {
    Normaliser.normalise(Source(path: path, file: "content/" + path, bytes: Array(text.utf8)))
}

public func normaliseBytes(_ bytes: [UInt8], path: String = "test.txt") -> (Page?, [Diagnostic]) {
    Normaliser.normalise(Source(path: path, file: "content/" + path, bytes: bytes))
}
