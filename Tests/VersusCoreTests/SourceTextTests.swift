import Foundation
import Testing
@testable import VersusCore
import VersusTestSupport

/// Comparison texts as real captures vary: layouts, joiners, names, line ends,
/// wrapping, lists, bylines, punctuation. Each test states the input in full.
@Suite struct SourceTextTests {
    func page(_ text: String, _ sourceLocation: SourceLocation = #_sourceLocation) throws -> Page {
        let (page, diagnostics) = normalise(text)
        #expect(!diagnostics.hasErrors, "\(diagnostics)", sourceLocation: sourceLocation)
        return try #require(page, sourceLocation: sourceLocation)
    }

    static let body = """
    Nomad Focus
    Nomad schedules containers and plain binaries with a single small binary and very little ceremony for operators.
    Our Take
    We recommend starting with the simpler scheduler and moving only when the team has outgrown it, which most have not.
    Under the Hood
    Kubernetes reconciles declared state through controllers watching the API server, while Nomad evaluates jobs against a plan queue.
    """

    // MARK: Joiners

    @Test(arguments: ["vs", "vs.", "VS", "versus", "or", "compared to", "Vs"])
    func joiners(_ joiner: String) throws {
        let p = try page("Kubernetes \(joiner) Nomad\nKubernetes \(joiner) Nomad for Platform Teams\n" + Self.body)
        #expect(p.frontMatter.subjects == ["Kubernetes", "Nomad"])
        #expect(p.frontMatter.slug == "kubernetes-vs-nomad")
        #expect(p.frontMatter.title == "Kubernetes \(joiner) Nomad for Platform Teams")
    }

    /// A question or headline that says it compares two things joined by "and" ("the difference
    /// between A and B", in other languages too) names its subjects as a "vs" does: it is the
    /// title, though a Q&A site's menus come first.
    @Test(arguments: [
        ("What is the difference between curl and wget?", ["curl", "wget"]),
        ("Qual é a diferença entre o MongoDB e o MySQL?", ["MongoDB", "MySQL"]),
        ("Vue 和 React 有什么区别？", ["Vue", "React"]),
    ])
    func aQuestionAboutTheDifferenceNamesThePair(_ title: String, _ subjects: [String]) throws {
        let (a, b) = (subjects[0], subjects[1])
        // Deep under a site's menus, where a headline joined by "and" alone is not taken as the title.
        let menus = (1...18).map { "Menu entry \($0)" }.joined(separator: "\n")
        let text = """
        Skip to main content
        \(menus)
        \(title)
        Asked 3 years ago
        I keep reading guides about these two tools, and I cannot tell which one suits a small team better.
        \(a)
        \(a) has a long history and a large set of options that most people never touch in daily work.
        \(b)
        \(b) is newer, and its defaults are chosen for the common case, so a first run needs fewer flags.
        Our Take
        We reach for \(b) first and keep \(a) for the cases where its extra options are worth learning.
        """
        let p = try page(text)
        #expect(p.frontMatter.title == title)
        #expect(p.frontMatter.subjects == subjects)
    }

    /// "2. Templates vs JSX" under "1. Design" is a numbered section of the article, not its
    /// headline, though it joins two names with "vs".
    /// A line under the title that opens with the title's words and goes on to another sentence
    /// is the dek, not the headline again (it was dropped: neither dek nor text, without a word).
    @Test func aDekThatOpensWithTheTitlesWordsIsKept() throws {
        let p = try page("MySQL or PostgreSQL\n\nMySQL or PostgreSQL? That question comes up a lot.\n\nReplication\nMySQL replicates with binlogs and PostgreSQL streams its write-ahead log to standbys.\n")
        #expect(p.leadMarkdown.contains("That question comes up a lot."), "\(p.leadMarkdown)")
        // The headline repeated, with a question of its own and no second sentence, is still an echo.
        let echo = try page("MySQL or PostgreSQL\n\nMySQL or PostgreSQL: Which One Should You Pick?\n\nReplication\nMySQL replicates with binlogs and PostgreSQL streams its write-ahead log to standbys.\n")
        #expect(!echo.leadMarkdown.contains("Which One"), "\(echo.leadMarkdown)")
    }

    @Test func aNumberedSectionIsNotTheHeadline() throws {
        let text = """
        Dev Notes
        Comparing Vue and React for a first project
        1. Design
        Vue grows with the project one piece at a time, while React leaves most choices to the libraries around it.
        2. Templates vs JSX
        Vue keeps markup in templates that read like plain HTML, and React writes the same markup inside its functions.
        3. State
        Vue tracks changes on its own, while React asks for every change to go through a setter.
        """
        let p = try page(text)
        #expect(p.frontMatter.title == "Comparing Vue and React for a first project")
        #expect(p.frontMatter.subjects == ["Vue", "React"])
        #expect(p.sections.contains { $0.heading.contains("Templates vs JSX") }, "\(p.sections.map(\.heading))")
    }

