import ArgumentParser
import Foundation
import VersusCore
import VersusServe
import VersusPublish

@main
struct Versus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "versus",
        abstract: "Compile comparison texts into a fast, search-engine-ready static site.",
        version: BuildIdentity.version,
        subcommands: [Init.self, Build.self, Serve.self, Publish.self, Check.self, Normalize.self, Reference.self])

    /// An unknown command gets the nearest known one (`biuld` → `build`), not a usage dump.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let first = arguments.first, !first.hasPrefix("-") {
            let names = configuration.subcommands.map { $0._commandName } + ["help"]
            if !names.contains(first) {
                Terminal.err("error: unknown command '\(first)'\(Suggest.didYouMean(first, in: names))")
                Terminal.err("commands: \(names.joined(separator: ", ")); see 'versus --help'")
                Foundation.exit(64)
            }
        }
        await main(nil)
    }
}

/// Options shared by commands that work on a project.
struct ProjectOptions: ParsableArguments {
    @Option(name: .long, help: "The project folder (holding content/, templates/ and versus.yml).")
    var root: String = "."

    @Option(name: .long, help: "Where the site is written (default: ROOT/output).")
    var output: String?

    var project: Project { Project(root: root, output: output) }

    /// The site config (`versus.yml`), its warnings reported; the defaults when there is none.
    func config() throws -> SiteConfig {
        let (parsed, _, diagnostics) = Loader.config(project, io: .disk)
        Terminal.report(diagnostics)
        if diagnostics.hasErrors { throw ExitCode(1) }
        return parsed
    }
}

struct Build: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "build", abstract: "Build the site into output/.")

    @OptionGroup var options: ProjectOptions

    @Option(name: .customLong("base-url"), help: "Override the config's base_url.")
    var baseURL: String?

    @Flag(help: "Include pages marked draft.")
    var drafts = false

    @Flag(name: .customLong("no-compress"), help: "Skip the precompressed .gz and .br copies.")
    var noCompress = false

    @Flag(help: "Print how long each step took.")
    var timings = false

    @Flag(help: "Ignore the build cache and rebuild everything.")
    var clean = false

    @Option(help: "Worker count (default: one per core).")
    var jobs: Int = 0

    func run() async throws {
        var build = BuildOptions(today: Clock.today(), baseURL: baseURL, jobs: jobs)
        build.includeDrafts = drafts
        if noCompress { build.compress = false }
        build.clean = clean
        if isatty(2) != 0 { build.progress = Progress.line }
        build.waiting = { [output = options.project.output] lock in
            Terminal.err("\(lock): note: another build of \(output) is running; waiting for it to finish")
        }
        do {
            build.exitsAfter = true
            let builder = ProjectBuilder(project: options.project)
            let report = try await builder.build(build)
            Progress.clear()
            Terminal.report(report.diagnostics)
            let what = report.incremental
                ? "\(report.rendered) rendered, \(report.written.count) written, \(report.removed.count) removed"
                : "\(report.files) files"
            Terminal.out("built \(report.pages) pages into \(options.project.output): \(what)")
            if timings {
                for t in report.timings {
                    let name = t.step.padding(toLength: 14, withPad: " ", startingAt: 0)
                    Terminal.out("  \(name) \(String(format: "%8.1f", t.seconds * 1000)) ms")
                }
            }
            // The build's memory goes with the process, at once, instead of value by value.
            withExtendedLifetime(builder) { Foundation.exit(0) }
        } catch let failed as BuildFailed {
            Progress.clear()
            Terminal.report(failed.diagnostics)
            Terminal.err("error: \(failed.description); \(options.project.output) was left as it was")
            throw ExitCode(1)
        } catch let e as FileIOError {
            Progress.clear()
            Terminal.report([Diagnostic.writeFailure(e, source: nil)])
            Terminal.err("error: build failed; \(options.project.output) was left as it was")
            throw ExitCode(1)
        } catch {
            Progress.clear()
            Terminal.err("\(options.project.storeFile): error: \(error); \(options.project.output) was left as it was (delete \(options.project.cache)/ to start the build store afresh)")
            throw ExitCode(1)
        }
    }
}

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a new site: versus.yml, templates, and an example of each kind of content.",
        discussion: "The site builds as it is (versus build --root DIR). Refuses a folder that already has a versus.yml, content/ or templates/.")

    @Argument(help: "The new site's folder (made if missing).")
    var folder = "."

    @Option(help: "The site's name.")
    var title = "Versus"

    @Option(name: .customLong("base-url"), help: "Where the site will be served (default: a placeholder to set before publishing).")
    var baseURL = SiteConfig.exampleBaseURL

    func validate() throws {
        if let problem = SiteConfig.validateBaseURL(baseURL) { throw ValidationError("--base-url \(problem)") }
    }

    func run() throws {
        do {
            let written = try Starter.write(to: folder, title: title, baseURL: baseURL)
            Terminal.out("wrote a new site in \(folder): \(written.count) files")
            let root = folder == "." ? "" : " --root \(folder)"
            Terminal.out("next: versus build\(root), then versus serve\(root) to preview it")
        } catch let refused as Starter.Refused {
            Terminal.err("error: \(refused.description)")
            throw ExitCode(1)
        }
    }
}

