import Foundation

/// Gives a section its role from what it says, not from a list of known headings.
///
/// Each role collects points from cues in the heading (strong) and the body
/// (weak); the highest score wins, and a section with no clear cue is `other`.
/// Cues are phrases, matched on whole words. A page's sections are classified
/// together, so a "Pros" under "Datadog" is about Datadog too.
enum RoleClassifier {
    struct Input {
        var heading: String
        /// The body as plain text, one string per paragraph or list item.
        var paragraphs: [String]
        var subjects: [String]
        var index: Int
        var count: Int
        /// Tables and code blocks in the section: what it holds besides prose.
        var tables: Int = 0
        var codeBlocks: Int = 0
        /// Tables whose header names the subjects (a comparison table).
        var comparisonTables: Int = 0
        /// The site's own names ("Timescale", "Teravolt Digital"): sections about them speak for the publisher.
        var publishers: [String] = []
        /// The page is an architecture decision record ("Context", "Decision", "Consequences").
        var decisionRecord = false
        /// The headline speaks in the first person ("Why we chose Nomad over Kubernetes"): the page tells the publisher's own story.
        var firstPersonPage = false
        /// The subjects' and publishers' words, worked out once per page (`classifyAll`).
        var publisherWords: [[String]]?
        var subjectPhrases: [Phrase]?

        init(heading: String, paragraphs: [String], subjects: [String], index: Int, count: Int) {
            self.heading = heading
            self.paragraphs = paragraphs
            self.subjects = subjects
            self.index = index
            self.count = count
        }
    }

    // MARK: Lexicon

