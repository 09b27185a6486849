/// How much a line looks like source code, a shell command or a config file, by its
/// bytes: symbols, keywords, identifiers, and how little it reads like a sentence.
enum CodeShape {
    /// First words that start code lines (lower-cased compare for SQL).
    static let keywords: Set<String> = [
        "import", "from", "export", "const", "let", "var", "function", "def", "class", "return", "if", "elif", "else",
        "for", "while", "async", "await", "public", "private", "protected", "static", "void", "int", "fn", "pub",
        "use", "package", "func", "#include", "struct", "enum", "interface", "type", "impl", "mod", "end", "module",
        "require", "namespace", "using", "try", "catch", "finally", "throw", "new", "delete", "println!", "print",
        "console.log", "echo", "alias", "sudo", "cd", "ls", "mkdir", "rm", "cp", "mv", "cat", "curl", "wget", "git",
        "npm", "npx", "yarn", "pnpm", "pip", "pip3", "python", "python3", "node", "deno", "bun", "go", "cargo",
        "rustc", "docker", "kubectl", "helm", "terraform", "pulumi", "aws", "gcloud", "az", "brew", "apt", "apt-get",
        "rails", "rake", "bundle", "gem", "wrangler", "make", "cmake", "gradle", "mvn", "dotnet", "podman", "flyctl",
        "resource", "provider", "variable", "output", "data", "locals", "backend", "select", "insert", "update",
        "create", "alter", "drop", "with", "where", "group", "order", "limit", "join", "left", "inner", "values",
        "set", "begin", "commit", "apiversion:", "kind:", "metadata:", "spec:", "services:", "jobs:", "stages:",
        "steps:", "on:", "name:", "image:", "script:", "version:", "workflows:", "env:", "run:", "uses:", "runs-on:",
        "@app.post", "@app.get", "@app.route", "@component", "@override", "<template>", "<script", "</script>",
        "<div", "</div>", "<ul>", "</ul>", "<li", "<button", "<h1>", "<p>", "<span", "<img", "<style", "</template>",
        "pipeline", "stage", "agent", "job", "task", "group", "count", "driver", "config", "datacenters", "scrape_configs:",
        "self", "this", "lambda", "match", "case", "switch", "do", "done", "then", "fi", "esac",
    ]
    static let commands: Set<String> = [
        "npm", "npx", "yarn", "pnpm", "pip", "pip3", "python", "python3", "node", "deno", "bun", "go", "cargo", "rustc",
        "docker", "kubectl", "helm", "terraform", "pulumi", "aws", "gcloud", "az", "brew", "apt", "apt-get", "rails",
        "rake", "bundle", "gem", "wrangler", "make", "cmake", "gradle", "mvn", "dotnet", "podman", "flyctl", "curl",
        "wget", "git", "alias", "sudo", "cd", "ls", "mkdir", "export", "echo", "cat", "ssh", "scp", "chmod", "systemctl",
        "composer", "php", "java", "javac", "swift", "ruby", "bash", "sh", "psql", "mysql", "redis-cli", "mongo", "mongosh",
    ]
    static let functionWords: Set<String> = [
        "the", "a", "an", "and", "or", "is", "are", "was", "to", "of", "in", "for", "with", "that", "this", "it",
        "you", "we", "your", "can", "be", "on", "as", "by", "but", "not", "which", "when", "so", "if", "at", "its",
        "their", "they", "has", "have", "more", "than", "most", "all", "both", "each", "one", "how", "what",
        "o", "os", "e", "de", "da", "do", "um", "uma", "para", "com", "que", "em", "der", "die", "und", "el", "la",
    ]

