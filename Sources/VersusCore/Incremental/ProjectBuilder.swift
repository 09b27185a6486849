import Foundation

/// A project's build as users run it: load the inputs, lend the pure build what earlier
/// builds made (the memo, from the build store), write into the spare output tree,
/// swap it in, and record what was made for the next build.
///
/// One builder can build many times (`versus serve` keeps one): what the store holds
/// is read once and then kept in memory, so a rebuild costs what its change touches.
public final class ProjectBuilder: @unchecked Sendable {
    public let project: Project
    let io: FileIO
    /// Where the build store lives (nil: in memory).
    let storePath: String?
    /// What the last build left, in memory (nil until the store is first read).
    private var state: State?
    private let lock = NSLock()

    struct State {
        var identity: String
        var stamps: [String: BuildStore.SourceStamp]
        var normalised: [String: Normalised]
        var outputs: [String: BuildStore.OutputRecord]
        var tree: OutputTree.Record?
        /// The last assemble (kept in memory only: a rebuild in the same process works the site out by delta).
        var assembled: SiteAssembler.Assembled? = nil
        /// The last build's output keys (in memory only), reused for outputs the delta left as they were.
        var keys: Memo.Keys? = nil
    }

    /// - Parameter storePath: the build store's file; by default `project.storeFile` on disk,
    ///   and in memory when `io` is not the disk.
    public init(project: Project, io: FileIO = .disk, storePath: String?? = nil) {
        self.project = project
        self.io = io
        self.storePath = storePath ?? (io.isDisk ? project.storeFile : nil)
    }

    /// The output records whose files are still in the live tree with the size they had.
    func verified(_ outputs: [String: BuildStore.OutputRecord]) -> [String: BuildStore.OutputRecord] {
        let output = project.output, io = self.io
        let intact = Parallel.mapSync(Array(outputs.values)) { record -> BuildStore.OutputRecord? in
            let e = record.entry
            guard io.info(output + e.path)?.size == e.size else { return nil }
            for v in e.variants where io.info(output + e.path + v.encoding.suffix)?.size != v.size { return nil }
            return record
        }
        return Dictionary(intact.compactMap { $0.map { ($0.entry.path, $0) } }, uniquingKeysWith: { a, _ in a })
    }

    /// Builds the project into its output folder. On failure the output is left as it was.
    public func build(_ options: BuildOptions) async throws -> BuildReport {
        var clock = StepClock()
        let inputs = try clock.step("load") { try Loader.load(project, options: options, io: io) }
        let identity = options.identity ?? BuildIdentity.current
        let store = try clock.step("load store") { () throws -> BuildStore in
            let store = try BuildStore(path: storePath, identity: identity)
            if options.clean { try store.clear() }
            return store
        }
        var fromStore = false
        var state = try clock.step("load store") { () throws -> State in
            if !options.clean, let state = lock.withLock({ self.state }), state.identity == identity { return state }
            fromStore = true
            return State(identity: identity, stamps: try store.sources(), normalised: try store.normalised(),
                         outputs: try store.outputs(), tree: try store.tree())
        }

        let incremental = !state.outputs.isEmpty
        if fromStore {
            // Read from disk: check the output is still as the last build left it (a file deleted
            // or changed by hand is made again). A process that built it keeps knowing.
            state.outputs = clock.step("verify") { verified(state.outputs) }
        }
        var liveFiles: [String: String] = [:]
        for record in state.outputs.values {
            liveFiles[record.entry.path] = record.entry.sha256
            for v in record.entry.variants { liveFiles[record.entry.path + v.encoding.suffix] = v.sha256 }
        }
        let tree = try Build.writing(nil) {
            try OutputTree(io: io, output: project.output, record: state.tree, liveFiles: state.outputs.isEmpty ? nil : liveFiles)
        }
        let memo = Memo(identity: identity, io: io, store: store, stamps: state.stamps, known: state.normalised, outputs: state.outputs,
                        assembled: options.clean ? nil : state.assembled, lastKeys: options.clean ? nil : state.keys)
        let output = OutputWriter(tree: tree, config: inputs.config, compress: options.compress ?? inputs.config.precompress, previous: state.outputs)

        let result: Build.Result
        do {
            result = try await Build.run(inputs, options: options, memo: memo, output: output)
        } catch {
            lock.withLock { self.state = nil }
            throw error
        }
        var timings = clock.timings + result.timings
        var inner = StepClock()
        let (record, writtenFiles, removedFiles) = try inner.step("commit") { try Build.writing(nil) { try output.commit() } }
        // The report names site files, not their precompressed copies.
        let written = writtenFiles.filter { output.files[$0] != nil }
        let removed = removedFiles.filter { state.outputs[$0] != nil }
        let changes = memo.changes(sources: inputs.sources, outputs: output.files, tree: record)
        try inner.step("save store") {
            try store.save(changes)
            if options.updateLedger {
                let text = result.site.ledger.serialized()
                if text != ((try? io.readString(project.ledger)) ?? "") { try io.write(project.ledger, Array(text.utf8)) }
            }
        }
        timings += inner.timings

        // What stays in memory for the next build in this process.
        for (path, stamp) in changes.sources { state.stamps[path] = stamp }
        for key in changes.dropNormalised { state.normalised[key] = nil }
        for (key, value) in changes.normalised { state.normalised[key] = value }
        state.outputs = output.files
        state.tree = record
        state.assembled = memo.newAssembled
        state.keys = memo.keys(fingerprint: inputs.fingerprint)
        lock.withLock { self.state = state }

        return BuildReport(diagnostics: result.diagnostics, pages: result.site.pages.count, files: output.fileCount,
                           incremental: incremental, normalised: result.normalised,
                           rendered: result.rendered, written: written, removed: removed, timings: timings,
                           redirects: result.site.redirects, headerRules: Headers.rules(result.site.config),
                           assembledByDelta: memo.assembledByDelta)
    }
}