    /// Verbs that open an offer or an instruction to the reader.
    static let offerVerbs: Set<String> = [
        "get", "book", "schedule", "start", "try", "talk", "contact", "request", "claim", "download",
        "join", "subscribe", "sign", "stop", "need", "want", "ready", "let's", "lets", "discover",
        "calculate", "unlock", "call", "email", "hire", "speak", "chat", "grab", "reserve",
        "apply", "register", "reach", "ask", "don't", "dont", "unsure", "curious", "interested",
        "learn", "master", "cut", "put", "monitor", "save", "boost", "looking", "precisa", "quer", "agende",
        // Russian and Polish imperatives ("Научитесь…", "Запишитесь…", "Zapisz się…").
        "научитесь", "запишитесь", "попробуйте", "получите", "закажите", "zapisz", "sprawdź", "pobierz", "kup",
    ]
    static let offerPhrases: [String] = [
        "free", "demo", "trial", "consultation", "consult", "call to action", "next step", "next steps",
        "get started", "contact us", "work with us", "book a", "talk to", "expert", "quote", "pricing call",
        "assessment", "evaluation", "diagnostic", "sign up", "get in touch", "reach out", "learn more", "estimate",
        "partner", "help", "go deeper", "ajuda", "grátis", "gratuito", "try", "start",
    ]
    static let offerBodyCues: [String] = [
        "book", "schedule", "contact", "a call", "call us", "email us", "demo", "free", "trial", "consultation",
        "evaluation", "sign up", "get in touch", "reach out", "calculate",
        "diagnostic", "assessment", "offer", "workshop", "sign-up", "30-minute", "15-minute", "20-minute",
        "i tell you", "we tell you", "you describe", "no obligation", "estimate", "quote", "course", "cohort",
        "enroll", "students", "no credit card", "agende", "gratuita", "gratuito", "especialista", "análise",
        "send us", "tell us", "free of charge", "fixed-price", "audit", "talk to", "talk with", "create a", "get started",
        "sign in", "register", "download",
        // Offers as French, Spanish, Italian and German pages make them.
        "rendez-vous", "parlez-nous", "contactez-nous", "devis", "essai gratuit", "contáctanos", "prueba gratis",
        "contattaci", "prova gratuita", "kontaktieren sie uns", "termin vereinbaren", "kostenlos testen",
        // Russian and Polish.
        "курс", "записаться", "бесплатн", "kurs", "zapisz się", "bezpłatn",
    ]
    /// Words that go with an offer but make none on their own.
    static let weakOfferCues: [String] = ["minute", "minutes", "today", "click", "now"]
    /// Sentence openers that ask the reader to act on an offer.
    static let imperativeOpeners: Set<String> = [
        "use", "book", "get", "contact", "schedule", "don't", "dont", "stop", "try", "talk",
        "request", "let's", "call", "email", "download", "sign", "join", "claim", "reach", "ask",
        "grab", "reserve", "apply", "register", "send", "tell", "start", "spin", "install", "create", "master", "agende",
        "parlez-nous", "contactez-nous", "réservez", "demandez", "contáctanos", "reserva", "solicita", "contattaci", "prenota",
        "richiedi", "kontaktieren", "vereinbaren", "buchen",
    ]
    static let firstPerson: Set<String> = ["our", "we", "my", "i", "we're", "we've", "i'm", "we'd", "i'd", "nossa", "nosso", "nós",
                                           "notre", "nos", "nous", "nuestra", "nuestro", "nuestras", "nuestros", "nosotros",
                                           "nostra", "nostro", "noi", "unser", "unsere", "unserer", "wir"]
    static let usWords: Set<String> = ["us"]
    static let ourPhrases: [String] = [
        "why choose us", "why us", "our take", "where we stand", "the case for", "our approach", "our advantage",
        "how we", "what we",
    ]
    static let decisionWords: [String] = ["decision", "decisions", "reasoning", "consequences", "result", "results", "outcome", "rationale"]
    static let strongTechnical: [String] = [
        "technical", "technically", "technology", "architecture", "architectural", "breakdown", "técnico", "técnica",
        "distinction", "deep dive", "under the hood", "internals", "how it works", "how they work",
        "implementation", "differences", "difference", "differ", "head to head", "head-to-head",
        "specs", "comparison", "compare", "compared", "specifications", "mechanics", "side by side", "side-by-side",
        "similarities", "in common", "comparativo", "matrix", "arquitectura", "arquitetura", "architektur",
        "comparación", "comparação", "comparaison", "vergleich", "diferencias", "diferenças", "différences", "unterschiede",
        // How a product is designed and built.
        "design philosophy", "development philosophy", "product philosophy", "philosophie de développement",
        "philosophie de conception", "filosofía de diseño", "filosofía de desarrollo", "filosofia de design",
        "filosofia di sviluppo", "entwicklungsphilosophie", "designphilosophie",
        // A paper's measurements of the two.
        "experimental evaluation", "empirical evaluation", "performance evaluation", "experimental results",
        // Polish, Russian and Vietnamese.
        "porównanie", "tabela porównawcza", "architektura", "różnice", "сравнение", "сравнительная таблица", "архитектура",
        "различия", "отличия", "so sánh", "kiến trúc", "khác biệt", "производительность", "репликация", "транзакции",
        "безопасность", "масштабирование", "wydajność", "bezpieczeństwo", "skalowalność", "hiệu năng", "bảo mật",
    ]
    static let weakTechnical: [String] = [
        "performance", "design", "features", "feature", "capabilities", "functionality", "stack", "infrastructure",
        "scalability", "scaling", "scale", "security", "integration", "integrations", "benchmark", "benchmarks",
        "protocol", "protocols", "api", "apis", "sdk", "latency", "throughput", "data model", "compatibility",
        "reliability", "availability", "durability", "compliance", "authentication", "auth", "authorization",
        "permissions", "encryption", "storage", "memory", "concurrency", "threads", "threading", "networking",
        "network", "deployment", "deploy", "deploying", "hosting", "operations", "operational", "management",
        "administration", "maintenance", "monitoring", "observability", "configuration", "config", "setup",
        "installation", "tooling", "cli", "developer experience", "dx", "workflow", "workflows", "automation",
        "automations", "pipeline", "pipelines", "runners", "build", "builds", "parallelization", "caching", "cache",
        "replication", "sharding", "consistency", "transactions", "acid", "extensibility", "plugin", "plugins",
        "extensions", "ecosystem", "marketplace", "syntax", "type-safe", "types", "typing", "runtime", "runtimes",
        "garbage collection", "compilation", "compiler", "bundle", "rendering", "reactivity", "state", "components",
        "templates", "templating", "routing", "router", "routes", "data loading", "mutations", "models", "controllers",
        "migrations", "migration", "migrating", "converting", "testing", "debugging", "error handling", "exceptions",
        "properties", "platform support", "portability", "offline", "real-time", "realtime", "sync", "hardware",
        "processing", "subscription", "checkout", "tax", "vat", "disputes", "chargebacks", "deliverability", "forms",
        "landing pages", "tags", "tagging", "segments", "keyboard", "speed", "keys", "parameters", "training",
        "reasoning", "coding", "context window", "long-context", "refactoring", "agentic", "autonomy", "edits",
        "codebase", "optimisation", "optimization", "cold starts", "edge", "functions", "serverless", "organization",
        "organisation", "ownership", "customization", "customisation", "load balancing", "connection", "connections",
        "schema", "schemas", "query", "queries", "querying", "limitations", "engine", "engines", "indexing",
        "self-hosting", "compute", "payment methods", "methodologies", "tasks", "support", "configurations", "binding",
        "machine learning", "modularity", "reusability", "maintainability", "readability", "on-call", "data support",
        "data integrity", "data ownership", "memory safety", "database", "databases", "data fetching", "fetching",
        "parallel", "execution", "benchmarking", "methodology", "payments", "recurring", "currencies", "mobile",
        "developer tools", "cardinality", "dataset", "datasets", "webhook", "webhooks", "at a glance",
        "persistence", "data structures", "data types", "eviction", "clustering", "high availability",
        "failover", "backup", "backups", "recovery", "logging", "metrics", "tracing", "alerting", "dashboards",
        "language support", "languages", "browser support", "cross-browser", "accessibility", "internationalization",
        "localization", "analytics", "reporting", "roles", "sso", "rbac", "audit", "isolation", "sandboxing",
        "containers", "orchestration", "cdn", "dns", "ssl", "regions", "uptime", "versioning", "rollbacks", "previews",
        "environment variables", "secrets", "state management", "hooks", "type safety", "hot reload", "build times",
        "bundle size", "project structure", "data modeling", "data modelling", "relationships", "joins", "aggregations",
        "full-text search", "vector search", "embeddings", "inference", "fine-tuning", "rate limits", "quotas",
        "rendimiento", "desempenho", "rendimento", "seguridad", "segurança", "escalabilidad", "escalabilidade",
        "performances", "sécurité", "évolutivité", "leistung", "sicherheit", "skalierbarkeit", "funcionalidades",
        "características", "fonctionnalités", "funktionen", "integraciones", "integrações", "intégrations",
        "sintaxis", "sintaxe", "syntaxe", "sintassi", "tipado", "tipagem", "typage", "tipizzazione", "typisierung",
        // Devices compared on their parts.
        "display", "displays", "screen", "screens", "battery", "battery life", "camera", "cameras", "processor",
        "chip", "chipset", "cpu", "gpu", "ram", "operating system", "connectivity", "charging", "build quality",
        "sensors", "audio", "speakers", "resolution", "refresh rate", "dimensions", "file formats", "format support",
        "pantalla", "batería", "cámara", "écran", "batterie", "appareil photo", "bildschirm", "akku", "kamera",
    ]
    static let otherTopics: [String] = [
        "learning curve", "learning resources", "ease of use", "customer support", "interview", "short version", "use case", "use cases", "history", "historical", "origins", "emergence",
        "background", "takeaway", "takeaways", "questions", "popularity", "choose", "choosing", "which", "pick", "who should", "who is it for",
        "who this is for", "landscape", "reflection", "trade-offs", "tradeoffs", "lessons", "scenario", "challenge",
        "goals", "candidates", "winner", "lock-in", "lineage", "fundamentals", "definition", "quick answer",
        "short answer", "value", "budget", "plans", "hiring", "talent", "market", "adoption", "future", "roadmap",
        "checklist", "quiz", "community", "introdução", "conclusão", "visão geral", "resumo",
        "społeczność", "сообщество", "документация", "история", "что выбрать", "какой выбрать", "cộng đồng", "lịch sử",
        // The same topics in the other languages pages are written in.
        "curva de aprendizado", "curva de aprendizaje", "courbe d'apprentissage", "curva di apprendimento", "lernkurve",
        "comunidade", "comunidad", "communauté", "comunità", "historia", "história", "histoire", "geschichte",
        "casos de uso", "cas d'usage", "anwendungsfälle", "anwendungsbereiche", "qual escolher", "cuál elegir",
        "lequel choisir", "quale scegliere", "welches", "facilidade de uso", "facilidad de uso", "facilité d'utilisation",
        "benutzerfreundlichkeit",
        // The job market for the subjects' developers, as French, Spanish, Portuguese, Italian and German pages name it.
        "marché de l'emploi", "recrutement", "mercado laboral", "mercado de trabalho", "mercato del lavoro", "arbeitsmarkt",
        "vendor", "recommendations", "recommendation", "philosophy", "philosophies", "shifted", "evolved", "evolution",
    ]
    /// Price and cost outweigh any technical word in the same heading.
    static let moneyTopics: [String] = [
        "pricing", "price", "prices", "cost", "costs", "licensing", "license", "licence", "licenses", "fees",
        "custos", "preço", "preços", "cost of ownership", "tco", "precios", "precio", "coste", "costes", "costo", "costos",
        "tarifs", "prix", "coût", "coûts", "preise", "kosten", "licencia", "licença",
    ]
    static let technicalVocabulary: [String] = [
        "api", "protocol", "latency", "throughput", "kernel", "consensus", "database", "cluster",
        "deployment", "runtime", "architecture", "control plane", "network", "networking", "state",
        "distributed", "container", "orchestration", "compute", "infrastructure", "asynchronous",
        "synchronous", "webhook", "scheduling", "replication", "cache", "query", "schema", "compile",
        "compile-time", "plugin", "plugins", "grpc", "rest", "http", "sdk", "cli", "etcd", "raft",
    ]
    /// How a thing came to be: a body telling these is history, whatever its heading says.
    static let historyCues: [String] = [
        "came out of", "started as", "started out as", "originally", "was created", "was designed", "was born", "first released",
        "released in", "introduced in", "was founded", "founded in", "has since", "for decades", "back in", "side project",
        "sponsored by", "grew out of", "first appeared", "was developed", "was launched", "launched in", "was open-sourced",
    ]
    /// The article speaking of itself ("This piece is for …", "In this article we …"): an introduction.
    static let selfReference: [String] = [
        "this piece", "this article", "this post", "this guide", "this comparison", "this write-up", "this blog post",
        "this review", "this breakdown",
    ]
    /// A heading that looks back on the time since ("Looking back after four years", "Two years later").
    static let retrospectHashes = ["looking back", "in hindsight", "in retrospect", "retrospective", "years later", "months later",
                                   "a year later", "a year on", "years on"].map { Phrase($0).hashes }
    static let after = Phrase.hash("after")
    static let spanHashes = WordSet(words: ["years", "months", "year", "weeks"])
    static let focusPhrases: [String] = [
        "competitor", "competitors", "competition", "alternative", "vendor", "rival",
        "incumbent", "focus", "profile", "strengths", "weaknesses", "pros",
        "cons", "when to choose", "when to use", "why choose", "about", "spotlight", "ventajas", "desventajas", "vantagens",
        "desvantagens", "avantages", "inconvénients", "vorteile", "nachteile",
    ]
    /// Sub-aspects that belong to the subject section above them.
    static let subAspects: Set<String> = [
        "pros", "cons", "strengths", "weaknesses", "advantages", "disadvantages", "pros and cons", "strengths and weaknesses",
        "limitations", "drawbacks", "benefits", "장점", "단점", "장단점", "長所", "短所", "メリット", "デメリット", "优点", "缺点", "优缺点",
    ]
    /// Words that name a part of any article: these sections are never technical.
    static let structural: [String] = [
        "introduction", "intro", "conclusion", "conclusions", "summary", "verdict", "bottom line", "final thoughts",
        "final word", "tl", "faq", "frequently asked questions", "references", "wrap-up", "wrapping up",
        "introdução", "conclusão", "resumo", "introducción", "conclusión", "conclusiones", "resumen", "einleitung",
        "fazit", "zusammenfassung", "en résumé", "conclusione", "conclusioni", "riepilogo", "sintesi",
        "considerações finais", "consideraciones finales", "pensamientos finales", "schlussfolgerung", "schlusswort",
        "preguntas frecuentes", "perguntas frequentes", "foire aux questions", "häufige fragen", "domande frequenti",
        "podsumowanie", "wstęp", "najczęstsze pytania", "вывод", "выводы", "заключение", "введение", "итог", "итоги",
        "kết luận", "giới thiệu", "tổng kết",
    ]
    /// Words a heading opens with when it names a part of the article ("Summary of results"); after
    /// a technical word they qualify it ("Security Summary" is about security).
    static let structuralOpeners = WordSet(words: ["introduction", "intro", "conclusion", "conclusions", "summary", "verdict", "bottom",
                                        "final", "tl", "faq", "frequently", "references", "wrap-up", "wrapping", "in", "quick"])
    static let yourself = Phrase.hash("yourself"), when = Phrase.hash("when")
    static let pickHashes = WordSet(words: ["pick", "choose", "use", "prefer", "recommend", "reach"])
    /// "At Acme we believe …": the publisher stating its stance (a list of `bodyLexicon`, counted in its one pass).
    static let stancePhrases = ["we believe", "our belief", "our philosophy", "we think that", "our view is"]
    static let between = Phrase.hash("between"), difference = Phrase.hash("difference"), differences = Phrase.hash("differences")
    static let storyHashes = WordSet(words: ["migration", "migrating", "migrated", "rollout", "switch", "switching", "journey"])
    static let summary = Phrase.hash("summary"), recap = Phrase.hash("recap")
    static let mattersHashes = WordSet(words: ["matters", "matter", "important"])
    static let comparedHashes = WordSet(words: ["compared", "vs", "vs.", "versus", "against"])
    /// "The Galaxy S24 has the brighter screen", "Postgres is faster at joins": a claim against the other on
    /// one aspect ("better" and "worse" judge the whole choice: "When Firebase is still the better choice").
    static let comparativeHashes = WordSet(words: ["faster", "slower", "cheaper", "pricier", "brighter",
                                                   "bigger", "smaller", "longer", "shorter", "lighter", "heavier", "larger",
                                                   "stronger", "weaker", "easier", "harder", "safer", "newer", "older",
                                                   "sharper", "quieter", "louder", "simpler"])
    /// Aspects and topics as headings in Chinese and Japanese (written without spaces) and Korean (whose particles
    /// join the words) name them: found inside the heading, not as whole words.
    static let technicalCJK = ["性能", "内存", "安全", "并发", "架构", "部署", "数据", "功能", "速度", "扩展", "区别", "对比", "比较", "差异",
                               "違い", "比較", "設計", "状態管理", "構文", "シンタックス", "エコシステム", "パフォーマンス", "開発体験",
                               "機能", "アーキテクチャ", "セキュリティ", "互換性",
                               "비교", "차이", "성능", "기능", "보안", "속도", "아키텍처", "설계", "확장성", "호환성"]
    static let technicalCJKBytes = technicalCJK.map { Array($0.utf8) }
    static let otherCJKBytes = otherCJK.map { Array($0.utf8) }