    static func score(_ line: CaptureLine) -> Double {
        let raw = line.raw
        let u = Array(raw.utf8)
        guard !u.isEmpty, !line.text.isEmpty else { return 0 }
        var score = 0.0
        var symbols = 0, strong = 0, nonASCIIletters = 0, asciiLetters = 0, parens = 0
        var i = 0
        while i < u.count {
            let b = u[i]
            let next: UInt8 = i + 1 < u.count ? u[i + 1] : 0
            switch b {
            case 123, 125, 59: symbols += 2          // { } ;
            case 91, 93, 61, 60, 62, 36, 96, 92: symbols += 1   // [ ] = < > $ ` \
            case 40, 41: parens += 1                 // ( ): prose uses them too
            default: break
            }
            if (b == 61 && next == 62) || (b == 45 && next == 62) || (b == 58 && next == 58) || (b == 61 && next == 61)
                || (b == 33 && next == 61) || (b == 38 && next == 38) || (b == 124 && next == 124) || (b == 124 && next == 62)
                || (b == 58 && next == 61) || (b == 47 && next == 47 && (i == 0 || u[i - 1] == 32)) || (b == 47 && next == 42)
                || (b == 60 && next == 47) || (b == 47 && next == 62) || (b == 36 && next == 123) || (b == 123 && next == 123)
                || (b == 41 && next == 59) || (b == 41 && next == 123) {
                strong += 1
            }
            if (b >= 65 && b <= 90) || (b >= 97 && b <= 122) { asciiLetters += 1 }
            if b >= 0xC0 { nonASCIIletters += 1 }
            i += 1
        }
        // A sentence with no code signs at all is prose: no need to look at its words.
        if symbols == 0, strong == 0, parens == 0, line.indent < 2, line.words >= 6,
           line.end == .period || line.end == .question || line.end == .exclamation || line.words >= 20 {
            return line.end == .period ? -2 : 0
        }
        let trimmed = line.text
        let words = trimmed.split(separator: " ", maxSplits: 40)
        guard let firstWord = words.first else { return 0 }
        let first = firstWord.lowercased()
        var firstKey = first
        while let l = firstKey.last, l == "(" || l == "{" || l == ";" || l == "," { firstKey.removeLast() }

        // Keywords and commands at the start.
        // Keywords and commands are written in lower case ("import", "npm"); SQL may shout ("SELECT").
        let lowerStart = firstWord.first.map { $0.isLowercase || !$0.isLetter } ?? false
        if keywords.contains(firstKey) || keywords.contains(first), lowerStart || firstWord.allSatisfy({ !$0.isLowercase }) && firstWord.count > 2 {
            // Upper-case SQL, or lower-case code keywords followed by something code-like.
            let isSQL = ["select", "insert", "update", "create", "alter", "drop", "with", "where", "group", "order",
                         "limit", "join", "from", "values", "set", "begin", "commit"].contains(firstKey)
            if isSQL {
                let sqlWords: Set<String> = ["table", "index", "policy", "view", "into", "from", "where", "set", "on", "by",
                                             "select", "values", "distinct", "join", "trigger", "function", "database", "schema"]
                let second = words.count > 1 ? words[1].lowercased() : ""
                score += firstWord.allSatisfy({ !$0.isLowercase }) ? 2.5 : sqlWords.contains(second) ? 2 : 1
            } else {
                score += 1.5
            }
        }
        if firstWord.hasPrefix("$") && words.count > 1 { score += 2 }       // "$ npm install"
        // "import os", "from flask import Flask", "#include <stdio.h>", "using System;", "package main".
        if (first == "import" || first == "#include" || first == "package" || first == "using") && words.count >= 2 && words.count <= 12
            && line.end != .period || first == "from" && words.count >= 4 && words[2] == "import" {
            score += 2
        }
        // A command line: a tool's name in lower case, its arguments, no sentence.
        if commands.contains(firstKey), firstWord.first?.isLowercase == true, words.count >= 2, words.count <= 12,
           line.end != .period && line.end != .colon && line.end != .question {
            score += 2
        }
        if firstWord.hasPrefix("#") && !firstWord.hasPrefix("##") && words.count >= 2, !Vocabulary.hashtagLine(trimmed) {
            score += 0.5                                                     // a comment, or a Markdown heading
        }
        if firstWord.hasPrefix("//") || firstWord.hasPrefix("/*") || firstWord.hasPrefix("--") && firstWord.count == 2 {
            score += 2
        }
        // Flags and paths: "--save-dev", "-p 7700:7700", "./terraform.tfstate".
        var flags = 0, identifiers = 0, calls = 0
        for w in words.dropFirst() {
            if (w.hasPrefix("--") && w.count > 2) || (w.hasPrefix("-") && w.count == 2 && w.last!.isLetter) { flags += 1 }
        }
        for w in words {
            // snake_case, a.b.c, call(, camelCase inside a word.
            var sawLower = false, camel = false, underscore = false, dot = false, paren = false
            var previous: Character = " "
            for c in w {
                if c.isLowercase { sawLower = true }
                if c.isUppercase, sawLower, previous.isLowercase { camel = true }
                if c == "_" { underscore = true }
                if c == ".", previous.isLetter { dot = true }
                if c == "(", previous.isLetter || previous.isNumber || previous == "_" { paren = true }
                previous = c
            }
            // "useState" is code; "CloudFormation" and "BigQuery" are names.
            if underscore || camel && w.count > 3 && w.first?.isLowercase == true { identifiers += 1 }
            if dot && paren { calls += 2 } else if paren { calls += 1 } else if dot && (camel || underscore) { identifiers += 1 }
        }
        score += Double(min(flags, 2)) * 1.0
        score += Double(min(identifiers, 3)) * 0.6
        score += Double(min(calls, 3)) * 0.9
        score += Double(min(strong, 3)) * 1.2
        // Parentheses count fully next to other code signs or in a call ("print(scores)"); "(OpenAI)" is prose.
        var call = false
        var p: UInt8 = 0
        for b in u { if b == 40, (p >= 97 && p <= 122) || (p >= 65 && p <= 90) || (p >= 48 && p <= 57) || p == 95 || p == 46 { call = true; break }; p = b }
        symbols += symbols > 0 || call ? parens : parens / 2
        let density = Double(symbols) / Double(max(1, u.count))
        score += min(3, density * 25)

        // How the line ends.
        if let last = trimmed.last {
            if last == ";" || last == "{" || last == "}" || last == "(" || last == "[" { score += 1.5 }
            if last == ")" || last == "]" || last == "," { score += 0.3 }
        }
        // "for p in prompts:", "def checkout():": a block opener.
        if trimmed.hasSuffix(":"), ["for", "if", "elif", "else", "while", "with", "try", "except", "def", "class", "async", "match", "case"].contains(firstKey),
           firstWord.first?.isLowercase == true {
            score += 1.5
        }
        if trimmed == "}" || trimmed == "};" || trimmed == ")" || trimmed == "});" || trimmed == "})" || trimmed == "]"
            || trimmed == "end" || trimmed == "</ul>" || trimmed == "fi" || trimmed == "done" {
            score += 3
        }
        // key = value (TOML, HCL), key: value (YAML) with identifier keys.
        if let eq = trimmed.range(of: " = ") {
            let key = trimmed[..<eq.lowerBound]
            if !key.isEmpty, !key.contains(" "), key.allSatisfy({ $0.isLetter || $0.isNumber || "_.-[]\"".contains($0) }) { score += 2 }
        }
        if let colon = trimmed.firstIndex(of: ":") {
            var key = trimmed[..<colon]
            if key.hasPrefix("- ") { key = key.dropFirst(2) }
            let value = trimmed[trimmed.index(after: colon)...]
            let identifierKey = !key.isEmpty && !key.contains(" ")
                && key.allSatisfy({ $0.isLetter || $0.isNumber || "_-.\"".contains($0) })
            if identifierKey {
                let lowerKey = key.first.map { $0.isLowercase } ?? false
                if value.isEmpty { score += line.indent > 0 || lowerKey ? 1.5 : 0.5 }
                else if value.first == " " {
                    let v = value.dropFirst()
                    let scalar = v.split(separator: " ").count <= 2
                    if lowerKey && scalar { score += 1.5 } else if scalar && line.indent >= 2 { score += 1 }
                }
            }
        }
        // Angle-bracket markup: "<Greeting name="World" />".
        if trimmed.hasPrefix("<"), trimmed.contains(">"), let second = trimmed.dropFirst().first, second.isLetter || second == "/" {
            score += 2
        }
        // Indented lines that are not list items lean towards code.
        if line.indent >= 2, line.bulletPrefix == 0 { score += 0.5 }
        // A file path alone: "pages/", "index.js", ".gitlab-ci.yml".
        if words.count == 1, pathLike(trimmed) { score += 1 }

        // Prose pulls the other way.
        var function = 0
        for w in words.prefix(30) {
            var k = w.lowercased()
            while let l = k.last, !l.isLetter { k.removeLast() }
            if functionWords.contains(k) { function += 1 }
        }
        if function >= 3 { score -= Double(min(function, 8)) * 0.5 }
        if line.end == .period, words.count >= 6 { score -= 2 }
        if line.end == .colon, words.count >= 4, identifiers == 0 { score -= 1.5 }
        if line.bulletPrefix > 0 { score -= 1.5 }
        let letters = asciiLetters + nonASCIIletters
        if letters > 0, Double(nonASCIIletters) / Double(letters) > 0.08 { score -= 3 }
        if let f = firstWord.first, f.isUppercase, words.count >= 5, function >= 2 { score -= 1 }
        return score
    }

    static func pathLike(_ s: String) -> Bool {
        guard s.utf8.count >= 3, !s.contains(" ") else { return false }
        if s.hasSuffix("/") { return s.dropLast().allSatisfy { $0.isLetter || $0.isNumber || "._-/".contains($0) } }
        let exts = [".js", ".ts", ".jsx", ".tsx", ".py", ".rb", ".go", ".rs", ".yml", ".yaml", ".json", ".toml", ".md",
                    ".tf", ".vue", ".svelte", ".css", ".html", ".sh", ".sql", ".java", ".kt", ".cs", ".swift"]
        return exts.contains { s.hasSuffix($0) }
    }
}