    /// A listicle's numbered points, each over paragraphs of its own before the next number, are
    /// its sections, even when they end on a colon; a list's items that follow one another stay items.
    @Test func numberedPointsWithTextOfTheirOwnAreSections() throws {
        let text = """
        Five Differences Between Git and SVN

        Both tools keep history, but they think about it in very different ways, and the gap shows up on the first day.

        1. Git is distributed, SVN is not:

        Every Git clone holds the whole history, so most work happens without a server at all.

        A central server is still common, but it is a convention rather than a requirement.

        2. Git stores snapshots, SVN stores changes:

        Git records the state of every file at each commit, while SVN keeps the differences between revisions.

        3. Git branches are cheap:

        A branch in Git is a pointer to a commit, and creating one takes no time at all.

        Things to check before you switch:
        1. the size of your binary files
        2. the habits of your team
        3. the tools around your server
        """
        let p = try page(text)
        let headings = p.sections.map(\.heading)
        for point in ["Git is distributed, SVN is not:", "Git stores snapshots, SVN stores changes:", "Git branches are cheap:"] {
            #expect(headings.contains { $0.contains(point) }, "\(point) is no section: \(headings)")
        }
        #expect(!headings.contains { $0.contains("the habits of your team") })
    }

    /// A picture's credit ("Leo Brandt/TECHWIRE", "Photo: …"), a code box's language label with its
    /// copy button ("javascript Copy code", "bash 复制代码") and a Q&A site's buttons ("Follow",
    /// "Add a comment") are the page's furniture, never headings.
    @Test func creditsCopyButtonsAndQuestionSiteButtonsAreNoHeadings() throws {
        let text = """
        Kubernetes vs Nomad for Platform Teams
        Leo Brandt/TECHWIRE
        Nomad Focus
        Nomad schedules containers and plain binaries with a single small binary and very little ceremony.
        bash Copy code
        nomad job run web.nomad
        Photo: Mara Quist
        Our Take
        We recommend starting with the simpler scheduler and moving only when the team has outgrown it.
        Follow
        Add a comment
        Under the Hood
        Kubernetes reconciles declared state through controllers, while Nomad evaluates jobs against a plan queue.
        javascript 代码解读复制代码
        const plan = await nomad.plan(job);
        """
        let p = try page(text)
        let headings = p.sections.map(\.heading)
        for furniture in ["Leo Brandt/TECHWIRE", "Copy code", "Photo: Mara Quist", "Follow", "Add a comment", "代码解读复制代码"] {
            #expect(!headings.contains { $0.contains(furniture) }, "\(furniture) read as a heading: \(headings)")
        }
        #expect(headings.contains("Our Take") && headings.contains("Under the Hood"), "\(headings)")
    }

    /// A button in another language ("Saiba mais", "Fale conosco", "En savoir plus") is no heading.
    @Test func buttonsInOtherLanguagesAreNoHeadings() throws {
        let text = """
        Kubernetes vs Nomad for Platform Teams
        Nomad Focus
        Nomad schedules containers and plain binaries with a single small binary and very little ceremony.
        Saiba mais
        Our Take
        We recommend starting with the simpler scheduler and moving only when the team has outgrown it.
        En savoir plus
        Under the Hood
        Kubernetes reconciles declared state through controllers, while Nomad evaluates jobs against a plan queue.
        Fale conosco
        Mehr erfahren
        """
        let p = try page(text)
        let headings = p.sections.map(\.heading)
        for button in ["Saiba mais", "En savoir plus", "Fale conosco", "Mehr erfahren"] {
            #expect(!headings.contains(button), "\(button) read as a heading: \(headings)")
        }
        #expect(headings.contains("Our Take") && headings.contains("Under the Hood"), "\(headings)")
    }

    /// After the author card (the by-line's name again, once the article has run) comes the
    /// page's furniture: a publisher's "why trust us" box is no section of the article.
    @Test func whatFollowsTheAuthorCardIsThePagesNotTheArticles() throws {
        let text = """
        Gadget Weekly
        Reviews
        Deals
        Pixel 9 vs Galaxy S25: How Do They Compare?
        Two flagship phones, one decision: here is where each one pulls ahead.
        Mara Quinlan
        Mobile Editor
        March 3, 2026
        Google and Samsung both refreshed their flagships this spring, and the two phones land at nearly the same price.
        We spent a week with each of them to see where the differences really show up in daily use.
        The Pixel 9 has the better camera
        Its main sensor pulls more detail out of dim rooms, and the processing keeps skin tones natural even under street lights.
        The Galaxy S25 has the brighter screen
        Samsung's panel reaches a higher peak brightness, which helps outdoors, and its refresh rate drops lower to save power.
        Early verdict
        Pick the Pixel for photos and the Galaxy for its display and its longer promise of updates on the same hardware.
        Mara Quinlan
        Mobile Editor
        Mara has reviewed phones and wearables for eight years and still carries two of each in her bag.
        Why trust our reviews?
        Every phone we review is bought or borrowed and used for a full week before we write a word about it.
        Our testing lab measures screens and batteries with the same tools for every model, so the numbers compare.
        © 2026 Gadget Weekly. All rights reserved.
        """
        let (page, diagnostics) = normalise(text)
        let p = try #require(page)
        // It may be wrong: the text it left out is named.
        #expect(diagnostics.contains { $0.severity == .warning && $0.line == 21 && $0.message.contains("after the author card (line 17)") }, "\(diagnostics)")
        let headings = p.sections.map(\.heading)
        #expect(headings == ["The Pixel 9 has the better camera", "The Galaxy S25 has the brighter screen", "Early verdict"], "\(headings)")
        #expect(!p.sections.contains { $0.markdown.contains("Every phone we review") })
    }