    /// Whether a heading holds any of the terms as Foundation's `contains` finds them (text
    /// canonically equivalent to the term). Each is looked for first in the bytes of the heading's
    /// NFC form, where a match must show (the terms are NFC, and a match starts and ends on
    /// characters, where NFC joins nothing across), and only a term found there is asked of
    /// Foundation: its search, for each of some sixty terms, was a tenth of reading a CJK capture.
    static func containsAny(_ terms: [String], _ termBytes: [[UInt8]], in heading: String) -> Bool {
        let nfc = Array(heading.precomposedStringWithCanonicalMapping.utf8)
        return nfc.withUnsafeBufferPointer { h in
            terms.indices.contains { i in termBytes[i].withUnsafeBufferPointer { ByteText.find(h, $0) } && heading.contains(terms[i]) }
        }
    }

    static let otherCJK = ["学习", "社区", "生态", "场景", "总结", "结论", "价格", "成本", "简介", "介绍", "选择",
                           "概要", "学習", "コミュニティ", "まとめ", "結論", "価格", "料金", "コスト", "選ぶ", "選び方", "歴史",
                           "결론", "요약", "선택", "가격", "비용", "커뮤니티", "개요", "역사", "학습"]

    static let approachWords: Set<String> = ["approach", "method", "methodology", "framework", "platform", "team", "view"]

    /// "Exogram's diagnostic approach": a name in the possessive, then an approach word.
    static func publisherPossessive(_ body: Phrase) -> Bool {
        let w = body.hashes
        for i in body.possessives {
            if i + 1 < w.count, approachHashes.contains(w[i + 1]) { return true }
            if i + 2 < w.count, possessiveQualifiers.contains(w[i + 1]), approachHashes.contains(w[i + 2]) { return true }
        }
        return false
    }

    static let headingLexicon = Lexicon([offerPhrases, ourPhrases, strongTechnical, weakTechnical, focusPhrases,
                                         otherTopics, moneyTopics, decisionWords, structural])
    static let bodyLexicon = Lexicon([offerBodyCues, technicalVocabulary, weakOfferCues, historyCues, selfReference, stancePhrases])
    static let offerVerbHashes = WordSet(words: offerVerbs)
    static let imperativeHashes = WordSet(words: imperativeOpeners)
    static let offerImperativeHashes = WordSet(words: ["book", "schedule", "contact", "request", "sign", "join", "download", "talk", "call",
                                            "email", "get", "start", "try", "claim", "reserve", "register", "apply", "reach",
                                            "grab", "send", "tell", "spin", "create", "enroll", "agende", "install", "master",
                                            "parlez-nous", "contactez-nous", "réservez", "demandez", "contáctanos", "reserva", "solicita",
                                            "contattaci", "prenota", "richiedi", "kontaktieren", "vereinbaren", "buchen"])
    static let firstPersonHashes = WordSet(words: firstPerson)
    /// The first person singular as a clause's subject ("where I complain", "which one I'd pick").
    static let writerSubjectHashes = WordSet(words: ["i", "i'm", "i'd"])
    static let usHashes = WordSet(words: usWords)
    static let approachHashes = WordSet(words: approachWords)
    static let possessiveQualifiers = WordSet(words: ["diagnostic", "proprietary", "own"])
    static let you = Phrase.hash("you"), your = Phrase.hash("your"), overview = Phrase.hash("overview")
    static let why = Phrase.hash("why"), how = Phrase.hash("how"), what = Phrase.hash("what"), whatIs = Phrase.hash("is")
    static let choiceHashes = WordSet(words: ["which", "choose", "pick", "should", "better"])
    static let which = Phrase.hash("which")
    static let contrastHashes = WordSet(words: ["vs", "vs.", "versus", "not", "instead"])

    // MARK: Subjects in a heading

    /// Which subjects a heading names: whole names, their first word ("GitLab's approach"),
    /// or a file named after one ("Jenkinsfile", ".gitlab-ci.yml").
    static func subjectsNamed(in heading: String, phrase given: Phrase? = nil, subjects: [String], phrases known: [Phrase]? = nil) -> [Int] {
        let phrase = given ?? Phrase(heading)
        var out: [Int] = []
        let phrases = known ?? subjects.map { Phrase($0) }
        if phrases.allSatisfy({ !$0.hashes.isEmpty && phrase.contains(hashes: $0.hashes) }) { return Array(phrases.indices) }
        // The heading's words, lower-cased, without a possessive or trailing punctuation ("C++" and
        // "C#" keep their signs): worked out once, when a subject's first word is looked for.
        var cleanedTokens: [String]?
        func tokens() -> [String] {
            if let cleanedTokens { return cleanedTokens }
            let made = heading.lowercased().split(whereSeparator: { $0 == " " || $0 == "(" || $0 == ")" || $0 == ":" || $0 == "," }).map { t in
                var token = String(t)
                for suffix in ["'s", "’s"] where token.hasSuffix(suffix) { token.removeLast(2) }
                while let l = token.last, !l.isLetter && !l.isNumber && l != "+" && l != "#" { token.removeLast() }
                return token
            }
            cleanedTokens = made
            return made
        }
        let heads = phrases.map { $0.words.first }
        // Every test below finds the head inside a token, which is a piece of the lower-cased heading:
        // an ASCII head that is nowhere in an ASCII heading is in none of its tokens.
        let loweredASCII: [UInt8]? = heading.isASCIIText ? ByteText.lowered(heading) : nil
        for (i, p) in phrases.enumerated() {
            if !p.hashes.isEmpty, phrase.contains(hashes: p.hashes) { out.append(i); continue }
            guard let head = heads[i], head.count >= 3 else { continue }
            let distinctive = heads.enumerated().allSatisfy { j, other in j == i || other != head }
            guard distinctive else { continue }
            if let loweredASCII, head.isASCIIText, !ByteText.contains(loweredASCII, head) { continue }
            for token in tokens() {
                if token == head { out.append(i); break }
                let dotted = token.hasByte(46) || token.hasByte(47)
                if token.count > head.count, token.hasPrefix(head) || token.hasPrefix("." + head),
                   dotted || ByteText.hasSuffix(token, "file") {
                    out.append(i); break
                }
                if dotted && ByteText.contains(token, head) && token.count > head.count + 2 {
                    out.append(i); break
                }
                // "Reactがおすすめな人": a name written against CJK text, with no space around it.
                if !token.isASCIIText, head.isASCIIText, cjkBounded(token, head) { out.append(i); break }
            }
        }
        return out
    }