struct Reference: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reference",
        abstract: "Print the reference: every versus.yml key, front-matter key and template variable.")

    func run() {
        Terminal.out("# versus.yml\n\n" + VersusCore.Reference.config())
        Terminal.out("# Front-matter\n\n" + VersusCore.Reference.frontMatter())
        Terminal.out("# Template variables\n\n" + VersusCore.Reference.templates())
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Preview the site with live reload.",
        discussion: "Builds the site, serves the output folder the way the CDN will (clean URLs, _headers, _redirects, 404), watches content/, templates/ and versus.yml, rebuilds what changed and reloads open tabs.")

    @OptionGroup var options: ProjectOptions

    @Option(help: "Address to listen on. The default serves this machine only.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 8000

    @Option(name: .customLong("base-url"), help: "Override the config's base_url.")
    var baseURL: String?

    @Flag(help: "Include pages marked draft.")
    var drafts = false

    @Flag(help: "Log how long each step of each build took.")
    var timings = false

    func run() async throws {
        if host != "127.0.0.1" && host != "localhost" && host != "::1" {
            Terminal.err("warning: serving on \(host) makes the preview reachable from other machines")
        }
        // Rebuilds use every core, on threads of their own: the request handlers keep theirs.
        var build = BuildOptions(today: Clock.today(), baseURL: baseURL, jobs: Parallel.defaultJobs)
        build.includeDrafts = drafts
        var serve = PreviewServer.Options(project: options.project, build: build, today: { Clock.today() }) { line in
            Terminal.out(Terminal.timestamp() + " " + line)
        }
        serve.host = host
        serve.port = port
        serve.timings = timings
        let server = PreviewServer(options: serve)
        let output = serve.project.output, host = self.host
        try await server.run(signals: true) { port in
            Terminal.out("serving \(output) at http://\(host):\(port)/ (Ctrl-C to stop)")
        }
    }
}