    /// A title joining its names with "and" or "or" is found under a long menu, and a lower-case
    /// name counts when the text pairs it with the other name again ("GNU Screen and tmux").
    @Test func aPairJoinedByOrUnderALongMenuIsTheTitle() throws {
        let menu = (1...18).map { "Menu item \($0)" }.joined(separator: "\n")
        let text = menu + """

        GNU Screen or tmux?
        By Megan Tully
        Spend enough hours in a terminal and you will meet a multiplexer: GNU Screen and tmux are the two most people use.
        Readers told us why they stay with tmux or with GNU Screen, and what keeps them loyal after years of use.
        Sessions
        Both keep a session alive when the connection drops, and tmux adds panes that split the window without extra setup.
        """
        let p = try page(text)
        #expect(p.frontMatter.title == "GNU Screen or tmux?")
        #expect(p.frontMatter.subjects == ["GNU Screen", "tmux"])
        // Said once, a lower-case word is no name: "Kubernetes or bust" compares nothing.
        let bust = normalise("Kubernetes or bust?\nWe moved every service in a quarter and learned a lot about our own habits along the way.\nWhat went well\nThe migration itself was quiet; the surprises came from the tooling around it, not the cluster.\n")
        #expect(bust.0 == nil)
    }

    /// A table of contents copied above the headline (a wiki's) lists the sections: an entry there
    /// that a later heading repeats is not the title, and "Heading[edit]" is a heading without its link.
    @Test func aTableOfContentsAboveTheTitleIsNoTitle() throws {
        let text = """
        Contents
        1 Design aims
        2 Language features
        2.1 Syntax
        2.2 Templates vs. generics
        3 Performance
        Comparison of Java and C++
        Article
        Talk
        From Wikipedia, the free encyclopedia
        Java and C++ are two object-oriented languages that are often compared, and Java's syntax was based on C++.
        Design aims[edit]
        C++ was designed for systems programming; Java was created to support network computing on a virtual machine.
        Language features[edit]
        Syntax[edit]
        Java has a context-free grammar that a simple parser can read; C++ does not, which makes its tools harder to write.
        Templates vs. generics[edit]
        C++ templates are expanded for each type at compile time, while Java generics are checked and then erased.
        Performance[edit]
        Compiled Java code can be as fast as C++ for many tasks, though start-up and memory use are usually higher.
        """
        let p = try page(text)
        #expect(p.frontMatter.title == "Comparison of Java and C++")
        #expect(p.frontMatter.subjects == ["Java", "C++"])
        let headings = p.sections.map(\.heading)
        #expect(headings.contains("Templates vs. generics") && headings.contains("Design aims"), "\(headings)")
        #expect(!headings.contains { $0.contains("[edit]") }, "\(headings)")
    }

    /// "[Date Prev][Date Next][Thread Index]": a mail archive's links are a menu, not the first
    /// line of a paragraph that swallows the subject line under it.
    @Test func bracketedLinksAreAMenu() throws {
        let text = """
        The Mail Archive
        tmux-users
        [Date Prev][Date Next][Thread Prev][Thread Next][Date Index][Thread Index]
        Re: tmux vs. screen
        Rowan Pike
        Tue, 14 Apr 2015 09:41:27 -0700
        Both are perfectly good multiplexers, and for what most people do with
        them either one will serve you fine. There are real differences, though,
        and they pushed me from screen to tmux after ten years of daily use.
        The code of screen is old and hard to change; tmux was far easier to
        read, and its client and server model made scripting it simple.
        """
        let p = try page(text)
        #expect(p.frontMatter.title == "Re: tmux vs. screen")
        #expect(p.frontMatter.subjects == ["tmux", "screen"])
    }

    /// An affiliate disclosure under the headline is the page's, not the article's first words.
    @Test func anAffiliateDisclosureIsNoDescription() throws {
        let text = """
        Galaxy S24 vs iPhone 15: Which Phone Should You Buy?
        By Jane Doe
        We may earn a commission if you make a purchase from the links on this page.
        The two phones cost about the same, so the choice comes down to the screen, the cameras and the software.
        Display
        The Galaxy S24 has the brighter panel and a faster refresh rate, which shows when scrolling outdoors.
        Cameras
        The iPhone 15 keeps colours more natural, while the Galaxy adds a telephoto lens for distant subjects.
        """
        let p = try page(text)
        #expect(p.frontMatter.description.hasPrefix("The two phones"), "\(p.frontMatter.description)")
        #expect(!p.sections.contains { $0.markdown.contains("commission") })
    }

    /// A shop's deal cards between the sections ("Save $60 at Amazon", "Buy at Amazon") are ads.
    @Test func dealCardsAreNoSections() throws {
        let text = """
        Galaxy S24 vs iPhone 15: Which Phone Should You Buy?
        By Jane Doe
        The two phones cost about the same, so the choice comes down to the screen, the cameras and the software.
        Galaxy S24, 256GB: Save $60 at Amazon
        The Galaxy S24 with 256GB of storage is discounted in every launch colour this week.
        Buy at Amazon
        iPhone 15: up to $830 off with trade-in
        Trade in an eligible device and get the iPhone 15 for much less on a new plan.
        Buy at Verizon
        Display
        The Galaxy S24 has the brighter panel and a faster refresh rate, which shows when scrolling outdoors.
        Cameras
        The iPhone 15 keeps colours more natural, while the Galaxy adds a telephoto lens for distant subjects.
        """
        let p = try page(text)
        #expect(p.sections.map(\.heading) == ["Display", "Cameras"], "\(p.sections.map(\.heading))")
    }

