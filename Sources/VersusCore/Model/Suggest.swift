/// "Did you mean …?": the nearest known name to a mistyped one, for config keys,
/// front-matter keys and subcommands alike.
public enum Suggest {
    /// The candidate closest to `word` when it is close enough to be a typo of it:
    /// at most a third of its letters off (at least one), counting a swap of two
    /// neighbouring letters as one edit and ignoring case, `_` and `-`.
    public static func nearest(_ word: String, in candidates: [String]) -> String? {
        let w = folded(word)
        guard !w.isEmpty else { return nil }
        let limit = max(1, w.count / 3)
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let d = distance(w, folded(candidate))
            if d <= limit, d < (best?.distance ?? .max) { best = (candidate, d) }
        }
        return best?.name
    }

    /// `; did you mean 'base_url'?`, or nothing.
    public static func didYouMean(_ word: String, in candidates: [String]) -> String {
        nearest(word, in: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    static func folded(_ s: String) -> [Character] {
        Array(s.lowercased().filter { $0 != "_" && $0 != "-" })
    }

    /// Optimal string alignment distance (Levenshtein with adjacent transpositions).
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}