struct Publish: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Upload what changed to an S3-compatible bucket.",
        discussion: """
        Compares output/versus-manifest.json with the bucket (its listing and the manifest stored there) and \
        uploads only new or changed files, in dependency order: assets; pages, then alias redirects; hubs, then \
        listings and the feed; the home and 404 pages, sitemaps, robots.txt; the manifest last (new objects before \
        those that replace live ones), so a publish stopped anywhere leaves no reachable page linking to a missing one. \
        Credentials come from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN. The target and the \
        network limits come from versus.yml (publish: endpoint, region, bucket, prefix, timeout, connect_timeout, \
        idle_timeout, retries) or the flags.
        """)

    static let defaults = NetworkLimits()

    @OptionGroup var options: ProjectOptions
    @Option(help: "S3 endpoint URL (https://s3.eu-west-1.amazonaws.com, or an S3-compatible store).") var endpoint: String?
    @Option(help: "Region for signing.") var region: String?
    @Option(help: "Bucket name.") var bucket: String?
    @Option(help: "Folder in the bucket.") var prefix: String?
    @Flag(help: "Delete objects the site no longer has.") var delete = false
    @Option(name: .customLong("max-deletes"), help: "Refuse to publish if more than this many objects would be deleted.") var maxDeletes = 256
    @Flag(name: .customLong("dry-run"), help: "Print the plan and change nothing.") var dryRun = false
    @Option(help: "Uploads in flight at once.") var concurrency = 8
    @Option(name: .customLong("indexnow"), help: "IndexNow key: publish its key file and notify about the changed pages.") var indexNow: String?
    @Option(name: .customLong("indexnow-endpoint"), help: "Post the IndexNow body here (otherwise it is written to .versus/indexnow.json).") var indexNowEndpoint: String?
    @Option(name: .customLong("purge-list"), help: "Where to write the changed URLs (default .versus/purge-urls.txt).") var purgeList: String?
    @Option(help: "Seconds one request may take, from sending it to the last byte of the answer (default \(NetworkLimits.text(defaults.requestTimeout))).")
    var timeout: Double?
    @Option(name: .customLong("connect-timeout"), help: "Seconds to open a connection (default \(NetworkLimits.text(defaults.connectTimeout))).")
    var connectTimeout: Double?
    @Option(name: .customLong("idle-timeout"), help: "Seconds a connection may stall before the request is given up (default \(NetworkLimits.text(defaults.idleTimeout))).")
    var idleTimeout: Double?
    @Option(help: "Times a request that failed transiently (network error, timeout, 5xx, 429, SlowDown) is tried again (default \(defaults.retries)).")
    var retries: Int?

    /// The network limits: flags over versus.yml over the defaults.
    func limits(_ settings: SiteConfig.PublishSettings) throws -> NetworkLimits {
        do {
            return try NetworkLimits(timeout: timeout ?? settings.timeout, connectTimeout: connectTimeout ?? settings.connectTimeout,
                                     idleTimeout: idleTimeout ?? settings.idleTimeout, retries: retries ?? settings.retries)
        } catch let invalid as NetworkLimits.Invalid {
            throw ValidationError("\(invalid) (or its publish: key in versus.yml)")
        }
    }

    func run() async throws {
        let project = options.project
        let config = try options.config()
        // A site whose canonical URLs point at the placeholder must not go live.
        if let problem = SiteConfig.placeholderWarning(config: config, hasConfig: FileIO.disk.exists(project.config),
                                                       file: project.config, severity: .error) {
            Terminal.report([problem])
            throw ExitCode(1)
        }
        guard let endpointText = endpoint ?? config.publish.endpoint else {
            throw ValidationError("no endpoint: set publish.endpoint in versus.yml or pass --endpoint")
        }
        guard let endpointURL = URL(string: endpointText), endpointURL.scheme == "http" || endpointURL.scheme == "https",
              endpointURL.host?.isEmpty == false else {
            throw ValidationError("endpoint '\(endpointText)' is not an http:// or https:// URL with a host, such as https://s3.eu-west-1.amazonaws.com")
        }
        guard let bucketName = bucket ?? config.publish.bucket, !bucketName.isEmpty else {
            throw ValidationError("no bucket: set publish.bucket in versus.yml or pass --bucket")
        }
        guard let credentials = SigV4.Credentials.fromEnvironment() else {
            throw ValidationError("no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
        }
        let folder = prefix ?? config.publish.prefix ?? ""
        if let problem = Publisher.Target.prefixProblem(folder) { throw ValidationError(problem) }
        let target = Publisher.Target(endpoint: endpointURL, region: region ?? config.publish.region ?? "us-east-1",
                                      bucket: bucketName, prefix: folder)
        var publish = Publisher.Options(output: project.output, origin: config.origin,
                                        purgeList: purgeList ?? project.cache + "/purge-urls.txt",
                                        indexNowFile: project.cache + "/indexnow.json")
        publish.delete = delete
        publish.maxDeletes = maxDeletes
        publish.dryRun = dryRun
        publish.concurrency = max(1, concurrency)
        publish.indexNowKey = indexNow
        publish.uploadCopies = config.publish.uploadCopies
        publish.indexNowEndpoint = indexNowEndpoint.flatMap(URL.init(string:))
        let progress = UploadProgress(interactive: isatty(2) != 0) { Terminal.write(2, $0) }
        publish.progress = { progress.update($0) }
        let client = S3Client(endpoint: endpointURL, region: target.region, bucket: bucketName, credentials: credentials,
                              limits: try limits(config.publish))
        // The output does not change under the upload: a build of it waits for the publish.
        let held = try await BuildLock.take(BuildLock.file(beside: project.storeFile)) { lock in
            Terminal.err("\(lock): note: a build of \(project.output) is running; waiting for it to finish")
        }
        defer { held.release() }
        // And a build of another project into the same folder (`--output`) waits too.
        let folderHeld = try await BuildLock.take(folderOf: project.output) { lock in
            Terminal.err("\(lock): note: a build into \(project.output) is running; waiting for it to finish")
        }
        defer { folderHeld.release() }
        do {
            let report = try await Publisher.publish(publish, client: client, target: target)
            progress.finish()
            let plan = report.plan
            let dest = "s3://\(bucketName)/\(target.prefix)"
            if dryRun {
                Terminal.out("dry run, nothing changed: would upload \(plan.uploads.count), skip \(plan.skipped.count), delete \(plan.deletes.count) in \(dest)")
                for item in plan.uploads { Terminal.out("  upload \(item.key)") }
                for key in plan.deletes { Terminal.out("  delete \(key)") }
            } else {
                Terminal.out("published to \(dest): uploaded \(plan.uploads.count) (\(report.uploadedBytes / 1024) KiB), skipped \(plan.skipped.count), deleted \(plan.deletes.count) in \(String(format: "%.1f", report.seconds)) s")
            }
            if !delete && !plan.strays.isEmpty {
                Terminal.out("\(plan.strays.count) object(s) in the bucket are no longer in the site; --delete removes them")
            }
            if !report.changedURLs.isEmpty {
                Terminal.out("changed URLs (\(report.changedURLs.count))\(dryRun ? "" : ", written to \(publish.purgeList)"):")
                for url in report.changedURLs { Terminal.out("  \(url)") }
            }
            if let body = report.indexNow, !dryRun, publish.indexNowEndpoint == nil {
                Terminal.out("IndexNow body written to \(publish.indexNowFile) (\(body.count) bytes)")
            }
        } catch let refusal as Publisher.Refusal {
            progress.finish()
            Terminal.err("error: \(refusal.description)")
            throw ExitCode(1)
        } catch let failure as NetworkFailure {
            progress.finish()
            Terminal.err("error: \(failure.description)")
            switch failure.reason {
            case .requestTimeout: Terminal.err("hint: --timeout (publish.timeout) allows a request more time")
            case .idleTimeout: Terminal.err("hint: --idle-timeout (publish.idle_timeout) allows a slow server more time")
            case .connectTimeout, .connection: Terminal.err("hint: check --endpoint (publish.endpoint) and the network")
            default: break
            }
            Terminal.err("deletes run only after every upload succeeded; a later publish picks up where this one stopped")
            throw ExitCode(1)
        }
    }
}

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "SEO lint over the built site.",
        discussion: "Rules: " + SiteCheck.rules.map { "\($0.name) (\($0.level.rawValue)): \($0.about)" }.joined(separator: "; ")
            + ". Set levels in versus.yml (check: errors/warnings/off lists) or with the flags below.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var options: ProjectOptions

    @Option(help: "text or json.")
    var format: Format = .text

    @Option(name: .customLong("error"), help: "Make a rule an error (repeatable).")
    var errors: [String] = []

    @Option(name: .customLong("warning"), help: "Make a rule a warning (repeatable).")
    var warnings: [String] = []

    @Option(name: .customLong("off"), help: "Turn a rule off (repeatable).")
    var off: [String] = []

    func run() async throws {
        let project = options.project
        let config = try options.config()
        var levels: [String: SiteCheck.Level] = [:]
        let known = Set(SiteCheck.rules.map(\.name))
        for (names, level) in [(errors, SiteCheck.Level.error), (warnings, .warning), (off, .off)] {
            for name in names {
                guard known.contains(name) else { throw ValidationError("unknown rule '\(name)'; rules: \(known.sorted().joined(separator: ", "))") }
                levels[name] = level
            }
        }
        guard FileIO.disk.info(project.output)?.isDirectory == true else {
            Terminal.err("error: \(project.output) does not exist; run 'versus build' first")
            throw ExitCode(2)
        }
        let report = try await SiteCheck.run(output: project.output, config: config, levels: levels)
        print(format == .json ? report.json() : report.text(), terminator: "")
        if report.errors > 0 { throw ExitCode(1) }
    }
}

