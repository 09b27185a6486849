import Testing
@testable import VersusCore

/// Strict compilation: every problem reported with file:line:column (of the tag's first
/// delimiter character) and a compiler-style message, all of them, not only the first.
@Suite struct MustacheStrictTests {
    /// The diagnostics of compiling root `t` (templates/t.mustache) against `SampleComparison`.
    func problems(_ text: String, partials: [String: String] = ["base": "<main>{{$main}}{{/main}}</main>"],
                  file: String = "templates/t.mustache",
                  sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
        var templates: [String: (file: String, text: String)] = ["t": (file, text)]
        for (name, text) in partials { templates[name] = ("templates/\(name).mustache", text) }
        do {
            _ = try MustacheLibrary(templates: templates, roots: ["t": SampleComparison.mustacheSchema])
            Issue.record("compiled without error", sourceLocation: sourceLocation)
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    // MARK: Names

    @Test func unknownVariable() {
        #expect(problems("{{#page}}\n<h1>{{titel}}</h1>\n{{/page}}\n") == [
            "templates/t.mustache:2:5: error: unknown variable 'titel' in 'page' (did you mean 'title'?)",
        ])
        #expect(problems("<html lang=\"{{sitee.language}}\">") == [
            "templates/t.mustache:1:13: error: unknown variable 'sitee' in the root context (did you mean 'site'?)",
        ])
        // Nothing close enough: no suggestion.
        #expect(problems("{{#page}}{{zzz}}{{/page}}") == [
            "templates/t.mustache:1:10: error: unknown variable 'zzz' in 'page'",
        ])
    }

    @Test func unknownDottedName() {
        #expect(problems("<p>{{page.byline.nmae}}</p>") == [
            "templates/t.mustache:1:4: error: unknown variable 'nmae' in 'page.byline' (did you mean 'name'?)",
        ])
        #expect(problems("{{page.title.length}}") == [
            "templates/t.mustache:1:1: error: 'page.title' is text; it has no field 'length'",
        ])
    }

    // MARK: Sections

    @Test func unclosedSection() {
        // Reported at the opening tag, not at the end of the file.
        let filler = String(repeating: "<p>filler</p>\n", count: 20)
        #expect(problems("{{#page}}\n" + filler + "  {{#has_toc}}\n<nav></nav>\n{{/page}}\n", file: "templates/comparison.mustache") == [
            "templates/comparison.mustache:22:3: error: section 'has_toc' is never closed",
        ])
        #expect(problems("<p>\n{{#page.has_toc}}\n<nav></nav>\n") == [
            "templates/t.mustache:2:1: error: section 'page.has_toc' is never closed",
        ])
        // Closed by an outer section's end: the inner one was left open.
        #expect(problems("{{#page}}\n  {{#has_toc}}\n  <nav></nav>\n{{/page}}\n") == [
            "templates/t.mustache:2:3: error: section 'has_toc' is never closed",
        ])
    }

    @Test func mismatchedClose() {
        #expect(problems("{{#page}}\n  {{#has_toc}}\n  {{/foo}}\n{{/page}}\n") == [
            "templates/t.mustache:3:3: error: '{{/foo}}' closes 'foo', but the open section is 'has_toc' (opened at 2:3)",
        ])
    }

    @Test func strayClose() {
        #expect(problems("<p>x</p>{{/foo}}\n") == [
            "templates/t.mustache:1:9: error: '{{/foo}}' closes a section that was never opened",
        ])
    }

    // MARK: Partials and parents

    @Test func missingPartial() {
        #expect(problems("{{#page}}\n{{>foo}}\n{{/page}}\n") == [
            "templates/t.mustache:2:1: error: partial 'foo' not found: no templates/foo.mustache (templates: base, t)",
        ])
        #expect(problems("{{>bsae}}") == [
            "templates/t.mustache:1:1: error: partial 'bsae' not found (did you mean 'base'?)",
        ])
    }

    @Test func missingParent() {
        #expect(problems("{{<baes}}{{$main}}x{{/main}}{{/baes}}") == [
            "templates/t.mustache:1:1: error: parent template 'baes' not found (did you mean 'base'?)",
        ])
    }

    /// A block the parent has no block of (a typo) is ignored by the spec: the page silently
    /// lacks it. Strict, it is an error at the block, with the nearest block name; a block of a
    /// grandparent is one the parent has.
    @Test func aBlockNoParentHasIsAnError() {
        #expect(problems("{{<base}}\n{{$mian}}<h1>Hi</h1>{{/mian}}\n{{/base}}\n") == [
            "templates/t.mustache:2:1: error: block 'mian' is no block of 'base' or of a template it extends, so it is ignored (did you mean 'main'?)",
        ])
        let layered = ["base": "<main>{{$main}}{{/main}}</main>", "middle": "{{<base}}{{$main}}[{{$inner}}{{/inner}}]{{/main}}{{/base}}"]
        #expect(problems("{{<middle}}{{$main}}x{{/main}}{{$inner}}y{{/inner}}{{$innr}}z{{/innr}}{{/middle}}", partials: layered) == [
            "templates/t.mustache:1:52: error: block 'innr' is no block of 'middle' or of a template it extends, so it is ignored (did you mean 'inner'?)",
        ])
    }

    @Test func onlyBlocksInsideAParent() {
        #expect(problems("{{<base}}\n{{page.title}}\n{{$main}}x{{/main}}\n{{/base}}") == [
            "templates/t.mustache:2:1: error: '{{page.title}}' inside '{{<base}}' is ignored: only blocks ({{$name}}…{{/name}}) belong there",
        ])
    }

    @Test func problemsInAPartialPointIntoIt() {
        #expect(problems("{{#page}}\n{{>item}}\n{{/page}}", partials: ["item": "<li>{{titel}}</li>"]) == [
            "templates/item.mustache:1:5: error: unknown variable 'titel' in 'page' (did you mean 'title'?) (included from templates/t.mustache:2:1)",
        ])
        // The same partial is checked in each context it is used in.
        #expect(problems("{{>item}}\n{{#page}}{{>item}}{{/page}}", partials: ["item": "{{title}}"]) == [
            "templates/item.mustache:1:1: error: unknown variable 'title' in the root context (included from templates/t.mustache:1:1)",
        ])
    }

    @Test func dynamicPartialNamesAreNotSupported() {
        #expect(problems("{{>*name}}") == [
            "templates/t.mustache:1:1: error: '{{>*name}}': dynamic partial names are not supported",
        ])
    }

    @Test func endlessSelfInclusion() {
        #expect(problems("{{#page}}{{>loop}}{{/page}}", partials: ["loop": "<p>{{title}}</p>{{>loop}}"]) == [
            "templates/loop.mustache:1:17: error: '{{>loop}}' includes 'loop' inside itself with no section around it: it would never end (included from templates/t.mustache:1:10)",
        ])
    }

    // MARK: Escaping

    @Test func tripleMustacheOnText() {
        #expect(problems("<h1>{{{page.title}}}</h1>") == [
            "templates/t.mustache:1:5: error: '{{{page.title}}}' would insert text without escaping; use {{page.title}}",
        ])
        #expect(problems("{{& page.title}}") == [
            "templates/t.mustache:1:1: error: '{{& page.title}}' would insert text without escaping; use {{page.title}}",
        ])
    }

    @Test func escapedHTML() {
        #expect(problems("{{#page}}<div>{{lead_html}}</div>{{/page}}") == [
            "templates/t.mustache:1:15: error: 'lead_html' is HTML; insert it with {{{lead_html}}}",
        ])
        // With other delimiters, the advice uses them.
        #expect(problems("{{=<% %>=}}<%page.lead_html%>") == [
            "templates/t.mustache:1:12: error: 'page.lead_html' is HTML; insert it with <%{page.lead_html}%>",
        ])
    }

    @Test func objectsAndListsAreNotPrinted() {
        #expect(problems("{{page.byline}}|{{page.tags}}") == [
            "templates/t.mustache:1:1: error: '{{page.byline}}' is an object (SampleByline); name one of its fields (as in {{page.byline.name}})",
            "templates/t.mustache:1:17: error: 'page.tags' is a list; show its elements with {{#page.tags}}…{{/page.tags}}",
        ])
    }

    // MARK: Tags

    @Test func unclosedTag() {
        #expect(problems("<h1>{{page.title</h1>\n<p>{{page.title}}</p>\n") == [
            "templates/t.mustache:1:5: error: unclosed tag '{{page.title</h1>': no '}}' before the end of the line",
        ])
        #expect(problems("<h1>{{page.title") == [
            "templates/t.mustache:1:5: error: unclosed tag '{{page.title': no '}}' before the end of the file",
        ])
        #expect(problems("<h1>{{{page.lead_html}}</h1>") == [
            "templates/t.mustache:1:5: error: unclosed tag '{{{page.lead_html}}</h1>': no '}}}' before the end of the file",
        ])
    }

    @Test func emptyTags() {
        #expect(problems("a{{}}b{{ }}c{{#}}") == [
            "templates/t.mustache:1:2: error: empty tag '{{}}'",
            "templates/t.mustache:1:7: error: empty tag '{{ }}'",
            "templates/t.mustache:1:13: error: tag '{{#}}' has no name",
        ])
    }

    @Test func badDelimiterChange() {
        #expect(problems("ok\n{{=<%=}}") == [
            "templates/t.mustache:2:1: error: bad delimiter change '{{=<%=}}': expected two delimiters separated by a space, as in {{=<% %>=}}",
        ])
    }

    @Test func badNames() {
        #expect(problems("{{page..title}}") == [
            "templates/t.mustache:1:1: error: '{{page..title}}': 'page..title' is not a name (dotted names are like page.title)",
        ])
    }

    @Test func nestingIsBounded() {
        let deep = String(repeating: "{{#page}}", count: 300) + String(repeating: "{{/page}}", count: 300)
        #expect(problems(deep) == [
            "templates/t.mustache:1:2305: error: sections nest more than 256 levels deep",
        ])
    }

    // MARK: All of them

    @Test func everyProblemIsReported() {
        let found = problems("{{titel}}\n{{{page.title}}}\n{{>broken}}\n{{#page}}\n", partials: ["broken": "ok\n  {{#a}}"])
        #expect(found == [
            "templates/broken.mustache:2:3: error: section 'a' is never closed",
            "templates/t.mustache:4:1: error: section 'page' is never closed",
        ])
        // Templates that parse are compiled even when another does not.
        #expect(problems("{{titel}}\n{{{page.title}}}\n{{>broken}}\n", partials: ["broken": "{{#a}}"]) == [
            "templates/broken.mustache:1:1: error: section 'a' is never closed",
            "templates/t.mustache:1:1: error: unknown variable 'titel' in the root context",
            "templates/t.mustache:2:1: error: '{{{page.title}}}' would insert text without escaping; use {{page.title}}",
        ])
    }

    @Test func missingRoot() {
        do {
            _ = try MustacheLibrary(templates: ["a": ("templates/a.mustache", "x")], roots: ["b": SampleComparison.mustacheSchema])
            Issue.record("compiled without error")
        } catch {
            #expect(error.diagnostics.map(\.description) == ["b:1:1: error: root template 'b' not found (templates: a)"])
        }
    }

    @Test func unusedTemplatesAreStillParsed() {
        #expect(problems("ok", partials: ["unused": "{{#x}}"]) == [
            "templates/unused.mustache:1:1: error: section 'x' is never closed",
        ])
    }
}
