import Foundation

/// A project's build as users run it: load the inputs, lend the pure build what earlier
/// builds made (the memo, from the build store), write into the spare output tree,
/// swap it in, and record what was made for the next build.
///
/// One builder can build many times (`versus serve` keeps one): what the store holds
/// is read once and then kept in memory, so a rebuild costs what its change touches.
public final class ProjectBuilder: @unchecked Sendable {
    /// The project as the caller names it: the paths of diagnostics are spelled from it.
    public let project: Project
    /// The same project with its folders named by their resolved absolute paths, which is what
    /// every build reads, keys and stores: builds of one project named two ways (`versus build`
    /// in it, `versus build --root site` from above it) share one build store and each other's
    /// work, and a diagnostic names its file as the caller spelled the project.
    let working: Project
    let io: FileIO
    /// Where the build store lives (nil: in memory).
    let storePath: String?
    /// What the last build left, in memory (nil until the store is first read).
    private var state: State?
    private let lock = NSLock()
    /// What a build for a process that exits right after leaves unfreed (`BuildOptions.exitsAfter`).
    private var keptUntilExit: [Any] = []

    struct State {
        var identity: String
        /// The store's source stamps and normalised sources (nil: not read; a build handed its
        /// sources back from the last assemble needs neither: `Memo.HandBack`).
        var stamps: [String: BuildStore.SourceStamp]?
        var normalised: [String: Normalised]?
        var outputs: OutputRecords
        var tree: OutputTree.Record?
        /// The last manifest's paths, in order.
        var manifestOrder: [String] = []
        /// The last manifest (in memory only: a rebuild in the same process patches it without
        /// reading the file back).
        var manifest: Manifest.Kept? = nil
        /// The last assemble (kept in memory only: a rebuild in the same process works the site out by delta).
        var assembled: SiteAssembler.Assembled? = nil
        /// The fingerprint the last build's output keys start from (each key is in its output's
        /// record), so outputs a delta left as they were keep their keys.
        var keyFingerprint: String? = nil
        /// The last build's inputs and the `--base-url` they were loaded with (in memory only).
        var inputs: (inputs: Inputs, baseURL: String?)? = nil
        /// The stamp digests of those inputs' sources, in their order (in memory only).
        var sourceStamps: [UInt64]? = nil
        /// What the last build recorded of itself, as it saved it to the store (in memory only:
        /// a rebuild in the same process does not read it back, size lines of every file and all).
        var last: BuildStore.LastBuild? = nil
        /// Where summaries and plans read from the store on first use report bytes that do not
        /// decode (`BuildStore.damage` of the store they were read from).
        var damage: StoreDamage? = nil
        /// Where the summaries of the last assemble read from the store are read from, by key.
        var summaries: ChunkReader<Normalised>? = nil
    }

    /// - Parameter storePath: the build store's file; by default `project.storeFile` on disk,
    ///   and in memory when `io` is not the disk.
    public init(project: Project, io: FileIO = .disk, storePath: String?? = nil) {
        self.project = project
        self.io = io
        working = io.isDisk ? project.resolved() : project
        self.storePath = storePath ?? (io.isDisk ? working.storeFile : nil)
    }

    /// What a look at the live tree's files found (`changedFiles`, `verified`).
    struct OutputCheck {
        /// How many files were looked at.
        var files: Int
        /// Files missing, or not of the size they were written with (changed or removed by hand).
        var changed: Set<String>
        /// Files with one name only: the spare tree, which shares every file of the live one
        /// (hard links) but those the last commit changed, has lost them or a hand put another
        /// file in their place (`OutputTree.Live.alone`).
        var alone: Set<String>
    }

    /// Looks up `paths` in the live tree, expecting `sizes`.
    func check(_ paths: [String], sizes: [Int]) -> OutputCheck {
        var check = OutputCheck(files: paths.count, changed: [], alone: [])
        for (i, found) in io.sizes(working.output, paths).enumerated() {
            if found?.size != sizes[i] { check.changed.insert(paths[i]) } else if found?.links == 1 { check.alone.insert(paths[i]) }
        }
        return check
    }