struct Normalize: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "normalize",
        abstract: "Print sources as normalised pages.",
        discussion: "markdown: the page in the content format (save it as a .md file to take the page over). jsonl: one JSON object per file. --explain: how a loose text was read, line by line (class, margin, reasons).")

    enum Format: String, ExpressibleByArgument, CaseIterable { case markdown, jsonl }

    @Option(help: "markdown or jsonl.")
    var format: Format = .markdown

    @Flag(help: "Print each line of a text source with the class it got, how sure the reader was, and why.")
    var explain = false

    @Argument(help: "Source files (.txt or .md), or folders to take every source from.")
    var files: [String]

    /// The files, with each folder replaced by the sources in it (in path order).
    func sourceFiles() throws -> [String] {
        var out: [String] = []
        for file in files {
            guard FileIO.disk.info(file)?.isDirectory == true else { out.append(file); continue }
            let folder = file.hasSuffix("/") && file.count > 1 ? String(file.dropLast()) : file
            out += try FileIO.disk.list(folder).filter { $0.hasSuffix(".txt") || $0.hasSuffix(".md") }.sorted()
                .map { folder + "/" + $0 }
        }
        return out
    }

    func run() throws {
        var failed = false
        var first = true
        for file in try sourceFiles() {
            let name = (file as NSString).lastPathComponent
            let source: Source
            do {
                source = Source(path: name, file: file, bytes: try FileIO.disk.read(file))
            } catch {
                let d = Diagnostic.error(file, "cannot read: \(error)")
                Terminal.report([d])
                if format == .jsonl { print(PageMarkdown.jsonRecord(file: file, page: nil, error: d.message).serialized()) }
                failed = true
                continue
            }
            let reading = Normaliser.read(source, explain: explain)
            let (page, diagnostics) = (reading.page, reading.diagnostics)
            Terminal.report(diagnostics)
            if explain {
                if !first { print("") }
                first = false
                print("== \(file)")
                for line in reading.explanation { print(line) }
                if page == nil { failed = true }
                continue
            }
            switch format {
            case .markdown:
                if let page {
                    if !first { print("") }
                    print(PageMarkdown.write(page), terminator: "")
                    first = false
                }
            case .jsonl:
                let error = page == nil ? diagnostics.first { $0.severity == .error }?.message : nil
                print(PageMarkdown.jsonRecord(file: file, page: page, error: error, errorKind: reading.errorKind?.rawValue,
                                              warnings: diagnostics).serialized())
            }
            if page == nil { failed = true }
        }
        if failed { throw ExitCode(1) }
    }
}