    /// Whether `name` stands in `token` with CJK characters (or the token's ends) on both sides of it.
    static func cjkBounded(_ token: String, _ name: String) -> Bool {
        guard let r = token.range(of: name) else { return false }
        func cjk(_ s: Unicode.Scalar?) -> Bool {
            guard let v = s?.value else { return true }
            return (0x3040...0x30FF).contains(v) || (0x3400...0x9FFF).contains(v) || (0xAC00...0xD7AF).contains(v)
        }
        return cjk(token[..<r.lowerBound].unicodeScalars.last) && cjk(token[r.upperBound...].unicodeScalars.first)
    }

    /// Whether a heading is nothing but the compared names ("Redis vs Memcached").
    static func barePair(_ heading: String, subjects: [String]) -> Bool {
        var rest = " " + Phrase(heading).normalised + " "
        for s in subjects { rest = ByteText.replacing(" " + Phrase(s).normalised + " ", with: " ", in: rest) }
        let left = rest.spaceSplit.filter { !["vs", "vs.", "versus", "and", "or", "&", "x"].contains(String($0)) }
        return left.isEmpty
    }

    // MARK: Classification

    static func classify(_ input: Input) -> Role {
        classify(input, previous: nil)
    }

    struct Scored {
        var role: Role
        var total: Int
        var named: [Int]
        /// cta, our, focus, technical, other.
        var scores: [Int] = []
    }

    static func score(_ input: Input) -> Scored {
        // An aside in brackets does not change what a heading is about: "Use MongoDB (our existing default)".
        var headingText = input.heading
        let asciiHeading = headingText.isASCIIText
        if let open = find("(", in: headingText, ascii: asciiHeading), let close = find(")", in: headingText, ascii: asciiHeading, last: true), open < close,
           headingText.distance(from: headingText.startIndex, to: open) >= 3,
           // "Responsive Web Design (RWD)": a subject's own name in the brackets is what the heading is about.
           !input.subjects.contains(where: { $0.caseInsensitiveCompare(headingText[headingText.index(after: open)..<close]) == .orderedSame }) {
            headingText.removeSubrange(open...close)
        }
        let heading = Phrase(headingText)
        let body = Phrase(opening: input.paragraphs, maxBytes: 1200)
        let h = headingLexicon.counts(in: heading.hashes)
        let b = bodyLexicon.counts(in: body.hashes)
        let named = subjectsNamed(in: headingText, phrase: heading, subjects: input.subjects, phrases: input.subjectPhrases)
        let isLast = input.index == input.count - 1
        let bodyLength = input.paragraphs.reduce(0) { $0 + $1.utf8.count }
        let question = ByteText.hasSuffix(input.heading, "?")
        let cjk = !asciiHeading && input.heading.unicodeScalars.contains {
            (0x3400...0x9FFF).contains($0.value) || (0x3040...0x30FF).contains($0.value) || (0xAC00...0xD7AF).contains($0.value)
        }

        var cta = 0, our = 0, technical = 0, focus = 0, other = 0
        // A part of the article ("Summary", "Conclusion") unless it only qualifies a technical topic.
        let structuralFirst = heading.hashes.first.map(structuralOpeners.contains) ?? false
        let structural = h[8] > 0 && (structuralFirst || h[2] == 0 || !(heading.containsWord(summary) || heading.containsWord(recap)))

        let publisherNamed = (input.publisherWords ?? input.publishers.map { Phrase($0).words }).contains { words in
            guard let head = words.first else { return false }
            return heading.contains(words.joined(separator: " ")) || head.count >= 4 && heading.words.contains(head)
                && !SubjectFinder.commonWords.contains(head)
        }
        // Call to action: an offer addressed to the reader.
        let offerHeading = heading.hashes.first.map { offerVerbHashes.contains($0) } ?? false
        let addressed = offerHeading && (heading.containsWord(your) || heading.containsWord(yourself) || heading.containsWord(you))
        if offerHeading { cta += addressed ? 5 : 2 }
        cta += min(4, h[0] * 2)
        let bodyOffers = b[0]
        cta += min(4, bodyOffers + min(1, b[2]))
        var imperatives = 0
        for o in body.openers where imperativeHashes.contains(body.hashes[o]) { imperatives += 1 }
        cta += min(4, imperatives * 2)
        if bodyOffers > 0 && (body.containsWord(you) || body.containsWord(your)) { cta += 1 }
        if isLast && cta > 0 { cta += 1 }
        // A question heading is an offer only when its section offers something; so is any heading
        // that only tells the reader what to do ("Start with where the money enters").
        if question && bodyOffers + imperatives == 0 { cta = min(cta, 2) }
        // "Don't make a language your identity" speaks to the reader but offers nothing: only a heading that
        // asks for the action ("Get your free audit") or names the publisher ("Cut your Kafka costs with
        // Superstream") makes an offer of a body without one.
        let askingHeading = heading.hashes.first.map { offerImperativeHashes.contains($0) } ?? false
        if bodyOffers == 0 && h[0] == 0 && !(addressed && (askingHeading || publisherNamed)) { cta = min(cta, 2) }
        // One offer word in passing ("free at first") is no offer.
        if !offerHeading && h[0] == 0 && bodyOffers < 2 { cta = min(cta, 2) }
        // Offers without an offer heading need the text to ask for the action ("Book a call", "Contact us").
        var askingOpeners = 0
        for o in body.openers where offerImperativeHashes.contains(body.hashes[o]) { askingOpeners += 1 }
        if !offerHeading && h[0] == 0 && askingOpeners == 0 && bodyOffers < 3 { cta = min(cta, 2) }
        // Code and tables never move into the call-to-action box.
        // An offer to try it yourself may show the command to start with.
        if input.tables > 0 || input.codeBlocks > 0 && !addressed { cta = 0 }

        // The publisher's own position.
        // "The part where I complain", "How I test": the writer as the subject of a clause tells their own doing;
        // "My recommendation", "Our take", "How we migrated" state the publisher's position.
        let firstPersonInHeading = heading.hashes.contains(where: { firstPersonHashes.contains($0) && !writerSubjectHashes.contains($0) })
        if firstPersonInHeading { our += question ? 2 : 4 }
        if firstPersonInHeading, !question, structural { our += 3 }   // "Our Verdict": the publisher's own
        if heading.hashes.contains(where: { usHashes.contains($0) }) { our += 2 }
        our += min(4, h[1] * 4)
        if input.decisionRecord, h[7] > 0 { our += 5 }
        // In the publisher's own story ("Why we chose Nomad over Kubernetes"), its decision, results and
        // migration are the publisher speaking ("Results after six months", "The migration").
        if input.firstPersonPage, !input.decisionRecord, named.isEmpty, !question,
           h[7] > 0 || heading.hashes.contains(where: { storyHashes.contains($0) }) { our += 5 }
        if publisherNamed, heading.containsWord(why) || heading.containsWord(how) || heading.hashes.contains(where: { approachHashes.contains($0) }) {
            our += 5
        } else if publisherNamed, !offerHeading, !question {
            // "Use Either Database with Acme": the publisher's own product, not an offer.
            our += 3
        }
        var bodyFirstPerson = 0
        for h in body.hashes where firstPersonHashes.contains(h) { bodyFirstPerson += 1 }
        if our == 0 && bodyFirstPerson >= 3 { our += 1 }
        // In a page that tells the publisher's own story, a section told in the first person with no
        // subject, part or offer in its heading is the story ("The migration", "Results after six months").
        if input.firstPersonPage, bodyFirstPerson >= 4, named.isEmpty, h[2] == 0, h[8] == 0, h[5] == 0, h[6] == 0, !question { our += 3 }
        if publisherPossessive(body) { our += 1 }
        // "Looking back after four years", told in the first person: the publisher on its own choice.
        if bodyFirstPerson >= 2, named.isEmpty, !question, h[2] == 0 {
            var looksBack = retrospectHashes.contains { heading.contains(hashes: $0) }
            let w = heading.hashes
            for i in w.indices where w[i] == after && !looksBack {
                looksBack = w[(i + 1)..<min(w.count, i + 4)].contains(where: { spanHashes.contains($0) })
            }
            if looksBack { our += 5 }
        }
        // "At Acme we believe …": the publisher stating its own stance.
        if named.isEmpty, h[2] == 0, !structural, b[5] > 0 { our += 3 }

        // The technical breakdown.
        technical += min(3, h[2] * 3)
        technical += min(3, h[3] * 2)
        if cjk, containsAny(technicalCJK, technicalCJKBytes, in: input.heading) { technical += 3 }
        if named.count >= 2 {
            if barePair(headingText, subjects: input.subjects) {
                other += 3
            } else if publisherNamed, h[2] == 0, h[3] == 0, !question, input.codeBlocks == 0, input.tables == 0 {
                // "ScyllaDB vs Cassandra Overview" on ScyllaDB's own page: the vendor's pitch, not a technical aspect.
                our += 2
            } else {
                technical += 2
            }
        }
        let words = heading.hashes.count
        if heading.hashes.contains(where: { contrastHashes.contains($0) }), named.count < 2, words <= 7 { technical += 2 }
        if words > 11 { technical -= 2 }
        // "The Difference Between Cloud Data Warehouses, Data Lakes, …": explaining other things, not comparing the subjects.
        if named.isEmpty, heading.containsWord(between), heading.containsWord(difference) || heading.containsWord(differences) {
            technical -= 3
            other += 3
        }
        if question, named.isEmpty { technical -= 2 }
        // A body that tells how the subjects came to be ("came out of Meta", "originally sponsored by Mozilla") is history.
        let history = b[3] >= 3 && b[1] <= 1 && named.count != 1 && h[6] == 0
        // The first section speaking of the article itself ("This piece is for engineers who …") introduces it.
        // A short aspect heading ("Architecture") stays the aspect even when its text says "In this article".
        let introduction = input.index == 0 && b[4] > 0 && named.isEmpty && h[2] == 0 && h[6] == 0
            && (h[3] == 0 || heading.hashes.count >= 5)
        if history { technical -= 2 }
        technical = max(0, technical)
        if input.comparisonTables > 0 { technical += 3 } else if input.tables > 0 { technical += 2 }
        if input.codeBlocks > 0, named.count != 1 { technical += 1 }
        let technicalHeading = technical
        let otherHeading = min(4, h[5] * 4) + (h[6] > 0 ? 5 : 0) + (structural ? 6 : 0) + (history || introduction ? 6 : 0)
        let bothSubjects = input.subjects.count >= 2
            && (input.subjectPhrases ?? input.subjects.map { Phrase($0) }).filter { !$0.hashes.isEmpty && body.contains(hashes: $0.hashes) }.count >= 2
        let vocabulary = b[1]
        if technical > 0 && technicalHeading > otherHeading {
            if bothSubjects { technical += 1 }
            if bodyLength > 400 { technical += 1 }
            if vocabulary >= 3 { technical += 1 }
        } else if technical == 0 && bothSubjects && bodyLength > 600 && vocabulary >= 5 {
            technical = 3  // an unmistakably technical body under a neutral heading
        }

        // A focus on one subject (or on "the competitor").
        if named.count == 1 {
            focus += 4
            if heading.containsWord(overview) { focus += 1 }
            // "Datadog: maximum capability, maximum bill": the subject, then what it is.
            if let colon = find(":", in: headingText, ascii: asciiHeading), subjectsNamed(in: String(headingText[..<colon]), subjects: input.subjects,
                                                                                phrases: input.subjectPhrases).count == 1 {
                focus += 2
            }
            // "So you want to use Redis primarily as a cache?": a question to the reader, not a portrait.
            if heading.containsWord(you) { focus -= 3 }
            // "When we'd still pick Kubernetes": when to choose the subject.
            if heading.hashes.first == when, heading.hashes.contains(where: { pickHashes.contains($0) }) { focus += 3 }
            // "The Galaxy S24 charges faster": the subject measured against the other, on one aspect.
            if heading.hashes.contains(where: { comparativeHashes.contains($0) }) {
                focus -= 3
                technical += 3
            }
            // "Small nodes compared with Redis": something else measured against the subject.
            if heading.hashes.contains(where: { comparedHashes.contains($0) }), h[2] > 0 || heading.hashes.contains(where: { contrastHashes.contains($0) }) {
                focus -= 3
                technical += 2
            }
        }
        focus += min(3, h[4] * 3)
        if publisherNamed, named.count == 1, focus > 0, our >= 5 { focus -= 2 }

        // Everything else: money, learning, history, verdicts, choices.
        other += min(4, h[5] * 4)
        if h[6] > 0 { other += addressed ? 0 : 6 }
        if cjk, containsAny(otherCJK, otherCJKBytes, in: input.heading) { other += 4 }
        if heading.containsWord(overview), named.isEmpty { other += 2 }
        if question, heading.hashes.contains(where: { choiceHashes.contains($0) }), bodyOffers == 0 { other += 4 }
        if heading.containsWord(which), !question { other += 2 }
        if structural { other += 6 }
        if history || introduction { other += 6 }
        // "Why Observability Matters": why a topic matters to the reader, not how the subjects do it.
        if heading.hashes.first == why, heading.hashes.contains(where: { mattersHashes.contains($0) }), named.isEmpty { other += 5 }
        // A technical word beside a topic word tips it; naming both subjects alone does not.
        if h[2] + h[3] > 0 && other > 0 && h[6] == 0 && !structural { other = max(0, other - 1) }
        // "You need a payment stack that gets you paid on time, not just …": a long line to the reader is a pitch.
        if words > 11, heading.containsWord(you) || heading.containsWord(your) { technical = min(technical, 1) }

        let scored: [(role: Role, total: Int)] = [
            (.callToAction, cta), (.ourPosition, our), (.subjectFocus, focus), (.other, other), (.technical, technical),
        ]
        var best = scored[0]
        for s in scored.dropFirst() where s.total > best.total { best = s }
        // "The polling problem", then "SQS never tells a consumer …" and no word of the other: a section about one subject.
        if best.total <= 1, named.isEmpty, !question, input.tables == 0, soleSubject(body, input.subjects) != nil {
            best = (.subjectFocus, 3)
        }
        // Below 3 no role is clear; a technical cue of 2 still names an aspect ("… as a cache?").
        let role: Role = best.total >= 3 ? best.role : (technical >= 2 && technical >= best.total ? .technical : .other)
        return Scored(role: role, total: best.total, named: named, scores: scored.map(\.total))
    }

