/// `versus init [DIR]`: a new site that builds as it is: a commented `versus.yml`, the
/// bundled templates and assets (`BundledTemplates`, generated from `templates/`), one
/// comparison source text and one Markdown comparison page.
public enum Starter {
    public struct Refused: Error, CustomStringConvertible {
        public var path: String
        public var description: String { "\(path) already exists; versus init writes a new site and never overwrites one" }
    }

    /// What `versus init` writes, by path relative to the new site's folder.
    public static func files(title: String = "Versus", baseURL: String = SiteConfig.exampleBaseURL) -> [(path: String, bytes: [UInt8])] {
        var out: [(String, [UInt8])] = [(SiteConfig.fileName, Array(config(title: title, baseURL: baseURL).utf8))]
        out += BundledTemplates.files.map { ("templates/" + $0.path, $0.bytes) }
        out += content.map { ($0.path, Array($0.text.utf8)) }
        out.append((".gitignore", Array("/output/\n/.versus/\n".utf8)))
        return out
    }

    /// Writes a new site into `folder` (made if missing). Refuses, writing nothing, when the
    /// folder already holds a site's config, content or templates.
    public static func write(to folder: String, title: String = "Versus", baseURL: String = SiteConfig.exampleBaseURL,
                             io: FileIO = .disk) throws -> [String] {
        let project = Project(root: folder)
        for existing in [project.config, project.content, project.templates] where io.exists(existing) {
            throw Refused(path: existing)
        }
        let files = files(title: title, baseURL: baseURL)
        for (path, bytes) in files {
            try io.write(folder.isEmpty || folder == "." ? path : folder + "/" + path, bytes)
        }
        return files.map(\.path)
    }

    static func config(title: String, baseURL: String) -> String {
        """
        # Versus site config. Every key is optional; `versus reference` lists them all,
        # with their defaults (the same table as docs/reference.md in Versus's repository).

        # The site's name, and where it will be served: canonical URLs, the sitemap,
        # robots.txt and the feed use base_url. Set it before publishing: `versus build`
        # warns about the placeholder and `versus publish` refuses it.
        title: \(PageMarkdown.yamlQuote(title))
        base_url: \(PageMarkdown.yamlQuote(baseURL))
        language: "en"
        description: "Side-by-side comparisons of engineering tools: what each one does best, what it costs you, and when to pick it."

        # The button on every comparison: where the site sends its readers. A page can
        # set its own in front-matter (cta: {label: …, url: …}). utm: is optional.
        cta:
          label: "Book a 30-minute call"
          url: "https://example.com/book"
          text: "Tell us what you are choosing between, and get a straight answer on a short call."
          utm: { source: "versus", medium: "comparison", campaign: "starter" }

        # Response headers for Netlify and Cloudflare Pages (_headers). The default
        # Content-Security-Policy runs the site's own scripts only; allow an analytics
        # host here:
        # headers:
        #   script_hosts: ["https://plausible.io"]

        # Precompressed .gz/.br copies, for nginx gzip_static/brotli_static (CDNs compress
        # by themselves, so none are written by default):
        # compress: { enabled: true }

        # Where `versus publish` uploads the site (credentials from AWS_* variables):
        # publish:
        #   endpoint: "https://s3.eu-west-1.amazonaws.com"
        #   region: "eu-west-1"
        #   bucket: "my-site"

        """
    }

    /// The example content: one source text as captured, one Markdown page.
    static let content: [(path: String, text: String)] = [
        ("content/kubernetes-vs-nomad.txt", """
        Kubernetes vs Nomad
        Kubernetes vs Nomad: Which Scheduler Fits a Small Platform Team?

        How Kubernetes and Nomad differ in operating cost, scheduling model and ecosystem, and when a small platform team should pick each one.

        Nomad Focus
        Nomad is a single binary that schedules containers, virtual machines and plain executables. A small team can run a production cluster with three servers and a handful of clients, upgrade it in an afternoon, and read every line of its job files without a glossary.

        Kubernetes Focus
        Kubernetes brings a large ecosystem: operators for databases and queues, service meshes, policy engines and every managed cloud offering. The price is a control plane with many moving parts and a steady stream of upgrades that someone has to own.

        Our Position
        We recommend Nomad for teams of fewer than five platform engineers running mostly stateless services, and Kubernetes once the team needs the operator ecosystem or a managed offering takes the control plane off its hands.

        Technical Breakdown
        Kubernetes reconciles declared state through controllers that watch the API server and act on differences, with etcd as the single source of truth. Nomad evaluates jobs against a plan queue on its servers, which use Raft for consensus, and places allocations on clients in one pass. Both support rolling updates, canaries and affinities; Kubernetes adds custom resources, while Nomad integrates with Consul for service discovery and Vault for secrets.

        Not Sure Yet?
        Book a short call and tell us about your services, your team and your deadlines.

        Jane Doe — Platform Lead

        """),
        ("content/postgresql-vs-sqlite.md", """
        ---
        title: "PostgreSQL vs SQLite for Internal Tools"
        subjects: ["PostgreSQL", "SQLite"]
        description: "When an internal tool should store its data in SQLite, when it needs PostgreSQL, and what each choice costs in operations and concurrency."
        byline: "Jane Doe — Platform Lead"
        date: 2026-01-15
        ---

        Both are excellent relational databases. The question is where the data lives and
        how many writers it has.

        ## At a Glance

        |                    | PostgreSQL                 | SQLite                      |
        |:-------------------|:---------------------------|:----------------------------|
        | Runs as            | a server process           | a library inside the app    |
        | Concurrent writers | many                       | one at a time               |
        | Backups            | `pg_dump`, streaming       | copy the file (or `.backup`)|
        | Operations         | a service to run and patch | nothing beyond the app      |

        ## SQLite Focus

        SQLite keeps the whole database in one file next to the application. There is no
        server to install, no network hop and no credentials to rotate, and it serves most
        internal tools, with a few users writing at a time, faster than a remote database.

        ## Our Position

        Start with SQLite for a tool with one server and a handful of writers, and move to
        PostgreSQL when several services write to the same data or the tool needs
        replication.

        ## Technical Breakdown

        PostgreSQL gives every connection its own process and isolates writers with MVCC, so
        many clients write at once; it replicates through its write-ahead log. SQLite locks
        the database for each write transaction; in WAL mode readers carry on while one
        writer commits.

        """),
    ]
}
