/// How much a line looks like source code, a shell command or a config file, by its
/// bytes: symbols, keywords, identifiers, and how little it reads like a sentence.
enum CodeShape {
    /// First words that start code lines (lower-cased compare for SQL).
    static let keywords: FixedSet = [
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
    static let commands: FixedSet = [
        "npm", "npx", "yarn", "pnpm", "pip", "pip3", "python", "python3", "node", "deno", "bun", "go", "cargo", "rustc",
        "docker", "kubectl", "helm", "terraform", "pulumi", "aws", "gcloud", "az", "brew", "apt", "apt-get", "rails",
        "rake", "bundle", "gem", "wrangler", "make", "cmake", "gradle", "mvn", "dotnet", "podman", "flyctl", "curl",
        "wget", "git", "alias", "sudo", "cd", "ls", "mkdir", "export", "echo", "cat", "ssh", "scp", "chmod", "systemctl",
        "composer", "php", "java", "javac", "swift", "ruby", "bash", "sh", "psql", "mysql", "redis-cli", "mongo", "mongosh",
    ]
    static let functionWords: FixedSet = [
        "the", "a", "an", "and", "or", "is", "are", "was", "to", "of", "in", "for", "with", "that", "this", "it",
        "you", "we", "your", "can", "be", "on", "as", "by", "but", "not", "which", "when", "so", "if", "at", "its",
        "their", "they", "has", "have", "more", "than", "most", "all", "both", "each", "one", "how", "what",
        "o", "os", "e", "de", "da", "do", "um", "uma", "para", "com", "que", "em", "der", "die", "und", "el", "la",
    ]

    /// Per byte: 1 an ASCII letter, 2 a non-ASCII lead byte, 3 a code sign, 0 anything else.
    static let byteKind: [UInt8] = (0..<256).map { b -> UInt8 in
        if (b >= 65 && b <= 90) || (b >= 97 && b <= 122) { return 1 }
        if b >= 0xC0 { return 2 }
        let signs: Set<Int> = [123, 125, 59, 91, 93, 61, 60, 62, 36, 96, 92, 40, 41, 45, 58, 33, 38, 124, 47]
        return signs.contains(b) ? 3 : 0
    }

    static func score(_ line: CaptureLine) -> Double {
        let raw = line.raw
        guard !raw.isEmpty, !line.text.isEmpty else { return 0 }
        // "TL;DR" is a heading, whatever its semicolon says.
        if line.words <= 3, raw.utf8.count <= 12, ByteText.hasPrefix(ByteText.lowered(line.text), "tl;dr") { return 0 }
        var score = 0.0
        // The signs, read in place (a line of prose is told from code without a copy of its bytes),
        // counted in the closure's own variables (registers, not captured memory written for each byte).
        let (signs, strong, nonASCIIletters, asciiLetters, parens) = raw.withBytes { u -> (Int, Int, Int, Int, Int) in
            byteKind.withUnsafeBufferPointer { kinds -> (Int, Int, Int, Int, Int) in
                var symbols = 0, strong = 0, nonASCIIletters = 0, asciiLetters = 0, parens = 0
                var i = 0
                while i < u.count {
                    let b = u[i]
                    let kind = kinds[Int(b)]
                    i += 1
                    if kind == 1 { asciiLetters += 1; continue }      // most bytes: letters
                    if kind == 0 { continue }
                    if kind == 2 { nonASCIIletters += 1; continue }
                    let next: UInt8 = i < u.count ? u[i] : 0
                    switch b {
                    case 123, 125, 59: symbols += 2          // { } ;
                    case 91, 93, 61, 60, 62, 96, 92: symbols += 1   // [ ] = < > ` \
                    case 36 where !(next >= 48 && next <= 57): symbols += 1   // $, but not a price's ("$94")
                    case 40, 41: parens += 1                 // ( ): prose uses them too
                    default: break
                    }
                    if (b == 61 && next == 62) || (b == 45 && next == 62) || (b == 58 && next == 58) || (b == 61 && next == 61)
                        || (b == 33 && next == 61) || (b == 38 && next == 38) || (b == 124 && next == 124) || (b == 124 && next == 62)
                        || (b == 58 && next == 61) || (b == 47 && next == 47 && (i == 1 || u[i - 2] == 32)) || (b == 47 && next == 42)
                        || (b == 60 && next == 47) || (b == 47 && next == 62) || (b == 36 && next == 123) || (b == 123 && next == 123)
                        || (b == 41 && next == 59) || (b == 41 && next == 123) {
                        strong += 1
                    }
                }
                return (symbols, strong, nonASCIIletters, asciiLetters, parens)
            }
        }
        var symbols = signs
        // A sentence with no code signs at all is prose: no need to look at its words.
        if symbols == 0, strong == 0, parens == 0, line.indent < 2, line.words >= 6,
           line.end == .period || line.end == .question || line.end == .exclamation || line.words >= 20 {
            return line.end == .period ? -2 : 0
        }
        let u = raw.byteArray
        // The words, as byte ranges of the collapsed text (at most 41 of them).
        let t = line.text.byteArray
        var words: [Range<Int>] = []
        words.reserveCapacity(Swift.min(41, t.count / 2 + 1))
        var i0 = 0
        while i0 < t.count, words.count < 41 {
            while i0 < t.count, t[i0] == 32 { i0 += 1 }
            guard i0 < t.count else { break }
            let s0 = i0
            while i0 < t.count, t[i0] != 32 { i0 += 1 }
            words.append(s0..<i0)
        }
        guard let w0 = words.first else { return 0 }
        let firstWord = t[w0]
        let first = String(decoding: firstWord, as: UTF8.self).lowercased()
        var firstKey = first
        while let l = firstKey.last, l == "(" || l == "{" || l == ";" || l == "," { firstKey.removeLast() }
        let f0 = firstWord.first!
        let firstLower = f0 >= 97 && f0 <= 122
        let firstUpper = f0 >= 65 && f0 <= 90
        // Keywords and commands are written in lower case ("import", "npm"); SQL may shout ("SELECT").
        let lowerStart: Bool
        if f0 < 0x80 { lowerStart = firstLower || !Self.isLetter(f0) }
        else { lowerStart = String(decoding: firstWord, as: UTF8.self).first.map { $0.isLowercase || !$0.isLetter } ?? false }
        let shouts = firstWord.count > 2 && !firstWord.contains(where: { $0 >= 97 && $0 <= 122 })
            && (f0 < 0x80 || !String(decoding: firstWord, as: UTF8.self).contains(where: \.isLowercase))

        // Keywords and commands at the start.
        if keywords.contains(firstKey) || keywords.contains(first), lowerStart || shouts {
            if Self.sqlStarts.contains(firstKey) {
                let second = words.count > 1 ? String(decoding: t[words[1]], as: UTF8.self).lowercased() : ""
                score += shouts ? 2.5 : Self.sqlWords.contains(second) ? 2 : 1
            } else {
                score += 1.5
            }
        }
        if f0 == 36 && words.count > 1 { score += 2 }                     // "$ npm install"
        // "import os", "from flask import Flask", "#include <stdio.h>", "using System;", "package main".
        if (first == "import" || first == "#include" || first == "package" || first == "using") && words.count >= 2 && words.count <= 12
            && line.end != .period || first == "from" && words.count >= 4 && t[words[2]].elementsEqual("import".utf8) {
            score += 2
        }
        // A command line: a tool's name in lower case, its arguments, no sentence.
        if commands.contains(firstKey), firstLower, words.count >= 2, words.count <= 12,
           line.end != .period && line.end != .colon && line.end != .question {
            score += 2
        }
        if f0 == 35, !(firstWord.count >= 2 && firstWord[firstWord.startIndex + 1] == 35), words.count >= 2, !Vocabulary.hashtagLine(line.text) {
            score += 0.5                                                     // a comment, or a Markdown heading
        }
        if firstWord.starts(with: [47, 47]) || firstWord.starts(with: [47, 42]) || firstWord.elementsEqual([45, 45]) {
            score += 2
        }
        // Flags and paths: "--save-dev", "-p 7700:7700"; identifiers: snake_case, a.b.c, call(, camelCase.
        var flags = 0, identifiers = 0, calls = 0, function = 0
        for (index, r) in words.enumerated() {
            let w = t[r]
            let c0 = w.first!
            if index > 0, c0 == 45 {
                if w.count > 2 && w[r.lowerBound + 1] == 45 { flags += 1 }
                else if w.count == 2, Self.isLetter(w[r.lowerBound + 1]) { flags += 1 }
            }
            var sawLower = false, camel = false, underscore = false, dot = false, paren = false
            var previous: UInt8 = 32
            for c in w {
                let lower = c >= 97 && c <= 122
                if lower { sawLower = true }
                if c >= 65 && c <= 90, sawLower, previous >= 97 && previous <= 122 { camel = true }
                if c == 95 { underscore = true }
                if c == 46, Self.isLetter(previous) { dot = true }
                if c == 40, Self.isLetter(previous) || (previous >= 48 && previous <= 57) || previous == 95 { paren = true }
                previous = c
            }
            // "useState" is code; "CloudFormation" and "BigQuery" are names.
            if underscore || camel && w.count > 3 && c0 >= 97 && c0 <= 122 { identifiers += 1 }
            if dot && paren { calls += 2 } else if paren { calls += 1 } else if dot && (camel || underscore) { identifiers += 1 }
            // Prose words: "the", "and", "which"…
            if index < 30, Self.isFunctionWord(w) { function += 1 }
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
        let last = t.last!
        if last == 59 || last == 123 || last == 125 || last == 40 || last == 91 { score += 1.5 }   // ; { } ( [
        if last == 41 || last == 93 || last == 44 { score += 0.3 }                                  // ) ] ,
        // "for p in prompts:", "def checkout():": a block opener.
        if last == 58, Self.blockOpeners.contains(firstKey), firstLower { score += 1.5 }
        if t.count <= 6, Self.closers.contains(line.text) { score += 3 }
        // key = value (TOML, HCL), key: value (YAML) with identifier keys.
        if let eq = Self.firstIndex(of: [32, 61, 32], in: t), eq > 0 {
            let key = t[..<eq]
            if key.allSatisfy({ Self.isLetter($0) || ($0 >= 48 && $0 <= 57) || $0 == 95 || $0 == 46 || $0 == 45 || $0 == 91 || $0 == 93 || $0 == 34 }) { score += 2 }
        }
        if let colon = t.firstIndex(of: 58) {
            var keyStart = 0
            if t.starts(with: [45, 32]) { keyStart = 2 }
            let identifierKey = colon > keyStart
                && t[keyStart..<colon].allSatisfy({ Self.isLetter($0) || ($0 >= 48 && $0 <= 57) || $0 == 95 || $0 == 45 || $0 == 46 || $0 == 34 })
            if identifierKey {
                let lowerKey = t[keyStart] >= 97 && t[keyStart] <= 122
                if colon + 1 == t.count { score += line.indent > 0 || lowerKey ? 1.5 : 0.5 }
                else if t[colon + 1] == 32 {
                    // A scalar value: at most two words.
                    var pieces = 0, inWord = false
                    for b in t[(colon + 2)...] {
                        if b == 32 { inWord = false } else if !inWord { inWord = true; pieces += 1 }
                    }
                    let scalar = pieces <= 2
                    if lowerKey && scalar { score += 1.5 } else if scalar && line.indent >= 2 { score += 1 }
                }
            }
        }
        // Angle-bracket markup: "<Greeting name="World" />".
        if f0 == 60, t.count > 1, t.contains(62), Self.isLetter(t[1]) || t[1] == 47 { score += 2 }
        // Indented lines that are not list items lean towards code.
        if line.indent >= 2, line.bulletPrefix == 0 { score += 0.5 }
        // A file path alone: "pages/", "index.js", ".gitlab-ci.yml".
        if words.count == 1, pathLike(line.text) { score += 1 }

        // Prose pulls the other way.
        if function >= 3 { score -= Double(min(function, 8)) * 0.5 }
        if line.end == .period, words.count >= 6 { score -= 2 }
        if line.end == .colon, words.count >= 4, identifiers == 0 { score -= 1.5 }
        if line.bulletPrefix > 0 { score -= 1.5 }
        let letters = asciiLetters + nonASCIIletters
        if letters > 0, Double(nonASCIIletters) / Double(letters) > 0.08 { score -= 3 }
        if firstUpper, words.count >= 5, function >= 2 { score -= 1 }
        return score
    }

    /// A tool's name in lower case, then its arguments: "npm install -g x", "brew install y".
    static func commandLine(_ line: CaptureLine) -> Bool {
        guard line.words >= 2, line.words <= 12, let f = line.text.utf8.first, f >= 97 && f <= 122 else { return false }
        let first = line.text.prefix { $0 != " " }
        return commands.contains(String(first)) && line.end != .period && line.end != .colon && line.end != .question
    }

    /// Whether a word of the line is a command-line flag: `-S`, `-t`, `--force` (a dash then a letter).
    static func hasFlag(_ line: CaptureLine) -> Bool {
        line.text.byteArray.split(separator: 32).contains { w in
            var i = w.startIndex
            if i < w.endIndex, w[i] == 45 { i += 1 } else { return false }
            if i < w.endIndex, w[i] == 45 { i += 1 }
            return i < w.endIndex && ((w[i] >= 97 && w[i] <= 122) || (w[i] >= 65 && w[i] <= 90))
        }
    }

    /// Shaped like a shell command: lower-case words (or flags, paths, values), no closing
    /// punctuation, no prose words: "acme init", "acme config set -a my-app".
    static func commandShaped(_ line: CaptureLine) -> Bool {
        guard line.words >= 1, line.words <= 12, line.end == .none, line.bulletPrefix == 0, line.numberPrefix == 0,
              let f = line.text.utf8.first, f >= 97 && f <= 122 else { return false }
        var function = 0
        for w in line.text.byteArray.split(separator: 32) {
            guard let c = w.first else { continue }
            // Every word starts in lower case or with a code sign.
            if c >= 65 && c <= 90 { return false }
            if isFunctionWord(w) { function += 1 }
        }
        return function == 0
    }

    static let sqlStarts: FixedSet = ["select", "insert", "update", "create", "alter", "drop", "with", "where", "group", "order",
                                         "limit", "join", "from", "values", "set", "begin", "commit"]
    static let sqlWords: FixedSet = ["table", "index", "policy", "view", "into", "from", "where", "set", "on", "by",
                                        "select", "values", "distinct", "join", "trigger", "function", "database", "schema"]
    static let blockOpeners: Set<String> = ["for", "if", "elif", "else", "while", "with", "try", "except", "def", "class", "async", "match", "case"]
    static let closers: Set<String> = ["}", "};", ")", "});", "})", "]", "end", "</ul>", "fi", "done"]

    @inline(__always)
    static func isLetter(_ b: UInt8) -> Bool { (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || b >= 0x80 }

    static func firstIndex(of needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard needle.count <= hay.count else { return nil }
        var i = 0
        while i + needle.count <= hay.count {
            if hay[i] == needle[0] {
                var ok = true
                for j in 1..<needle.count where hay[i + j] != needle[j] { ok = false; break }
                if ok { return i }
            }
            i += 1
        }
        return nil
    }

    /// The function words packed into integers (lower-case ASCII, at most 8 bytes), so a word is
    /// looked up without making a string of it.
    static let packedFunctionWords: Set<UInt64> = Set(functionWords.compactMap { pack(Array($0.utf8)[...]) })

    static func pack(_ w: ArraySlice<UInt8>) -> UInt64? {
        guard !w.isEmpty, w.count <= 8 else { return nil }
        var v: UInt64 = 0
        for b in w {
            guard b < 0x80 else { return nil }
            v = v << 8 | UInt64(b >= 65 && b <= 90 ? b + 32 : b)
        }
        return v
    }

    /// Whether a word (trailing punctuation aside) is one of the function words of prose.
    static func isFunctionWord(_ w: ArraySlice<UInt8>) -> Bool {
        var end = w.endIndex
        while end > w.startIndex, !isLetter(w[end - 1]) { end -= 1 }
        guard end > w.startIndex, end - w.startIndex <= 8, let v = pack(w[w.startIndex..<end]) else { return false }
        return packedFunctionWords.contains(v)
    }

    static func pathLike(_ s: String) -> Bool {
        // (No space byte, no space: Foundation is asked only of a text that has one.)
        guard s.utf8.count >= 3, !(s.hasByte(32) && s.contains(" ")) else { return false }
        if ByteText.hasSuffix(s, "/") { return s.dropLast().allSatisfy { $0.isLetter || $0.isNumber || "._-/".contains($0) } }
        let exts = [".js", ".ts", ".jsx", ".tsx", ".py", ".rb", ".go", ".rs", ".yml", ".yaml", ".json", ".toml", ".md",
                    ".tf", ".vue", ".svelte", ".css", ".html", ".sh", ".sql", ".java", ".kt", ".cs", ".swift"]
        return exts.contains { ByteText.hasSuffix(s, $0) }
    }
}