    /// The first (or last) place of a one-byte character: in ASCII text each of these is a character
    /// of its own (only CR LF makes one of two bytes), so it is found among the bytes.
    static func find(_ c: Character, in text: String, ascii: Bool, last: Bool = false) -> String.Index? {
        guard ascii, c.utf8.count == 1, let byte = c.asciiValue else { return last ? text.lastIndex(of: c) : text.firstIndex(of: c) }
        return last ? text.utf8.lastIndex(of: byte) : text.firstIndex(ofByte: byte)
    }

    /// The subject a body opens with, when it names no other: by its whole name, or by the last word of
    /// a maker-led name ("SQS" for "Amazon SQS").
    static func soleSubject(_ body: Phrase, _ subjects: [String]) -> Int? {
        guard subjects.count >= 2, !body.hashes.isEmpty else { return nil }
        var opener: Int?
        for (i, name) in subjects.enumerated() {
            let words = Phrase(name, keepWords: false).hashes
            guard !words.isEmpty else { continue }
            var forms = [words]
            if words.count >= 2, let last = Phrase(name).words.last, last.utf8.count >= 3 { forms.append([words[words.count - 1]]) }
            var found = false
            for f in forms where body.contains(hashes: f) {
                found = true
                if f.count <= body.hashes.count, Array(body.hashes.prefix(f.count)) == f { opener = opener == nil ? i : -1 }
            }
            if found, opener != i { return nil }
        }
        guard let o = opener, o >= 0 else { return nil }
        return o
    }

    static func numbered(_ heading: String) -> Bool {
        // The first four bytes, read in place.
        heading.withBytes { u in
            let count = min(4, u.count)
            var digits = 0
            while digits < count, u[digits] >= 48 && u[digits] <= 57 { digits += 1 }
            return digits > 0 && digits < count && (u[digits] == 46 || u[digits] == 41)
        }
    }

    /// The subjects' and publishers' words, worked out once for all of a page's sections.
    struct PageWords {
        let subjects: [String], publishers: [String]
        let publisherWords: [[String]], subjectPhrases: [Phrase]

        init(subjects: [String], publishers: [String]) {
            self.subjects = subjects
            self.publishers = publishers
            publisherWords = publishers.map { Phrase($0).words }
            subjectPhrases = subjects.map { Phrase($0) }
        }

        /// Gives an input of the same page these words, which it would otherwise work out itself.
        func share(with input: inout Input) {
            guard input.subjects == subjects, input.publishers == publishers else { return }
            input.publisherWords = publisherWords
            input.subjectPhrases = subjectPhrases
        }
    }

    static func classify(_ input: Input, previous: Scored?) -> Role {
        score(input).role
    }