    /// "Next »" and the next post's title under the article are the blog's navigation.
    @Test func nextPostLinksAfterTheArticleAreNoSection() throws {
        let text = """
        Kubernetes vs Nomad: Scheduling Latency Under Load
        March 2, 2026 · 9 min
        We pushed both schedulers to a thousand jobs a minute and measured how long each took to place them.
        Setup
        Three control-plane nodes and forty workers ran each scheduler in turn, on the same hardware and network.
        Results
        Nomad placed jobs in a third of the time at every load we tried, and its tail stayed flat past the busiest minute.
        Conclusion
        For bursty batch work the lighter scheduler wins; for long-running services the gap matters much less.
        Next »
        Kubernetes vs Nomad: Upgrades Without Downtime
        """
        let p = try page(text)
        #expect(p.sections.map(\.heading) == ["Setup", "Results", "Conclusion"], "\(p.sections.map(\.heading))")
        #expect(!p.sections.contains { $0.markdown.contains("Next") || $0.markdown.contains("Upgrades Without Downtime") })
    }

    /// A table copied with tabs right under a code block starts where its rows do: its header
    /// row is the table's, not the code's last line.
    @Test func aTableRightUnderCodeKeepsItsHeaderRow() throws {
        let text = """
        Kafka vs Pulsar: Producer Throughput
        We measured how many messages each broker accepts per second from one producer.
        Producer throughput
        The producer sends fixed-size messages as fast as acknowledgements allow, with batching on:
        Flux.range(0, messageCount)
            .flatMap(i -> sender.send(payload(i)), 256)
            .blockLast();
        Message size\tKafka (msg/s)\tPulsar (msg/s)
        100 B\t1,210,000\t980,000
        1 KB\t640,000\t590,000
        10 KB\t88,000\t91,000
        Kafka leads with small messages; at ten kilobytes the two brokers are level, because the disks are the limit.
        """
        let p = try page(text)
        let tables = p.sections.flatMap(\.blocks).compactMap { b -> Table? in if case .table(let t) = b { return t } else { return nil } }
        #expect(tables.count == 1)
        #expect(tables.first?.header == ["Message size", "Kafka (msg/s)", "Pulsar (msg/s)"], "\(tables)")
        #expect(tables.first?.rows.count == 3)
        #expect(!p.sections.flatMap(\.blocks).contains { if case .markdown(let m) = $0 { m.contains("```") && m.contains("Message size") } else { false } })
    }

    /// Commands with flags under a line that introduces them ("…looks like this:") are code,
    /// even when the command is not one the reader knows by name.
    @Test func flaggedCommandsUnderAColonAreCode() throws {
        let text = """
        GNU Screen vs Tmux: Sessions That Survive
        Both keep a shell alive after you disconnect, and both name their sessions.
        Command syntax
        Starting a named session and coming back to it later looks like this in Screen:
        screen -S work
        screen -r work
        And like this in Tmux:
        tmux new -s work
        tmux attach -t work
        What this book covers
        The next chapters walk through panes, configuration, copy mode and scripting for both tools in turn.
        """
        let p = try page(text)
        #expect(p.sections.map(\.heading) == ["Command syntax", "What this book covers"], "\(p.sections.map(\.heading))")
        let markdown = p.sections.map(\.markdown).joined(separator: "\n")
        #expect(markdown.components(separatedBy: "```").count - 1 == 4, "\(markdown)")
    }

    // MARK: Subject names

    @Test(arguments: [
        ("Amazon ECS", "Google Pub/Sub", "amazon-ecs-vs-google-pub-sub"),
        ("Node.js", "Deno 2", "node-js-vs-deno-2"),
        ("C++", "Rust", "c-plus-plus-vs-rust"),
        ("C#", "F#", "c-sharp-vs-f-sharp"),
        ("1Password", "Bitwarden", "1password-vs-bitwarden"),
        ("Zürich Cloud", "Øresund DB", "zurich-cloud-vs-oresund-db"),
        ("Ruby on Rails", "Django", "ruby-on-rails-vs-django"),
        ("Москва Cloud", "AWS", "moskva-cloud-vs-aws"),
        ("AT&T", "Verizon", "at-and-t-vs-verizon"),
    ])
    func subjectNames(_ left: String, _ right: String, _ slug: String) throws {
        let text = "\(left) vs \(right)\n\(left) vs \(right) for Enterprise Teams\n\(left) Focus\n\(left) is one of the two options compared here, and it has a loyal following among operators.\nThe Technical Breakdown\n\(left) and \(right) differ in architecture, API design and the operational cost of running them at scale.\n"
        let p = try page(text)
        #expect(p.frontMatter.subjects == [left, right])
        #expect(p.frontMatter.slug == slug)
    }

