import Foundation
import Testing
@testable import VersusCore
import VersusTestSupport

/// The official Mustache spec, run against the engine untyped. The files are not in the
/// repository: `make mustache-spec` (Tests/mustache-spec.sh) puts them in .build/mustache-spec
/// (or set MUSTACHE_SPEC_DIR). Missing files fail the tests; nothing is skipped silently.
@Suite struct MustacheSpecTests {
    static let directory: String = {
        if let dir = ProcessInfo.processInfo.environment["MUSTACHE_SPEC_DIR"], !dir.isEmpty { return dir }
        return repositoryRoot + "/.build/mustache-spec"
    }()

    /// Cases skipped by name ("file/test name"), each with the reason: only for a case where
    /// the spec copy in .build/mustache-spec disagrees with the newest official spec, which the
    /// engine follows. None does today: every case of Debian's copy (mustache-java 0.9.1) also
    /// holds under the newest spec (its differences are renamed tests and other sample data).
    static let skipped: [String: String] = [:]

    /// The spec files for `spec`: core specs as .json and .yml, inheritance as
    /// `inheritance.yml` (Debian's copy) or `~inheritance.json`/`.yml` (the official repository).
    static func files(_ spec: String) -> [String] {
        let names = spec == "inheritance"
            ? ["inheritance.json", "inheritance.yml", "~inheritance.json", "~inheritance.yml"]
            : ["\(spec).json", "\(spec).yml"]
        return names.filter { FileManager.default.fileExists(atPath: directory + "/" + $0) }
    }

    @Test(arguments: ["comments", "delimiters", "interpolation", "inverted", "partials", "sections", "inheritance"])
    func spec(_ spec: String) throws {
        let files = Self.files(spec)
        try #require(!files.isEmpty, """
            Mustache spec files for '\(spec)' are missing from \(Self.directory). \
            Run `make mustache-spec` (Tests/mustache-spec.sh) or set MUSTACHE_SPEC_DIR.
            """)
        for file in files {
            let text = try String(contentsOfFile: Self.directory + "/" + file, encoding: .utf8)
            guard case .dictionary(let spec) = try MustacheValue.yaml(text), case .list(let tests)? = spec["tests"] else {
                Issue.record("\(file) has no list of tests")
                continue
            }
            var passed = 0, failed = 0, skipped = 0
            for case .dictionary(let test) in tests {
                guard case .text(let name)? = test["name"], case .text(let template)? = test["template"],
                      case .text(let expected)? = test["expected"] else {
                    Issue.record("\(file): a test lacks its name, template or expected output")
                    failed += 1
                    continue
                }
                if Self.skipped["\(file)/\(name)"] != nil {
                    skipped += 1
                    continue
                }
                var templates: [String: String] = [:]
                if case .dictionary(let partials)? = test["partials"] {
                    for (key, value) in partials {
                        guard case .text(let partial) = value else { continue }
                        templates[key] = partial
                    }
                }
                let main = "spec-template"
                templates[main] = template
                let data = test["data"] ?? .null
                let output: String
                do {
                    output = try MustacheLibrary(untyped: templates).render(main, data)
                } catch {
                    Issue.record("\(file): \(name): \(error)")
                    failed += 1
                    continue
                }
                #expect(output == expected, "\(file): \(name)\n--- template\n\(template)\n--- got\n\(output)\n--- expected\n\(expected)")
                if output == expected { passed += 1 } else { failed += 1 }
            }
            #expect(passed + failed + skipped == tests.count)
            #expect(passed > 0, "\(file): no case passed")
            print("Mustache spec \(file): \(passed) of \(tests.count) cases pass, \(failed) fail, \(skipped) skipped")
        }
    }
}