enum Terminal {
    /// Writes a line to standard output; a closed pipe (`| head`) is not an error.
    static func out(_ s: String) { write(1, s + "\n") }
    static func err(_ s: String) { write(2, s + "\n") }

    static func write(_ fd: Int32, _ s: String) {
        var s = s
        s.withUTF8 { buf in
            var offset = 0
            while offset < buf.count {
                let n = Foundation.write(fd, buf.baseAddress! + offset, buf.count - offset)
                if n <= 0 { return }
                offset += n
            }
        }
    }

    /// "14:03:09", for the server's log lines.
    static func timestamp() -> String {
        let seconds = Int(Date().timeIntervalSince1970) % 86_400
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))"
    }
    static func report(_ diagnostics: [Diagnostic]) {
        for d in diagnostics { err(d.description) }
    }
}

/// A one-line progress display on a terminal: step, counts and rate, redrawn at most ten
/// times a second. Never used when standard error is not a terminal.
enum Progress {
    final class State: @unchecked Sendable {
        let lock = NSLock()
        var step = ""
        var started = Date()
        var lastDraw = Date.distantPast
        var shown = false
    }
    static let state = State()

    @Sendable static func line(_ step: String, _ done: Int, _ total: Int) {
        let s = state
        let text: String? = s.lock.withLock {
            let now = Date()
            if step != s.step { s.step = step; s.started = now; s.lastDraw = .distantPast }
            guard total >= 500, now.timeIntervalSince(s.lastDraw) >= 0.1 || done == total else { return nil }
            s.lastDraw = now
            s.shown = true
            let rate = Double(done) / max(0.001, now.timeIntervalSince(s.started))
            return "\r\(step) \(done)/\(total) · \(Int(rate))/s\u{1B}[K"
        }
        if let text { Terminal.write(2, text) }
    }

    static func clear() {
        let shown = state.lock.withLock { state.shown }
        if shown { Terminal.write(2, "\r\u{1B}[K") }
    }
}

/// The only place Versus reads the clock: the build day, unless SOURCE_DATE_EPOCH sets it.
enum Clock {
    static func today() -> Day {
        if let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], let seconds = Int64(epoch) {
            return Day(unixTime: seconds)
        }
        return Day(unixTime: Int64(Date().timeIntervalSince1970))
    }
}