    /// The output records whose files are not in the live tree with the size they were written
    /// with (changed or removed by hand), those files, and the files the spare tree lacks.
    /// - Parameter found: what `changedFiles` found, when its size lines list every file of the
    ///   records; else each record's files are looked up here.
    func verified(_ outputs: OutputRecords, changed found: OutputCheck?) -> (stale: Set<String>, files: Set<String>, alone: Set<String>) {
        let check: OutputCheck
        // The size lines and the records are saved together: the lines name every record's files
        // (each record has one at least).
        if let found, found.files >= outputs.count {
            check = found
        } else {
            var paths: [String] = [], sizes: [Int] = []
            paths.reserveCapacity(outputs.count)
            sizes.reserveCapacity(outputs.count)
            outputs.forEach { _, record in
                for file in record.entry.files { paths.append(file.path); sizes.append(file.size) }
            }
            check = self.check(paths, sizes: sizes)
        }
        let changed = check.changed
        guard !changed.isEmpty else { return ([], [], check.alone) }
        var stale: Set<String> = []
        outputs.forEach { path, record in if record.entry.files.contains(where: { changed.contains($0.path) }) { stale.insert(path) } }
        return (stale, changed, check.alone)
    }

    /// The files of the last build (its `size<TAB>path` lines) whose size in the live tree is
    /// not the one they were written with, and how many files the lines name (nil: the lines
    /// do not read).
    func changedFiles(_ last: BuildStore.LastBuild) -> OutputCheck? {
        var paths: [String] = [], sizes: [Int] = []
        let parsed = OutputWriter.readSizeLines(last.sizes.bytes) { _, size, path in
            paths.append(String(decoding: path, as: UTF8.self)); sizes.append(size)
        }
        guard parsed else { return nil }
        return check(paths, sizes: sizes)
    }

    /// Digest of everything a build reads: the Versus build identity, the config, templates,
    /// assets and static files (`Inputs.fingerprint`), the ledger, the options that shape the
    /// output (`BuildOptions.Shaping`), every source's stamp (the rule the normalise memo trusts) and the bytes of
    /// the files beside the content.
    /// - Parameter ledger: the ledger's text, when it is not the file's as read (the one a build leaves).
    static func digest(of inputs: Inputs, content: String, ledger: String? = nil, options: BuildOptions, identity: String) -> String {
        var d = Digest()
        d.add(identity)
        d.add(inputs.fingerprint)
        // What loading found to warn about (a link out of the project, a FIFO, a file left out):
        // a change there changes the build's report, though no source changed.
        for warning in inputs.warnings { d.add(warning.description) }
        d.add(ledger ?? inputs.ledgerText)
        d.add(BinaryEncoder.encode(options.shaping))
        d.add(content)
        return d.hex
    }

    /// The part of `digest` that grows with the site (worked out once per build): every
    /// source's stamp digest (`SourceFile.stampDigest`: its names, kind, size, times and inode),
    /// in order, and the bytes of the files beside the content.
    static func contentDigest(_ inputs: Inputs, stamps: [UInt64]) -> String {
        var d = Digest()
        // The digests' bytes as they are in memory, least significant first on every platform
        // Versus builds for (not mapped through a key path, one call per source).
        #if _endian(little)
        d.add(stamps.withUnsafeBytes { Digest.sha256(Array($0)) })
        #else
        d.add(stamps.map { $0.littleEndian }.withUnsafeBytes { Digest.sha256(Array($0)) })
        #endif
        for f in inputs.contentFiles { d.add(f.path); d.add(Digest.sha256(f.bytes)) }
        return d.hex
    }

    /// The last build's report, when its output is still as it left it: the live tree holds
    /// the build the store recorded, and every file has the size it was written with.
    /// - Parameter checked: what `changedFiles` found for `last`.
    func unchanged(_ last: BuildStore.LastBuild, store: BuildStore, checked: OutputCheck?) -> BuildStore.LastBuild? {
        guard let record = try? store.tree(), OutputTree.readMarker(io, working.output) == record.live else { return nil }
        return checked?.changed.isEmpty == true ? last : nil
    }

    /// Whether this builder keeps what its next build works from by delta (it has built, or
    /// prepared: `BuildOptions.prepares`).
    public var isPrepared: Bool { lock.withLock { state != nil } }

    /// Builds the project into its output folder. On failure the output is left as it was.
    /// - Parameter changed: the files that changed since the last build in this process, when
    ///   a watcher knows them (nil: unknown). Then the content folder is not walked again
    ///   when only known files changed (`Loader.reload`).
    public func build(_ options: BuildOptions, changed: [String]? = nil) async throws -> BuildReport {
        // The build works on the resolved paths; what it reports names files as the caller does.
        do {
            var report = try await buildResolved(options, changed: changed)
            report.diagnostics = spelled(report.diagnostics)
            return report
        } catch let failed as BuildFailed {
            throw BuildFailed(spelled(failed.diagnostics))
        }
    }

