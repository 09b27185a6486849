import Foundation
import Testing
@testable import VersusCore
import VersusTestSupport

/// Files made from others, checked against what they are made from: the copy of `templates/`
/// that `versus init` writes (Sources/VersusCore/Init/BundledTemplates.swift) and the generated
/// tables of docs/reference.md. `make generated` (VERSUS_REGENERATE=1) rewrites both.
@Suite struct GeneratedFilesTests {
    static let regenerate = ProcessInfo.processInfo.environment["VERSUS_REGENERATE"] == "1"
    static let bundledPath = repositoryRoot + "/Sources/VersusCore/Init/BundledTemplates.swift"
    static let referencePath = repositoryRoot + "/docs/reference.md"

    /// The Swift source of `BundledTemplates`: each file of `templates/` as a raw string
    /// literal (bytes as numbers for a file that is not UTF-8 text without carriage returns).
    static func bundledSource() throws -> String {
        var out = """
        // Generated from templates/ by `make generated`; GeneratedFilesTests fails when it drifts. Do not edit.
        enum BundledTemplates {
            static let files: [(path: String, bytes: [UInt8])] = [

        """
        for path in try FileIO.disk.list(repositoryRoot + "/templates").sorted() {
            let bytes = try FileIO.disk.read(repositoryRoot + "/templates/" + path)
            if let text = String(validating: bytes, as: UTF8.self), !text.contains("\r") {
                var hashes = "#"
                while text.contains("\"" + hashes) || text.contains("\\" + hashes) { hashes += "#" }
                // A multi-line literal ends before the newline that precedes its delimiter.
                let body = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "        " + $0 }
                    .joined(separator: "\n")
                out += "        (\"\(path)\", Array(\(hashes)\"\"\"\n\(body)\n        \"\"\"\(hashes).utf8)),\n"
            } else {
                out += "        (\"\(path)\", \(bytes)),\n"
            }
        }
        return out + "    ]\n}\n"
    }

    @Test func bundledTemplatesAreTheTemplatesFolder() throws {
        let expected = try Self.bundledSource()
        if Self.regenerate { try FileIO.disk.write(Self.bundledPath, Array(expected.utf8)) }
        let current = try FileIO.disk.readString(Self.bundledPath)
        #expect(current == expected, "Sources/VersusCore/Init/BundledTemplates.swift differs from templates/: run 'make generated'")
        // And what was compiled in is byte for byte the folder (for this build of the tests).
        let onDisk = try FileIO.disk.list(repositoryRoot + "/templates").sorted()
        #expect(BundledTemplates.files.map(\.path) == onDisk, "run 'make generated' and rebuild")
        for file in BundledTemplates.files where onDisk.contains(file.path) {
            #expect(file.bytes == (try FileIO.disk.read(repositoryRoot + "/templates/" + file.path)), "\(file.path): run 'make generated' and rebuild")
        }
    }

    @Test func referenceDocumentMatchesTheCode() throws {
        let current = try FileIO.disk.readString(Self.referencePath)
        let expected = Reference.update(current)
        if Self.regenerate, expected != current { try FileIO.disk.write(Self.referencePath, Array(expected.utf8)) }
        for (name, _) in Reference.blocks {
            #expect(current.contains("<!-- generated: \(name) -->\n") && current.contains("<!-- end generated: \(name) -->"),
                    "docs/reference.md has no generated block '\(name)'")
        }
        // Name what is missing where, both ways, before comparing the whole text.
        var documented: Set<String> = []
        for (name, _) in Reference.blocks {
            guard let b = current.range(of: "<!-- generated: \(name) -->"), let e = current.range(of: "<!-- end generated: \(name) -->") else { continue }
            documented.formUnion(current[b.upperBound..<e.lowerBound].matches(of: /\n\| `([^`]+)` \|/).map { String($0.output.1) })
        }
        let names = Reference.names
        for (part, inCode) in [("versus.yml key", names.config), ("front-matter key", names.frontMatter), ("template variable", names.templates)] {
            for name in inCode where !documented.contains(name) {
                Issue.record("\(part) '\(name)' is in the code but not in docs/reference.md: run 'make generated'")
            }
        }
        let inCode = Set(names.config + names.frontMatter + names.templates)
        for name in documented where !inCode.contains(name) {
            Issue.record("docs/reference.md documents '\(name)', which the code does not have: run 'make generated'")
        }
        #expect(current == expected, "docs/reference.md differs from the code: run 'make generated'")
    }

    /// The config parser and the reference read one table.
    @Test func everyConfigKeyInTheTableIsRead() {
        for row in ConfigKey.referenceRows where !row.path.hasPrefix("cta.") {
            let (_, diagnostics) = SiteConfig.parse(yaml(for: row.path), file: "versus.yml")
            #expect(!diagnostics.contains { $0.message.contains("unknown key") }, "\(row.path): \(diagnostics)")
        }
    }

    /// `a.b.c` → nested YAML with a value of the key's type, or at least a key the parser knows.
    func yaml(for path: String) -> String {
        let parts = path.split(separator: ".")
        var out = ""
        for (i, p) in parts.enumerated() {
            out += String(repeating: "  ", count: i) + p + ":" + (i == parts.count - 1 ? " ~\n" : "\n")
        }
        return out
    }
}