    @Test func subjectsFoundInsideALongerTitle() throws {
        // No bare pair line: the subjects must be found inside the title and description.
        let p = try page("""
        🚀

        Why Platform Teams Regret Picking Kubernetes or Nomad Too Early | Infra Weekly

        A frank look at Kubernetes vs Nomad for teams under fifty engineers, and where each one quietly costs you.

        Kubernetes Focus

        Kubernetes brings an enormous ecosystem, and with it an enormous surface to secure and upgrade.

        Nomad Focus

        Nomad keeps the moving parts few, which is exactly what small platform teams need most.
        """)
        #expect(p.frontMatter.subjects == ["Kubernetes", "Nomad"])
        #expect(p.frontMatter.title == "Why Platform Teams Regret Picking Kubernetes or Nomad Too Early")
        #expect(p.frontMatter.description.hasPrefix("A frank look at Kubernetes vs Nomad"))
    }

    @Test func multiWordSubjectsRecurringInTheText() throws {
        let p = try page("""
        Choosing Ruby on Rails vs Phoenix Framework in 2025
        Ruby on Rails Focus
        Ruby on Rails favours convention over configuration, and Ruby on Rails apps start fast.
        Phoenix Framework Focus
        Phoenix Framework runs on the BEAM, and Phoenix Framework channels scale to many sockets.
        """)
        #expect(p.frontMatter.subjects == ["Ruby on Rails", "Phoenix Framework"])
    }

    /// Cases found by normalising a generated corpus of 2,000 texts.
    @Test(arguments: [
        ("🧭\n\ncontainerd vs Svelte for Enterprise Engineering | Comparison\n\ncontainerd vs Svelte compared for enterprise engineering teams: pricing, security and operations.\n\ncontainerd Focus\n\ncontainerd runs containers under Kubernetes and Docker; Svelte compiles UI components, so containerd and Svelte rarely meet.\n",
         "containerd", "Svelte"),
        ("New Relic vs Datadog\nNew Relic vs Datadog for Enterprise Engineering\nOverview\nNew Relic and Datadog both sell observability; New Relic prices by user and ingest, Datadog by host and product.\n",
         "New Relic", "Datadog"),
        ("⚖️\n\nAWS CloudFormation vs AWS CDK for Enterprise Engineering | Comparison\n\nHow AWS CloudFormation and AWS CDK differ for teams on AWS.\n\nOverview\n\nAWS CDK synthesises AWS CloudFormation templates, so AWS CDK users still debug AWS CloudFormation stacks on AWS.\n",
         "AWS CloudFormation", "AWS CDK"),
        ("Build or Buy? Kubernetes vs Nomad\nOverview\nKubernetes and Nomad can both be run yourself or bought as a managed service from a cloud vendor.\n",
         "Kubernetes", "Nomad"),
        ("Google Kubernetes Engine vs Azure Kubernetes Service for Enterprise Engineering | Comparison\nOverview\nGoogle Kubernetes Engine and Azure Kubernetes Service are the managed Kubernetes offers of two clouds.\n",
         "Google Kubernetes Engine", "Azure Kubernetes Service"),
    ])
    func subjectsFoundInCorpusLayouts(_ text: String, _ left: String, _ right: String) throws {
        let p = try page(text)
        #expect(p.frontMatter.subjects == [left, right])
    }

    // MARK: Line ends, blank lines, whitespace