    /// Diagnostics naming their files as the caller names the project: the file each is about,
    /// and the project's files its message names ("the page of content/a.md would be written at…").
    private func spelled(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        let spell = working.spelled(in: project), spellText = working.spelledInText(in: project)
        return diagnostics.map { d in
            var d = d
            d.file = spell(d.file)
            d.message = spellText(d.message)
            return d
        }
    }

    private func buildResolved(_ options: BuildOptions, changed: [String]?) async throws -> BuildReport {
        // The output folder must be one a build may replace whole.
        let misplaced = working.outputProblems(io: io)
        if !misplaced.isEmpty { throw BuildFailed(misplaced) }
        // One build of this output at a time: another process may be building it.
        var held: BuildLock?, folderHeld: BuildLock?
        if let storePath { held = try await BuildLock.take(BuildLock.file(beside: storePath), waiting: options.waiting) }
        defer { held?.release() }
        // And one build into a folder at a time: another project may build into the same `--output`.
        if io.isDisk { folderHeld = try await BuildLock.take(folderOf: working.output, waiting: options.waiting) }
        defer { folderHeld?.release() }
        do {
            return try await buildHoldingTheLock(options, changed: changed)
        } catch where storePath != nil && BuildStore.isDamage(error) {
            // The store is a cache: a damaged one (whenever the build finds it so) is started
            // afresh, and the build made whole, with a warning that says so.
            lock.withLock { self.state = nil }
            BuildStore.remove(storePath!)
            var whole = options
            whole.clean = true
            var report = try await buildHoldingTheLock(whole, changed: nil)
            report.diagnostics.insert(.warning(storePath!, "the build store could not be read (\(BuildStore.reason(error))); it was started afresh, and this build made every file"), at: 0)
            return report
        }
    }