    /// Classifies a page's sections together: a sub-aspect ("Pros", "Cons") under a subject's
    /// section, and the sections under a subject heading with no text of its own, are about that subject.
    static func classifyAll(_ given: [Input]) -> [Role] {
        var inputs = given
        // "Kindle vs Kobo – Kobo advantages": a heading that opens with the pair, then says its
        // topic, is read by its topic (the pair is every section's).
        for i in inputs.indices { inputs[i].heading = topic(of: inputs[i].heading, subjects: inputs[i].subjects) }
        if let first = inputs.first {
            let words = PageWords(subjects: first.subjects, publishers: first.publishers)
            for i in inputs.indices { words.share(with: &inputs[i]) }
        }
        let scored = inputs.map(score)
        var roles = scored.map(\.role)
        var focusParent: Int?      // a subject heading with no body: the sections under it are about that subject
        var parent: Int?           // any heading with no body of its own, over sub-sections
        var lastFocus: Int?
        let keys = inputs.map { Phrase($0.heading).normalised }
        for (i, input) in inputs.enumerated() {
            let s = scored[i]
            let key = keys[i]
            let empty = input.paragraphs.isEmpty && input.tables == 0 && input.codeBlocks == 0
            if s.named.count == 1, s.role == .subjectFocus {
                lastFocus = i
                focusParent = empty ? i : nil
                parent = nil
                continue
            }
            if subAspects.contains(key), let f = lastFocus, i - f <= 4,
               (f + 1..<i).allSatisfy({ subAspects.contains(keys[$0]) }) {
                roles[i] = .subjectFocus
                continue
            }
            if focusParent != nil, s.named.isEmpty, s.total < 4 || s.role == .other || s.role == .technical && s.total < 5 {
                roles[i] = .subjectFocus
                continue
            }
            focusParent = nil
            if let p = parent, s.named.isEmpty, s.total < 2, roles[p] == .technical {
                roles[i] = roles[p]
                continue
            }
            // Numbered sub-sections ("1. Multi-Cloud Support") stay under an unnumbered parent.
            if let p = parent, numbered(input.heading), !numbered(inputs[p].heading) { continue }
            parent = empty && i + 1 < inputs.count ? i : nil
            if !s.named.isEmpty { lastFocus = nil }
        }
        subjectChapters(inputs, scored, keys: keys, &roles)
        aspectRuns(inputs, scored, &roles)
        comparedOneByOne(inputs, scored, &roles)
        return roles
    }

    /// In a decision record, "Alternatives Considered" with no text of its own, over "Use MongoDB" and
    /// "Use PostgreSQL": the options weighed one by one are the record's comparison of them.
    static func comparedOneByOne(_ inputs: [Input], _ scored: [Scored], _ roles: inout [Role]) {
        for i in inputs.indices.dropLast() where inputs[i].decisionRecord && roles[i] == .other && scored[i].total <= 1 && scored[i].named.isEmpty
            && inputs[i].paragraphs.isEmpty && inputs[i].tables == 0 && inputs[i].codeBlocks == 0 {
            var seen = Set<Int>()
            var j = i + 1
            while j < inputs.count, roles[j] == .subjectFocus, scored[j].named.count == 1, !inputs[j].paragraphs.isEmpty {
                seen.insert(scored[j].named[0])
                j += 1
            }
            if seen.count >= 2, j - i - 1 == seen.count { roles[i] = .technical }
        }
    }

    /// A section that takes no side of its own: no subject named, no cue for any role but a technical one.
    static func plain(_ input: Input, _ s: Scored) -> Bool {
        s.named.isEmpty && !numbered(input.heading) && s.scores[0] < 3 && s.scores[1] < 3 && s.scores[3] < 3
    }

    /// "Apache Kafka", "Architecture", "Pulsar", "Tiered storage", "Redpanda", "Raft groups":
    /// parallel subject headings ("What is X?" and "What is Y?", "X" and "Y") with plain sections between
    /// them make chapters, one per subject; the sections of a chapter are about its subject.
    /// - Parameter keys: each heading's words (`Phrase.normalised`).
    static func subjectChapters(_ inputs: [Input], _ scored: [Scored], keys: [String], _ roles: inout [Role]) {
        func template(_ i: Int) -> String? {
            guard scored[i].named.count == 1, roles[i] == .subjectFocus else { return nil }
            let subject = Phrase(inputs[i].subjects[scored[i].named[0]]).normalised
            let key = " " + keys[i] + " "
            // Over the bytes when both are ASCII (Foundation's search compares characters otherwise).
            let named = " " + subject + " "
            guard !subject.isEmpty, key.isASCIIText && named.isASCIIText ? ByteText.contains(key, named) : key.contains(named) else { return nil }
            // "Apache Kafka" next to "Pulsar": a name with its maker's name is still just the name.
            let subjectWords = subject.spaceSplit
            let rest = inputs[i].heading.spaceSplit.filter { word in
                let wordKey = Phrase(String(word)).normalised
                return wordKey != subject && !subjectWords.contains(Substring(wordKey))
            }
            if rest.count <= 2, rest.allSatisfy({ $0.first?.isUppercase == true }), !inputs[i].heading.hasSuffix("?"),
               rest.allSatisfy({ !headingLexicon.counts(in: Phrase(String($0)).hashes).contains(where: { $0 > 0 }) }) {
                return " * "
            }
            return ByteText.replacing(named, with: " * ", in: key)
        }
        let templates = inputs.indices.map(template)
        var byTemplate: [String: [Int]] = [:]
        for (i, t) in templates.enumerated() { if let t { byTemplate[t, default: []].append(i) } }
        for (_, heads) in byTemplate where heads.count >= 2 && Set(heads.map { scored[$0].named[0] }).count == heads.count {
            // Every chapter but the last ends where the next begins; all of them must hold plain sections only.
            var chapters: [Range<Int>] = []
            var longest = 0
            for (a, b) in zip(heads, heads.dropFirst()) {
                let middle = (a + 1)..<b
                guard !middle.isEmpty, middle.allSatisfy({ plain(inputs[$0], scored[$0]) }) else { chapters = []; break }
                chapters.append(middle)
                longest = max(longest, middle.count)
            }
            guard !chapters.isEmpty, let last = heads.last else { continue }
            var end = last + 1
            while end < inputs.count, end - last - 1 < longest, templates[end] == nil, plain(inputs[end], scored[end]) { end += 1 }
            chapters.append((last + 1)..<end)
            for c in chapters { for i in c { roles[i] = .subjectFocus } }
        }
    }

    /// Aspect sections that say nothing of their own ("Deals and pipelines", "2. Refunds") among
    /// technical ones compare the subjects like their neighbours: numbered siblings follow the majority
    /// of their numbered list, and a run of such sections between technical ones is technical too.
    static func aspectRuns(_ inputs: [Input], _ scored: [Scored], _ roles: inout [Role]) {
        func uncued(_ i: Int) -> Bool {
            roles[i] == .other && scored[i].scores[2] <= 1 && scored[i].scores[3] <= 1 && scored[i].scores[4] <= 1
                && scored[i].named.isEmpty && !inputs[i].heading.hasSuffix("?")
                && inputs[i].paragraphs.count + inputs[i].tables > 0
        }
        // An aspect is named in a few words ("Deals and pipelines"), not in a sentence.
        func aspect(_ i: Int) -> Bool { uncued(i) && inputs[i].heading.spaceCount <= 4 }
        let numberedIndices = inputs.indices.filter { numbered(inputs[$0].heading) }
        if numberedIndices.count >= 3 {
            let cued = numberedIndices.filter { !uncued($0) }
            let technical = cued.filter { roles[$0] == .technical }.count
            if technical * 2 > cued.count, technical >= 2 {
                for i in numberedIndices where uncued(i) { roles[i] = .technical }
            }
        }
        // "Results" with no text of its own, over technical sub-sections, is technical too.
        for i in inputs.indices.dropLast() where roles[i] == .other && scored[i].total <= 1 && scored[i].named.isEmpty
            && inputs[i].paragraphs.isEmpty && inputs[i].tables == 0 && inputs[i].codeBlocks == 0 && roles[i + 1] == .technical {
            roles[i] = .technical
        }
        var i = 0
        while i < inputs.count {
            guard aspect(i), !numbered(inputs[i].heading) else { i += 1; continue }
            var j = i
            while j + 1 < inputs.count, aspect(j + 1), !numbered(inputs[j + 1].heading) { j += 1 }
            let left = i > 0 ? roles[i - 1] : nil
            let right = j + 1 < inputs.count ? roles[j + 1] : nil
            if right == .technical && (left == .technical || left == nil && j - i + 1 >= 3) {
                for k in i...j { roles[k] = .technical }
            }
            i = j + 1
        }
    }
}