    @Test func crlfAndByteOrderMark() throws {
        let text = "Kubernetes vs Nomad\nKubernetes vs Nomad for Platform Teams\n" + Self.body
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
        bytes += Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)
        let (crlf, d1) = normaliseBytes(bytes)
        let (lf, d2) = normalise(text)
        #expect(d1.isEmpty && d2.isEmpty)
        #expect(crlf == lf)
        #expect(crlf?.frontMatter.title == "Kubernetes vs Nomad for Platform Teams")
        #expect(crlf.map { !PageMarkdown.write($0).contains("\r") } == true)
    }

    @Test func blankLineRunsTrailingSpacesAndTabs() throws {
        let messy = "\n\n  Kubernetes vs Nomad   \t\nKubernetes vs Nomad for Platform Teams\t \n\n\n\nNomad Focus  \n\n\n"
            + "Nomad schedules containers and plain binaries\twith a single small binary and very little ceremony.   \n\n\n\n"
            + "Under the Hood \t\n\n"
            + "Kubernetes reconciles declared state through controllers, while Nomad evaluates jobs against a plan queue.\t\n\n\n"
        let p = try page(messy)
        #expect(p.frontMatter.title == "Kubernetes vs Nomad for Platform Teams")
        #expect(p.sections.map(\.heading) == ["Nomad Focus", "Under the Hood"])
        #expect(p.sections[0].markdown == "Nomad schedules containers and plain binaries with a single small binary and very little ceremony.")
    }

    @Test func withAndWithoutBlankLinesGiveTheSamePage() throws {
        let tight = "Kubernetes vs Nomad\nKubernetes vs Nomad for Platform Teams\n" + Self.body
        let spaced = tight.split(separator: "\n").joined(separator: "\n\n")
        // The same page, but for the line that names its subjects (the title's).
        var a = try page(tight)
        let b = try page(spaced)
        #expect(a.frontMatter.lines.subjects == 2 && b.frontMatter.lines.subjects == 3)
        a.frontMatter.lines = b.frontMatter.lines
        #expect(a == b)
    }

    @Test func hardWrappedParagraphs() throws {
        let wrapped = """
        Kubernetes vs Nomad
        Kubernetes vs Nomad for Platform Teams

        Nomad Focus

        Nomad schedules containers and plain binaries with a single small binary and
        very little ceremony. Operators tend to like it because there is less to
        upgrade and fewer moving parts to page them at night.

        It also integrates with Consul and Vault, which many teams already run for
        service discovery and secrets.

        Under the Hood

        Kubernetes reconciles declared state through controllers watching the API
        server, while Nomad evaluates jobs against a plan queue and commits them with
        Raft.
        """
        let p = try page(wrapped)
        #expect(p.sections.map(\.heading) == ["Nomad Focus", "Under the Hood"])
        #expect(p.sections[0].blocks.count == 2)
        #expect(p.sections[0].markdown.hasPrefix("Nomad schedules containers and plain binaries with a single small binary and very little ceremony. Operators"))
        #expect(p.sections[1].markdown.hasSuffix("commits them with Raft."))
    }

    @Test func hardWrappedWithoutBlankLines() throws {
        let p = try page("""
        Kubernetes vs Nomad
        Kubernetes vs Nomad for Platform Teams
        Nomad Focus
        Nomad schedules containers and plain binaries with a single small binary and
        very little ceremony, which operators like because there is less to upgrade.
        Under the Hood
        Kubernetes reconciles declared state through controllers watching the API
        server, while Nomad evaluates jobs against a plan queue and commits them.
        """)
        #expect(p.sections.map(\.heading) == ["Nomad Focus", "Under the Hood"])
        #expect(p.sections.map(\.blocks.count) == [1, 1])
    }

    // MARK: Lists, questions, bylines

    @Test func bulletLists() throws {
        let p = try page("""
        Kubernetes vs Nomad
        Kubernetes vs Nomad for Platform Teams
        Where Nomad Wins
        Nomad keeps things small:
        - one binary to install
        - no etcd to operate
        • first-class support for non-container workloads
        Under the Hood
        Kubernetes reconciles declared state through controllers, while Nomad evaluates jobs against a plan queue.
        """)
        #expect(p.sections[0].markdown == "Nomad keeps things small:\n\n- one binary to install\n- no etcd to operate\n- first-class support for non-container workloads")
        #expect(p.sections[0].blocks.count == 2)
    }

    @Test func headingsThatEndInAQuestionMark() throws {
        let p = try page("""
        Kubernetes vs Nomad
        Kubernetes vs Nomad for Platform Teams
        Which One Scales Further?
        Kubernetes scales to thousands of nodes with tuning; Nomad has been run at ten thousand nodes by its makers.
        Is Nomad Enough for You?
        For most teams under fifty engineers, yes: the scheduling model is simpler and the failure modes are fewer.
        """)
        #expect(p.sections.map(\.heading) == ["Which One Scales Further?", "Is Nomad Enough for You?"])
    }

    @Test(arguments: [
        ("Jane Doe — Staff Platform Engineer", "Jane Doe", "Staff Platform Engineer"),
        ("Written by Jane Doe", "Jane Doe", nil),
        ("Written by Jane Doe, Staff Platform Engineer", "Jane Doe", "Staff Platform Engineer"),
        ("By Ana de la Cruz – Principal Analyst", "Ana de la Cruz", "Principal Analyst"),
    ] as [(String, String, String?)])
    func bylines(_ line: String, _ name: String, _ role: String?) throws {
        let p = try page("Kubernetes vs Nomad\nKubernetes vs Nomad for Platform Teams\n" + Self.body + "\n\n" + line + "\n")
        #expect(p.frontMatter.byline?.text == line)
        #expect(p.frontMatter.byline?.name == name)
        #expect(p.frontMatter.byline?.role == role)
        #expect(!p.sections.last!.markdown.contains(name))
    }

    @Test func noBylineWhenTheLastLineIsProse() throws {
        let p = try page("Kubernetes vs Nomad\nKubernetes vs Nomad for Platform Teams\n" + Self.body)
        #expect(p.frontMatter.byline == nil)
    }

    // MARK: Punctuation and escaping

    @Test func ampersandsAngleBracketsAndSmartQuotes() throws {
        let p = try page("""
        AT&T vs Verizon
        AT&T vs Verizon: “Which <Carrier> Wins?”
        AT&T Focus
        AT&T’s network uses <VLAN> tags & “smart” routing; *not* a [link](javascript:alert(1)) or &amp; entity.
        The Technical Breakdown
        Verizon’s core runs 5G SA with slicing & edge compute, while AT&T pairs 5G NSA with fibre backhaul everywhere.
        """)
        #expect(p.frontMatter.title == "AT&T vs Verizon: “Which <Carrier> Wins?”")
        // The Markdown renders back to exactly the captured text.
        let html = CMark.html(p.sections[0].markdown, options: MarkdownOptions())
        #expect(html == "<p>AT&amp;T’s network uses &lt;VLAN&gt; tags &amp; “smart” routing; *not* a [link](javascript:alert(1)) or &amp;amp; entity.</p>\n")
    }

    // MARK: Calls to action

    @Test func pageWithoutACallToAction() throws {
        let p = try page("Kubernetes vs Nomad\nKubernetes vs Nomad for Platform Teams\n" + Self.body)
        #expect(!p.sections.contains { $0.role == .callToAction })
        #expect(p.sections.map(\.role) == [.subjectFocus, .ourPosition, .technical])
    }

    @Test(arguments: [
        ("Ready to Decide?", "Book a free 20-minute call with our platform team and get a written recommendation within a week."),
        ("Talk to an Engineer", "Contact us today: we review your cluster setup and send you a migration plan at no cost."),
        ("Get Your Free Assessment", "Request the assessment and we will benchmark both schedulers on your own workloads."),
    ])
    func callsToActionWordedDifferently(_ heading: String, _ body: String) throws {
        let p = try page("Kubernetes vs Nomad\nKubernetes vs Nomad for Platform Teams\n" + Self.body + "\n" + heading + "\n" + body + "\n")
        #expect(p.sections.last?.heading == heading)
        #expect(p.sections.last?.role == .callToAction)
        #expect(p.sections.dropLast().allSatisfy { $0.role != .callToAction })
    }

    @Test(arguments: [
        ("What Nomad Does Best", Role.subjectFocus),
        ("About Kubernetes", .subjectFocus),
        ("The Alternative", .subjectFocus),
        ("Why Choose Us", .ourPosition),
        ("Where We Stand", .ourPosition),
        ("Our Verdict", .ourPosition),
        ("Architecture Deep Dive", .technical),
        ("How They Differ Technically", .technical),
        ("Pricing and Licensing", .other),
        ("Team Skills and Hiring", .other),
        // One subject measured against the other on an aspect; "better" judges the whole choice.
        ("Nomad schedules jobs faster", .technical),
        ("Kubernetes has the larger ecosystem", .technical),
        ("When Nomad is still the better choice", .subjectFocus),
    ])
    func rolesByMeaning(_ heading: String, _ role: Role) throws {
        let input = RoleClassifier.Input(heading: heading, paragraphs: ["Both tools have their place, and the right one depends on the team."],
                                         subjects: ["Kubernetes", "Nomad"], index: 1, count: 4)
        #expect(RoleClassifier.classify(input) == role)
    }

    /// Learning curve and community as a Portuguese page names them: not technical, though the
    /// page compares two frameworks section by section.
    @Test func rolesByMeaningInOtherLanguages() throws {
        let p = try page("""
        Angular vs React: qual escolher em 2024?
        Angular e React são as duas opções mais usadas para criar interfaces web, e cada uma parte de uma ideia diferente.
        Arquitetura
        O Angular é um framework completo com injeção de dependências, roteamento e formulários; o React é uma biblioteca de componentes.
        Curva de Aprendizado
        Quem chega ao Angular precisa aprender TypeScript, decorators e RxJS antes de se sentir produtivo; no React basta JavaScript.
        Desempenho
        Os dois renderizam rápido; o React usa um DOM virtual e o Angular detecta mudanças com zonas ou sinais.
        Comunidade e Ecossistema
        O React tem mais bibliotecas de terceiros, enquanto o Angular traz quase tudo de fábrica e mantém um guia oficial.
        Considerações finais
        Para equipes grandes que querem convenções, Angular; para quem quer liberdade de escolha, React.
        """)
        let roles = Dictionary(uniqueKeysWithValues: p.sections.map { ($0.heading, $0.role) })
        #expect(roles["Curva de Aprendizado"] == .other, "\(roles)")
        #expect(roles["Comunidade e Ecossistema"] == .other, "\(roles)")
        #expect(roles["Arquitetura"] == .technical && roles["Desempenho"] == .technical, "\(roles)")
    }

    /// Roles a reader takes from the body when the heading says little or misleads.
    @Test(arguments: [
        // How the subjects came to be is history, whatever the heading says about comparing.
        ("Primary Sides of Comparison", 1, "Kubernetes came out of Google's Borg work; it started as an internal idea and has since become the default. Nomad was originally a side project of HashiCorp engineers.", Role.other),
        // The first section speaking of the article itself introduces it.
        ("The Infrastructure of Modern Scheduling", 0, "Schedulers are no longer toys. Kubernetes and Nomad start from opposite ends. This piece is for engineers who care about operations.", .other),
        // …but a short aspect heading stays the aspect.
        ("Architecture", 0, "In this article we look at how Kubernetes and Nomad split the control plane, the scheduler and the agents.", .technical),
        // Looking back, in the first person: the publisher on its own choice.
        ("Looking back after two years", 2, "We have never regretted the decision. Today our teams run everything on Nomad and we retired the old cluster.", .ourPosition),
        // An uncued heading over a body about one subject only.
        ("The polling problem", 1, "Nomad never pushes work to a waiting client. The client has to keep asking, and each hop adds its own wait.", .subjectFocus),
        // Advice to the reader with nothing offered is no call to action.
        ("Don't make a tool your identity", 3, "The two tools answer different questions. Let's stop tying ourselves to one and pick what fits the job.", .other),
    ])
    func rolesFromTheBody(_ heading: String, _ index: Int, _ body: String, _ role: Role) throws {
        let input = RoleClassifier.Input(heading: heading, paragraphs: [body], subjects: ["Kubernetes", "Nomad"], index: index, count: 4)
        #expect(RoleClassifier.classify(input) == role)
    }

    /// The classifier's words: the same words, openers and possessives whether the text is
    /// ASCII (read in place) or not (read by scalar), and cue sets that hold exactly their words.
    @Test func phrasesReadTheSameWordsWhateverTheirScript() {
        let ascii = Phrase("Why We Chose C++ over Rust's API. It's -fast- and... DONE! Next?")
        let wide = Phrase("Why We Chose C++ over Rust’s API. It's -fast- and... DONE! Next? Zürich")
        #expect(ascii.words == ["why", "we", "chose", "c++", "over", "rust's", "api", "it's", "fast", "and", "done", "next"])
        #expect(Array(wide.words.dropLast()) == ascii.words)
        #expect(wide.words.last == "zürich")
        #expect(Array(wide.hashes.dropLast()) == ascii.hashes)
        #expect(ascii.hashes == ascii.words.map(Phrase.hash))
        #expect(ascii.openers == wide.openers.filter { $0 < ascii.hashes.count })
        #expect(ascii.openers == [0, 7, 10, 11])   // the first word, after "API.", after "DONE!", after "Next?"
        #expect(ascii.possessives == [5, 7] && wide.possessives == [5, 7])
        let cues = WordSet(words: ["we", "our", "vs.", "c++"])
        for word in ["we", "our", "vs.", "c++"] { #expect(cues.contains(Phrase.hash(word))) }
        for word in ["us", "vs", "c", "", "ours"] { #expect(!cues.contains(Phrase.hash(word))) }
        // Words hashed eight bytes at a time in place (capitals lower-cased eight at a time,
        // a word at the end of the text read byte by byte) hash as their lower-cased bytes do,
        // whatever their length; and words of different lengths or letters differ.
        let long: [String] = (1...20).map { (n: Int) -> String in
            String(decoding: (0..<n).map { (i: Int) -> UInt8 in UInt8(65 + (i * 7 + n) % 26) }, as: UTF8.self)
        }
        for text in [long.joined(separator: " "), long.reversed().joined(separator: ", "), long.joined(separator: " ") + " Zürich"] {
            let phrase = Phrase(text)
            #expect(phrase.hashes == phrase.words.map(Phrase.hash), "\(text)")
            let words = phrase.words.filter { $0 != "zürich" }
            let forward: [String] = long.map { $0.lowercased() }
            #expect(words == forward || words == Array(forward.reversed()))
        }
        let short: [String] = ["a", "aa", "a.b", "ab", "ba", "abcdefgh", "abcdefghi"]
        var hashes: [UInt64] = long.map { (word: String) -> UInt64 in Phrase.hash(word.lowercased()) }
        hashes += short.map { (word: String) -> UInt64 in Phrase.hash(word) }
        #expect(Set(hashes).count == hashes.count)
        #expect(Phrase("e.g. Done").openers == [0] && Phrase("Done. Next").openers == [0, 1])
    }

    // MARK: Rejections

    @Test func emptyFile() {
        let (page, d) = normalise("", path: "empty.txt")
        #expect(page == nil)
        #expect(d.map(\.description) == ["content/empty.txt: error: file is empty; expected a comparison text or a Markdown page"])
    }

    @Test func whitespaceOnlyFile() {
        let (page, d) = normalise(" \n\t\n   \r\n", path: "blank.txt")
        #expect(page == nil)
        #expect(d.map(\.description) == ["content/blank.txt: error: file contains only whitespace; expected a comparison text"])
    }

    @Test func invalidUTF8() {
        var bytes = Array("Kubernetes vs Nomad\nKubernetes vs Nomad for Teams\nNomad Focus\n".utf8)
        bytes += [0x4E, 0x6F, 0xFF, 0xFE, 0x0A]
        let (page, d) = normaliseBytes(bytes, path: "latin1.txt")
        #expect(page == nil)
        #expect(d.count == 1)
        #expect(d.first?.description.hasPrefix("content/latin1.txt:4: error: file is not valid UTF-8") == true)
    }

    @Test func noPairAnywhere() {
        let (page, d) = normalise("""
        Choosing a Container Platform
        What Matters
        The right platform depends on the size of the team and the workloads it runs.
        Our Advice
        Start small, measure, and move only when the measurements tell you to.
        """, path: "nopair.txt")
        #expect(page == nil)
        #expect(d.map(\.description) == ["content/nopair.txt:1: error: no comparison found: no line names two subjects joined by 'vs', 'versus', 'or' or 'compared to'"])
    }

    @Test func titleButNoSections() {
        let (page, d) = normalise("Kubernetes vs Nomad\nKubernetes vs Nomad for Platform Teams\n", path: "title-only.txt")
        #expect(page == nil)
        #expect(d.map(\.description) == ["content/title-only.txt:2: error: 'Kubernetes vs Nomad for Platform Teams' has a title but no sections: expected a heading line followed by at least one paragraph"])
    }

    @Test func binaryGarbageDoesNotCrash() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let bytes = (0..<Int.random(in: 0..<400, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = normaliseBytes(bytes)
            let text = String((0..<Int.random(in: 0..<300, using: &generator)).map { _ in "ab vs\n .?-•—|:#*<>&\r\t".randomElement(using: &generator)! })
            _ = normalise(text)
        }
    }
}