    private func buildHoldingTheLock(_ options: BuildOptions, changed: [String]?) async throws -> BuildReport {
        var clock = StepClock()
        let identity = options.identity ?? BuildIdentity.current
        // Until this build succeeds, no later build takes the last good build's inputs for the
        // project's (`Loader.reload`): they may not be any more (a config that fails to load, a
        // template that fails to render), and a watcher tells an edit, not what failed before it.
        var succeeded = false
        defer { if !succeeded { lock.withLock { self.state?.inputs = nil } } }
        // A project built before (its store is there) that this process does not know: the store
        // is opened first, and the output checked against the last build's size lines (a file
        // deleted or changed by hand is made again) on other threads while the content folder
        // is walked. A build with nothing to do needs both; an edit, the check too.
        let opensFirst = !options.clean && storePath.map(io.exists) == true && lock.withLock({ self.state == nil })
        let opened = try opensFirst ? clock.step("open store") { try BuildStore(path: storePath, identity: identity, output: working.output) } : nil
        let openedLast = opened.flatMap { try? $0.lastBuild() }
        var checking = openedLast.map { last in Later { [self] in changedFiles(last) } }
        defer { _ = checking?.wait() }   // nothing of this build is left running when it returns or throws
        // The last build's inputs in this process, taken out of its state (a build that fails
        // leaves none), so that a reload updates them in place; and its sources' stamp digests.
        var lastInputs = lock.withLock { () -> (inputs: Inputs, baseURL: String?)? in
            defer { self.state?.inputs = nil }
            return self.state?.inputs
        }
        let lastDigests = lock.withLock { self.state?.sourceStamps }
        // How the digests of the last build's sources carry over: by the places a reload
        // changed, or by comparing the sources loaded with the last build's.
        var carried: (edited: Set<Int>?, lastSources: [SourceFile]?) = (nil, nil)
        let inputs = try clock.step("load") { () throws -> Inputs in
            if let changed, !options.clean, lastInputs?.baseURL == options.baseURL, let previous = lastInputs?.inputs {
                lastInputs = nil
                if let reloaded = try Loader.reload(consume previous, changed: changed.map(working.path(spelledIn: project)), project: working, io: io) {
                    carried.edited = reloaded.edited
                    return reloaded.inputs
                }
            }
            carried.lastSources = lastInputs?.inputs.sources
            lastInputs = nil
            do {
                return try Loader.load(working, options: options, io: io)
            } catch let failed as LoadFailed {
                throw Build.failed(failed, io: io, jobs: options.jobs)
            }
        }
        let store = try opened ?? clock.step("open store") { () throws -> BuildStore in
            let store = try BuildStore(path: storePath, identity: identity, output: working.output)
            if options.clean { try store.clear() }
            return store
        }
        // The whole build, memoised: when every input is the one the last build had (the same
        // Versus, config, templates, ledger, options, and every source's size, times and inode)
        // and the output is as that build left it, there is nothing to do.
        // Each source's stamp digest: what the whole build's digest is made of, and what the last
        // assemble's sources are matched by (`Memo.HandBack`).
        let sourceStamps = clock.step("digest") { () -> [UInt64] in
            if let lastDigests, let edited = carried.edited { return SourceFile.stampDigests(inputs.sources, reusing: lastDigests, edited: edited) }
            return SourceFile.stampDigests(inputs.sources, reusing: lastDigests.flatMap { digests in carried.lastSources.map { ($0, digests) } })
        }
        carried = (nil, nil)
        let content = Self.contentDigest(inputs, stamps: sourceStamps)
        let inputDigest = Self.digest(of: inputs, content: content, options: options, identity: identity)
        // The build `output/` holds (its marker), which says whether what this process kept of
        // the last build is still true: another process may have built since.
        let liveMarker = OutputTree.readMarker(io, working.output)
        // The last build's record: as this process saved it, while `output/` holds that build.
        let keptLast = options.clean ? nil : lock.withLock { () -> BuildStore.LastBuild? in
            guard let state = self.state, state.identity == identity, let live = state.tree?.live, live == liveMarker else { return nil }
            return state.last
        }
        let last = options.clean ? nil : opened != nil ? openedLast : keptLast ?? (try? store.lastBuild())
        // Asked to prepare (`versus serve`, once it serves) and knowing nothing of the last build
        // yet, a build goes on to keep what the next one works from by delta: the first edit
        // after starting is then as quick as the others (at 50,000 pages, 0.07 s instead of 3.4 s).
        let prepares = options.prepares && lock.withLock { self.state == nil }
        if let last, last.inputs == inputDigest, !prepares,
           let report = clock.step("verify", { unchanged(last, store: store, checked: checking?.wait() ?? changedFiles(last)) }) {
            // Nothing to do, perhaps because another process built these inputs: this process's
            // next build (`versus serve`'s reload) starts from them, not from the ones it built last.
            lock.withLock {
                self.state?.inputs = (inputs, options.baseURL)
                self.state?.sourceStamps = sourceStamps
            }
            succeeded = true
            return BuildReport(diagnostics: report.diagnostics, pages: report.pages, files: report.files, incremental: true,
                               normalised: 0, rendered: 0, written: [], removed: [], timings: clock.timings,
                               redirects: report.redirects, headerRules: Headers.rules(inputs.config))
        }
        // What this process knows, unless another process has built the output since; else
        // what the store holds, each part timed on its own.
        var known = options.clean ? nil : lock.withLock({ self.state }).flatMap { state in
            state.identity == identity && liveMarker == state.tree?.live ? state : nil
        }
        let fromStore = known == nil
        // Taken out while the build runs (this build updates it in place; one that fails leaves none).
        if known != nil { lock.withLock { self.state = nil } }
        // Read from disk: the output is checked (unless that started before the walk) on other
        // threads while the store is read. A process that built it keeps knowing (`versus serve`
        // trusts what it wrote: its edits do not look at every file of `output/`).
        if checking == nil && fromStore && !options.clean, let last { checking = Later { [self] in changedFiles(last) } }
        var state = try known ?? State(identity: identity, stamps: nil, normalised: nil,
                                       outputs: clock.step("load outputs") { try store.outputs() }, tree: store.tree(),
                                       manifestOrder: clock.step("load order") { try store.manifestOrder() }, damage: store.damage)
        known = nil   // (`state` is the one copy)
        if fromStore && !options.clean {
            // The last assemble, so this build can work the site out by delta as `versus serve` does.
            clock.step("load assemble") {
                state.summaries = store.normalisedReader()
                if let (stored, plans) = try? store.assembled(),
                   let assembled = SiteAssembler.Assembled(stored, plans: plans, config: inputs.config, ledger: (inputs.ledger, inputs.ledgerText),
                                                           summary: { [reader = state.summaries!, damage = store.damage] key in
                                                               // Each read when first looked at (a delta looks at few).
                                                               PageSummary(key: key, reading: reader, damage: damage)
                                                           }) {
                    state.assembled = assembled
                    state.keyFingerprint = stored.fingerprint
                }
            }
        }

        let incremental = !state.outputs.isEmpty
        // Files changed or removed by hand stay known as the live tree's (a build that does not
        // make them again removes them), but never as files it can keep.
        var stale: Set<String> = [], changedByHand: Set<String> = [], alone: Set<String> = []
        if fromStore {
            (stale, changedByHand, alone) = clock.step("verify") { verified(state.outputs, changed: checking?.wait() ?? nil) }
        }
        let tree = try clock.step("open output") { () throws -> OutputTree in
            return try Build.writing(nil) {
                try OutputTree(io: io, output: working.output, record: state.tree,
                               liveFiles: state.outputs.isEmpty ? nil : OutputTree.Live(state.outputs, changedByHand: changedByHand, alone: alone))
            }
        }
        // Sources whose stamps are the last build's are handed back from its assemble; else each is
        // looked up in the store's stamps and normalised sources.
        let handBack = options.clean ? nil : clock.step("hand back") { Memo.HandBack.of(inputs.sources, stamps: sourceStamps, from: state.assembled) }
        if handBack == nil {
            if state.stamps == nil { state.stamps = try clock.step("load sources") { try store.sources() } }
            if state.normalised == nil { state.normalised = try clock.step("load summaries") { try store.normalised() } }
        }
        let memo = Memo(identity: identity, io: io, store: store, stamps: state.stamps ?? [:], known: state.normalised ?? [:], outputs: state.outputs,
                        stale: stale, assembled: options.clean ? nil : state.assembled, lastFingerprint: options.clean ? nil : state.keyFingerprint,
                        handBack: handBack, sourceStamps: sourceStamps)
        let output = OutputWriter(tree: tree, config: inputs.config, compress: options.compress ?? inputs.config.precompress, previous: state.outputs,
                                  lastManifest: state.manifest)
        // The writer holds the last manifest alone, so its patch writes into it in place.
        state.manifest = nil
        let keyFingerprint = Build.outputFingerprint(inputs, compress: output.compress)

        // Whatever fails from here, nothing of this build is left running when it throws: the
        // store's saves are finished and it is closed, and the spare tree is no longer being
        // written, so the next build (here or in another process) starts from a still store.
        var discarded: Later<Void>?
        do {
            let report = try await commitAndRecord(Build.run(inputs, options: options, memo: memo, output: output))
            succeeded = true
            return report
        } catch {
            lock.withLock { self.state = nil }
            try? memo.finishSavingAhead()
            discarded?.wait()
            try? store.close()
            throw error
        }

        // After the pure build: switch its tree in, and record what it made for the next build.
        func commitAndRecord(_ result: Build.Result) throws -> BuildReport {
            // A summary read from the store on first use did not decode: nothing of this build is
            // committed, and it is made again from nothing (`build`).
            if store.damage.wasFound || state.damage?.wasFound == true {
                throw BuildStore.Damaged(description: "a value read from the store does not decode")
            }
            var timings = clock.timings + result.timings
            // The pages are rendered and let go: their memory goes back to the system before the
            // site-wide files of the commit are made (the allocator keeps freed memory otherwise).
            if result.rendered >= Memory.many { Memory.giveBack() }
            var inner = StepClock()
            // The ledger this build leaves, as `lastmod.tsv` holds it.
            let ledgerText = inner.step("ledger") { options.updateLedger ? result.site.ledger.serialized() : "" }
            // The assemble, for the next `versus build` to work from by delta, made ready on another
            // core while the tree is committed (only with the ledger written: the next build reads
            // the ledger this one leaves). A delta rewrites the plan chunks it changed; a full
            // assemble, all of them.
            let kept = Later { [assembled = options.updateLedger ? memo.newAssembled : nil, patched = memo.patchedPages,
                                keyFingerprint, ledgerText] () -> BuildStore.Changes in
                var changes = BuildStore.Changes()
                if let assembled {
                    changes.keep(assembled, fingerprint: keyFingerprint, ledgerText: ledgerText, patchedPages: patched)
                } else if patched?.isEmpty != true {
                    // (A delta that changed no page left the stored assemble as true as it was.)
                    changes.dropAssembled = true
                }
                return changes
            }
            let (record, writtenFiles, removedFiles) = try inner.step("commit") { try Build.writing(nil) { try output.commit(order: state.manifestOrder) } }
            // A build written whole put aside the trees it replaced: they are removed on another
            // thread while the store is saved. If this fails, the next build removes them.
            discarded = Later { try? tree.discard() }
            // The report names site files, not their precompressed copies.
            let files = output.files
            let written = writtenFiles.filter { files[$0] != nil }
            let removed = removedFiles.filter { state.outputs[$0] != nil }
            let headerRules = Headers.rules(result.site.config)
            options.committed?(Committed(written: written, removed: removed, redirects: result.site.redirects, headerRules: headerRules))
            let outputChanges = output.changes
            let changes = inner.step("record") { () -> BuildStore.Changes in
                var changes = memo.changes(sources: inputs.sources, outputs: outputChanges, tree: record, into: kept.wait())
                // Recorded with the ledger this build leaves, which is what the next build reads.
                let leftDigest = options.updateLedger ? Self.digest(of: inputs, content: content, ledger: ledgerText, options: options, identity: identity) : inputDigest
                // The manifest's order, for the next build to list the same files without sorting them.
                if output.manifestOrder != state.manifestOrder { changes.manifestOrder = output.manifestOrder }
                changes.last = .init(inputs: leftDigest, pages: result.site.pages.count, files: files.count,
                                     diagnostics: result.diagnostics, redirects: result.site.redirects, sizes: Blob(output.sizeLines(patching: last?.sizes.bytes)))
                return changes
            }
            try inner.step("save store") {
                try memo.finishSavingAhead()
                try store.save(changes)
                if options.updateLedger {
                    if ledgerText != ((try? io.readString(working.ledger)) ?? "") { try io.write(working.ledger, Array(ledgerText.utf8)) }
                }
            }
            inner.step("discard trees") { discarded?.wait() }
            timings += inner.timings
            // The summaries of the last assemble not read yet are fetched for the next build in this
            // process (none in one that exits after this build).
            if !options.exitsAfter { try inner.step("fetch summaries") { try state.summaries?.detach() } }
            // Closed here, not when the last reference goes (a command line exits without freeing).
            try store.close()
            // The stores beside this one that no build can use any more (their output folder is
            // gone, or an earlier Versus left them) go, so they do not pile up in `.versus/`.
            if let storePath, Disk.parent(of: storePath) == working.cache {
                _ = inner.step("sweep stores") { BuildStore.sweep(working.cache, keeping: storePath, output: working.output) }
                timings += inner.timings.suffix(1)
            }

            let report = BuildReport(diagnostics: result.diagnostics, pages: result.site.pages.count, files: output.fileCount,
                                     incremental: incremental, normalised: result.normalised,
                                     rendered: result.rendered, written: written, removed: removed, timings: timings,
                                     redirects: result.site.redirects, headerRules: headerRules,
                                     assembledByDelta: memo.assembledByDelta, manifestPatched: output.manifestPatched,
                                     handedBack: memo.handedBack)
            if options.exitsAfter {
                // No next build in this process: nothing is kept for one (a later build reads the store).
                lock.withLock { self.state = nil }
                keptUntilExit = [inputs, memo, output, tree, result, state]
                return report
            }

            // What stays in memory for the next build in this process, updated in place.
            let made = memo.made()
            memo.letGoOfTheLastBuild()
            // (What was not read stays so: a later build reads it from the store, which has these changes.)
            if state.stamps != nil {
                for (path, stamp) in made.stamps { state.stamps![path] = stamp }
                for (path, stamp) in changes.sources { state.stamps![path] = stamp }   // and sources gone
            }
            if state.normalised != nil {
                for key in changes.dropNormalised { state.normalised![key] = nil }
                for (key, value) in made.normalised { state.normalised![key] = value }
            }
            // A build that kept every file of the last one first changed what it made: the records
            // it started from are brought up to date in place.
            if files.previous !== state.outputs || !state.outputs.update(with: outputChanges) {
                state.outputs = OutputRecords(files.all)
            }
            state.tree = record
            state.manifestOrder = output.manifestOrder
            state.manifest = output.manifestKept
            state.assembled = memo.newAssembled
            state.keyFingerprint = keyFingerprint
            state.inputs = (inputs, options.baseURL)
            state.sourceStamps = sourceStamps
            state.last = changes.last
            lock.withLock { self.state = state }
            return report
        }
    }
}