extension RoleClassifier {
    /// What a heading says after the pair it opens with ("X vs Y – Context" → "Context"), or
    /// the heading when it does not open with every subject before a separator.
    static func topic(of heading: String, subjects: [String]) -> String {
        guard subjects.count >= 2 else { return heading }
        for separator in [" – ", " — ", " - ", ": ", " | "] {
            // Looked for in the bytes first: none of these characters has another form, so bytes without
            // it have no match (Foundation's search, which allows for other forms, is the slow part).
            guard ByteText.contains(heading, separator), let r = heading.range(of: separator) else { continue }
            var before = heading[..<r.lowerBound].lowercased()
            let rest = heading[r.upperBound...].trimmingWhitespace()
            guard !rest.isEmpty, subjects.allSatisfy({ before.contains($0.lowercased()) }) else { continue }
            // Only the pair: the subjects and the words joining them ("SQS vs RabbitMQ basics: …" names its topic first).
            for subject in subjects { before = before.replacingOccurrences(of: subject.lowercased(), with: " ") }
            guard before.spaceSplit.allSatisfy({ ["vs", "vs.", "versus", "v", "v.", "and", "or", "&", ","].contains($0) }) else { continue }
            return rest
        }
        return heading
    }
}

/// The words of a text, lower-cased: as 64-bit hashes (for cue matching) and,
/// for short texts such as headings, as strings. Also which words open a
/// sentence, and which end in a possessive "'s".
struct Phrase {
    let hashes: [UInt64]
    let words: [String]
    /// Indices of words that start a sentence (or the text).
    let openers: [Int]
    /// Indices of words that end in "'s".
    let possessives: [Int]

    init(_ text: String, keepWords: Bool = true) {
        // A word at a time, read in place from the text's bytes, while they are ASCII (word bytes always
        // are); nil at the first byte of another script. The words are gathered in the closure's own
        // `Words` (not a captured one, which is read and written through memory).
        let read = text.withBytes { bytes -> Words? in
            var words = Words(keepWords: keepWords)
            // One allocation for each list, not one for each time it grows (a page makes dozens of phrases).
            words.hashes.reserveCapacity(bytes.count / 5)
            if keepWords { words.words.reserveCapacity(bytes.count / 5) }
            words.openers.reserveCapacity(bytes.count / 64 + 1)
            return Phrase.readASCII(bytes, into: &words) ? words : nil
        }
        self.init(read ?? Phrase.readScalars(text, keepWords: keepWords))
    }

    /// The words of the opening of some paragraphs, `opening(paragraphs, maxBytes:)`, as
    /// `Phrase(opening(paragraphs, maxBytes:), keepWords: false)` reads them: in ASCII, read from
    /// each paragraph in place (the opening is not made); otherwise from the opening made.
    init(opening paragraphs: [String], maxBytes: Int) {
        let (taken, ascii) = Phrase.openingParts(paragraphs, maxBytes: maxBytes)
        guard ascii else {
            self.init(Phrase.opening(paragraphs, maxBytes: maxBytes), keepWords: false)
            return
        }
        var words = Words(keepWords: false)
        let used = taken.reduce(0, +)
        words.hashes.reserveCapacity(used / 5)
        words.openers.reserveCapacity(used / 64 + 1)
        for (p, take) in zip(paragraphs, taken) {
            _ = p.withBytes { Phrase.readASCII(UnsafeBufferPointer(rebasing: $0[..<take]), into: &words) }
        }
        self.init(words)
    }

    private init(_ words: Words) {
        hashes = words.hashes
        self.words = words.words
        openers = words.openers
        possessives = words.possessives
    }

    /// Reads ASCII bytes into `words`, a word at a time (what `init` does while the text is
    /// ASCII); false at the first byte of another script. The bytes between words are read as
    /// one (a space), so texts read one after another are read as one joined by spaces.
    @inline(__always)
    private static func readASCII(_ bytes: UnsafeBufferPointer<UInt8>, into words: inout Words) -> Bool {
        Phrase.byteKinds.withUnsafeBufferPointer { kinds -> Bool in
            var i = 0
            let n = bytes.count
            while i < n {
                let kind = kinds[Int(bytes[i])]
                guard kind == Phrase.wordKind else {
                    if kind == Phrase.otherScriptKind { return false }
                    if kind == Phrase.sentenceEndKind { words.sentenceEnded = true }   // "!" and "?"
                    i += 1
                    continue
                }
                var j = i + 1
                while j < n, kinds[Int(bytes[j])] == Phrase.wordKind { j += 1 }
                words.add(bytes, i, j)
                i = j
            }
            return true
        }
    }

    /// Other scripts: by scalar, from the start.
    private static func readScalars(_ text: String, keepWords: Bool) -> Words {
        var words = Words(keepWords: keepWords)
        var current: [UInt8] = []
        current.reserveCapacity(32)
        func addCurrent() {
            current.withUnsafeBufferPointer { words.add($0, 0, $0.count) }
            current.removeAll(keepingCapacity: true)
        }
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 128 {
                if Phrase.isWordByte(UInt8(v)) {
                    current.append(UInt8(v))
                } else {
                    if !current.isEmpty { addCurrent() }
                    if v == 33 || v == 63 { words.sentenceEnded = true }   // "!" and "?"
                }
            } else if v == 0x2019 {
                current.append(39)
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                current += scalar.properties.lowercaseMapping.utf8
            } else if !current.isEmpty {
                addCurrent()
            }
        }
        if !current.isEmpty { addCurrent() }
        return words
    }

    /// The words of a text as they are found.
    private struct Words {
        let keepWords: Bool
        var hashes: [UInt64] = []
        var words: [String] = []
        var openers: [Int] = []
        var possessives: [Int] = []
        var sentenceEnded = true

        /// One word as read, `bytes[start..<end]` (ASCII capitals are lower-cased here): trailing
        /// `.` `-` `'` and leading `-` `'` are trimmed, and a word ending in a `.` of its own ends a sentence.
        @inline(__always)
        mutating func add(_ word: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) {
            var lo = start, hi = end
            while hi > lo, word[hi - 1] == 46 || word[hi - 1] == 45 || word[hi - 1] == 39 { hi -= 1 }
            while lo < hi, word[lo] == 45 || word[lo] == 39 { lo += 1 }
            guard lo < hi else { return }
            if sentenceEnded { openers.append(hashes.count) }
            if hi - lo > 2, word[hi - 1] | 0x20 == 115, word[hi - 2] == 39 { possessives.append(hashes.count) }
            let (h, dotted) = Phrase.loweredHash(word, lo, hi)
            hashes.append(h)
            if keepWords {
                words.append(ByteText.loweredString(word, lo, hi))
            }
            sentenceEnded = word[end - 1] == 46 && !dotted
        }
    }

    @inline(__always)
    static func lower(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b + 32 : b }

    /// The hash of `bytes[lo..<hi]` lower-cased (ASCII capitals), as `Phrase.hash` gives it, eight
    /// bytes at a time (read in place where the buffer holds eight from there); and whether
    /// the bytes hold a dot, looked for on the way.
    @inline(__always)
    static func loweredHash(_ bytes: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> (hash: UInt64, dotted: Bool) {
        var h = seed
        // Most words are eight bytes or fewer: one load, no loop (the same steps as one turn of it).
        if hi - lo <= 8, lo + 8 <= bytes.count, let base = bytes.baseAddress {
            var chunk = UInt64(littleEndian: UnsafeRawPointer(base + lo).loadUnaligned(as: UInt64.self))
            if hi - lo < 8 { chunk &= (1 &<< (UInt64(hi - lo) &* 8)) &- 1 }
            chunk = lower(chunk)
            return (finish(mix(h, chunk), length: hi - lo), ByteText.holds(chunk, 46))
        }
        var dotted = false
        var k = lo
        while k < hi {
            let take = min(8, hi - k)
            var chunk: UInt64 = 0
            if k + 8 <= bytes.count, let base = bytes.baseAddress {
                chunk = UInt64(littleEndian: UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self))
                if take < 8 { chunk &= (1 &<< (UInt64(take) &* 8)) &- 1 }
            } else {
                for j in 0..<take { chunk |= UInt64(bytes[k + j]) &<< (UInt64(j) &* 8) }
            }
            chunk = lower(chunk)
            dotted = dotted || ByteText.holds(chunk, 46)
            h = mix(h, chunk)
            k += 8
        }
        return (finish(h, length: hi - lo), dotted)
    }

    /// Per byte, what `init` makes of it: a word's byte (`isWordByte`), "!" or "?" (a sentence
    /// ends), a byte of another script, or a byte between words.
    static let byteKinds: [UInt8] = (0..<256).map { b -> UInt8 in
        let byte = UInt8(b)
        if isWordByte(byte) { return wordKind }
        if byte >= 0x80 { return otherScriptKind }
        return byte == 33 || byte == 63 ? sentenceEndKind : 0
    }
    static let wordKind: UInt8 = 1, sentenceEndKind: UInt8 = 2, otherScriptKind: UInt8 = 3

    /// ASCII letters and digits, and `'` `+` `#` `&` `-` `.`: the bytes a word is made of.
    @inline(__always)
    static func isWordByte(_ b: UInt8) -> Bool {
        // Letters and digits are 0x30 and up; the signs, below.
        b >= 48 ? (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || b <= 57
            : b == 39 || b == 43 || b == 35 || b == 38 || b == 45 || b == 46
    }

    /// The first `maxBytes` or so of some paragraphs, cut at a space: the paragraphs joined by
    /// spaces, up to the last space within the budget in the paragraph that does not fit.
    static func opening(_ paragraphs: [String], maxBytes: Int) -> String {
        var out = ""
        for (p, take) in zip(paragraphs, openingParts(paragraphs, maxBytes: maxBytes).taken) {
            if !out.isEmpty { out += " " }
            out += String(decoding: p.utf8.prefix(take), as: UTF8.self)
        }
        return out
    }

    /// How many bytes of each paragraph `opening` takes (the paragraphs after the one it cuts
    /// take none, and are left out), and whether they are all ASCII.
    static func openingParts(_ paragraphs: [String], maxBytes: Int) -> (taken: [Int], ascii: Bool) {
        var taken: [Int] = []
        taken.reserveCapacity(paragraphs.count)
        var used = 0, ascii = true
        for p in paragraphs {
            if used > 0 { used += 1 }   // the space before it
            let room = maxBytes - used
            let take = p.withBytes { b -> Int in
                var take = b.count
                if take > room {
                    // Back from the budget to a space (the bytes before it are taken).
                    take = max(0, room)
                    while take > 0, b[take] != 32 { take -= 1 }
                }
                if ascii { ascii = ByteText.allASCII(UnsafeBufferPointer(rebasing: b[..<take])) }
                return take
            }
            taken.append(take)
            used += take
            if take < p.utf8.count { break }
        }
        return (taken, ascii)
    }

    /// The hash of a word's bytes, never 0 (0 marks an empty slot in `Lexicon`): each run of
    /// eight bytes (least significant first; the last run padded with zeros, which no word
    /// holds) mixed in with one multiply, then the length. A byte at a time (FNV-1a) cost a
    /// multiply per byte, and the role classifier hashes the first 1,200 bytes of every section.
    static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var h = seed, chunk: UInt64 = 0, shift: UInt64 = 0, length = 0
        for b in bytes {
            chunk |= UInt64(b) &<< shift
            shift += 8
            length += 1
            if shift == 64 {
                h = mix(h, chunk)
                chunk = 0
                shift = 0
            }
        }
        if shift > 0 { h = mix(h, chunk) }
        return finish(h, length: length)
    }

    static let seed: UInt64 = 0xcbf2_9ce4_8422_2325

    @inline(__always)
    static func mix(_ h: UInt64, _ chunk: UInt64) -> UInt64 {
        let m = (h ^ chunk) &* 0x9E37_79B9_7F4A_7C15
        return m ^ (m &>> 32)
    }

    @inline(__always)
    static func finish(_ h: UInt64, length: Int) -> UInt64 {
        let m = (h ^ UInt64(length)) &* 0xBF58_476D_1CE4_E5B9
        return (m ^ (m &>> 31)) | 1
    }

    /// Eight bytes with the ASCII capitals among them lower-cased (`lower` of each byte).
    @inline(__always)
    static func lower(_ x: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let low7 = x & (0x7f &* ones)
        let fromA = low7 &+ ((0x80 - 0x41) &* ones)   // the top bit set where a byte is "A" or above
        let pastZ = low7 &+ ((0x80 - 0x5b) &* ones)   // and where it is past "Z"
        let capitals = fromA & ~pastZ & ~x & (0x80 &* ones)
        return x | (capitals &>> 2)
    }

    static func hash(_ word: String) -> UInt64 { hash(word.utf8) }

    /// The home slot of a word hash in a table of `mask + 1` slots (`Lexicon`, `WordSet`). Not the
    /// lowest bit: `finish` sets it in every hash, so a table indexed by it used only odd slots.
    @inline(__always)
    static func slot(_ h: UInt64, _ mask: Int) -> Int { Int(truncatingIfNeeded: h >> 1) & mask }

    /// The phrase's words joined by single spaces.
    var normalised: String { words.joined(separator: " ") }

    /// Whole-word match of a phrase (any casing and punctuation; compared by words).
    func contains(_ phrase: String) -> Bool {
        contains(hashes: Phrase(phrase, keepWords: false).hashes)
    }

    /// Whether the words (as hashes) occur in a row.
    func contains(hashes needle: [UInt64]) -> Bool {
        guard let first = needle.first, needle.count <= hashes.count else { return false }
        var i = 0
        while i + needle.count <= hashes.count {
            if hashes[i] == first {
                var all = true
                for j in 1..<needle.count where hashes[i + j] != needle[j] { all = false; break }
                if all { return true }
            }
            i += 1
        }
        return false
    }

    func containsWord(_ word: UInt64) -> Bool { hashes.contains(word) }
}

/// Lists of cue phrases, indexed by the hash of their first word in an
/// open-addressing table, and matched in one pass over a text's word hashes.
struct Lexicon: Sendable {
    private struct Entry: Sendable {
        var category: Int32
        var id: Int32           // the phrase's number in the lexicon
        var rest: Int32         // where the phrase's further words start in `rest`
        var restCount: Int32
    }
    private let keys: [UInt64]
    /// The entries of slot `i` are `entries[starts[i]..<starts[i + 1]]`.
    private let starts: [Int32]
    private let entries: [Entry]
    private let rest: [UInt64]
    private let mask: Int
    let categories: Int

    /// - Parameter lists: one list of phrases per category.
    init(_ lists: [[String]]) {
        var size = 16
        let phraseCount = lists.reduce(0) { $0 + $1.count }
        while size < phraseCount * 4 { size *= 2 }
        var keys = [UInt64].filled(0, count: size)
        var slots = [[Entry]].filled([], count: size)
        var rest: [UInt64] = []
        var total: Int32 = 0
        mask = size - 1
        categories = lists.count
        for (category, list) in lists.enumerated() {
            for phrase in list {
                let words = Phrase(phrase).hashes
                guard let first = words.first else { continue }
                var i = Phrase.slot(first, mask)
                while keys[i] != 0 && keys[i] != first { i = (i + 1) & mask }
                keys[i] = first
                slots[i].append(Entry(category: Int32(category), id: total, rest: Int32(rest.count), restCount: Int32(words.count - 1)))
                rest += words.dropFirst()
                total += 1
            }
        }
        var starts: [Int32] = [0]
        for slot in slots { starts.append(starts.last! + Int32(slot.count)) }
        self.keys = keys
        self.starts = starts
        entries = slots.flatMap { $0 }
        self.rest = rest
    }

    /// For each category, how many different phrases of it occur in the text.
    func counts(in words: [UInt64]) -> [Int] {
        var counts = [Int].filled(0, count: categories)
        var seen: [Int32] = []   // the phrases found so far: a text holds a handful
        let n = words.count
        for i in 0..<n {
            let word = words[i]
            var slot = Phrase.slot(word, mask)
            while keys[slot] != 0 && keys[slot] != word { slot = (slot + 1) & mask }
            guard keys[slot] != 0 else { continue }
            for e in Int(starts[slot])..<Int(starts[slot + 1]) {
                let entry = entries[e]
                let more = Int(entry.restCount)
                guard i + more < n, !seen.contains(entry.id) else { continue }
                var match = true
                for k in 0..<more where words[i + 1 + k] != rest[Int(entry.rest) + k] {
                    match = false
                    break
                }
                if match {
                    seen.append(entry.id)
                    counts[Int(entry.category)] += 1
                }
            }
        }
        return counts
    }
}

/// A set of word hashes (`Phrase.hash`), found by the hash itself: a `Set<UInt64>` would hash
/// each hash again on every lookup, and cue words are looked up for every word of a text.
struct WordSet: Sendable {
    private let slots: [UInt64]   // 0 marks an empty slot; a word hash is never 0
    private let mask: Int

    init(_ hashes: some Sequence<UInt64>) {
        let unique = Array(Set(hashes))
        var size = 8
        while size < unique.count * 4 { size *= 2 }
        var slots = [UInt64].filled(0, count: size)
        for h in unique {
            var i = Phrase.slot(h, size - 1)
            while slots[i] != 0 { i = (i + 1) & (size - 1) }
            slots[i] = h
        }
        self.slots = slots
        mask = size - 1
    }

    init(words: some Sequence<String>) { self.init(words.map(Phrase.hash)) }

    @inline(__always)
    func contains(_ h: UInt64) -> Bool {
        var i = Phrase.slot(h, mask)
        while true {
            let s = slots[i]
            if s == h { return true }
            if s == 0 { return false }
            i = (i + 1) & mask
        }
    }
}
