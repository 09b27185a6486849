// Generated from templates/ by `make generated`; GeneratedFilesTests fails when it drifts. Do not edit.
enum BundledTemplates {
    static let files: [(path: String, bytes: [UInt8])] = [
        ("404.mustache", Array(#"""
        {{<base}}
        {{$main}}
        <header class="page-header hero">
        <h1>Page not found</h1>
        <p class="lead">There is no page at this address. It may have moved, or the link may be mistyped.</p>
        </header>
        <p><a class="button" href="{{site.home}}">Browse every comparison</a> <a class="button secondary" href="{{site.subjects}}">Browse by subject</a></p>
        {{/main}}
        {{/base}}

        """#.utf8)),
        ("assets/favicon.svg", Array(##"""
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1f3a8a"/><path d="M8 9h4l4 11 4-11h4l-6 15h-4z" fill="#fff"/></svg>

        """##.utf8)),
        ("assets/style.css", Array(#"""
        /* Versus: a small stylesheet. System fonts, one accent, readable measure. */
        :root {
          --ink: #1b1f24; --muted: #5b6470; --line: #e3e6ea; --paper: #ffffff; --wash: #f5f7fa;
          --accent: #1f3a8a; --accent-soft: #e8edfb; --warm: #9a3412; --warm-soft: #fdf0e7; --ok: #166534; --ok-soft: #eaf6ee;
          --radius: 10px; --measure: 46rem;
        }
        @media (prefers-color-scheme: dark) {
          :root {
            --ink: #e6e9ee; --muted: #a2abb7; --line: #2c333c; --paper: #13171c; --wash: #1a1f26;
            --accent: #9db4ff; --accent-soft: #1d2740; --warm: #f3a56f; --warm-soft: #2d2119; --ok: #8fd3a4; --ok-soft: #17291d;
          }
        }
        *, *::before, *::after { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; }
        body {
          margin: 0; background: var(--paper); color: var(--ink);
          font: 17px/1.65 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
        }
        a { color: var(--accent); text-underline-offset: 0.18em; }
        a:hover { text-decoration-thickness: 2px; }
        /* .wrap sets only the sides, so main's top and bottom padding (below) hold. */
        .wrap { max-width: 72rem; margin: 0 auto; padding-inline: 1.25rem; }
        .skip { position: absolute; left: -999px; }
        .skip:focus { left: 1rem; top: 1rem; background: var(--paper); padding: .5rem 1rem; z-index: 10; }

        .masthead { border-bottom: 1px solid var(--line); background: var(--paper); }
        .masthead-inner { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0 1rem; min-height: 3.5rem; }
        .brand { font-weight: 700; color: var(--ink); text-decoration: none; display: inline-flex; align-items: center; gap: .5rem; }
        .brand-mark { display: inline-grid; place-items: center; width: 1.75rem; height: 1.75rem; border-radius: 7px; background: var(--accent); color: var(--paper); font-size: .95rem; }
        /* Header links are tap targets: at least 24 px tall on any screen (here about 42 px). */
        .masthead nav { display: flex; gap: 1.25rem; }
        .masthead nav a { display: inline-block; padding: .55rem 0; min-height: 24px; color: var(--muted); text-decoration: none; font-size: .95rem; }
        .masthead nav a:hover { color: var(--ink); }

        main { padding-block: 1.75rem 3.5rem; }
        h1, h2, h3 { line-height: 1.25; letter-spacing: -0.01em; }
        h1 { font-size: clamp(1.8rem, 1.2rem + 2.4vw, 2.6rem); margin: .25rem 0 .75rem; max-width: 30ch; }
        h2 { font-size: 1.35rem; margin: 0 0 .6rem; }
        p, ul, ol { margin: 0 0 1rem; }
        code { font: .9em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--wash); padding: .1em .35em; border-radius: 4px; }
        pre { background: var(--wash); padding: 1rem; border-radius: var(--radius); overflow-x: auto; }
        pre code { background: none; padding: 0; }
        blockquote { margin: 0 0 1rem; padding-left: 1rem; border-left: 3px solid var(--line); color: var(--muted); }

        .breadcrumbs ol { list-style: none; padding: 0; margin: 0 0 1rem; display: flex; flex-wrap: wrap; gap: .35rem; font-size: .9rem; color: var(--muted); }
        .breadcrumbs li + li::before { content: "/"; margin-right: .35rem; color: var(--line); }
        .breadcrumbs a { color: var(--muted); }

        .page-header { max-width: var(--measure); margin-bottom: 2rem; }
        .hero { padding: 1.5rem 0 .5rem; }
        .lead, .lead p { font-size: 1.15rem; color: var(--muted); }
        .meta { font-size: .9rem; color: var(--muted); }
        .author { color: var(--ink); font-weight: 600; }

        .chip { display: inline-block; padding: .15rem .7rem; margin: 0 .4rem .4rem 0; border-radius: 999px; background: var(--accent-soft); color: var(--accent); font-size: .85rem; font-weight: 600; text-decoration: none; }
        a.chip:hover { background: var(--accent); color: var(--paper); }
        .chips { list-style: none; padding: 0; display: flex; flex-wrap: wrap; }
        .chips.large .chip { font-size: 1rem; padding: .35rem .9rem; }
        .count { font-weight: 400; opacity: .75; font-size: .85em; }

        .comparison, .document { display: grid; grid-template-columns: minmax(0, var(--measure)) minmax(0, 1fr); column-gap: 3rem; }
        .comparison > *, .document > * { grid-column: 1; }
        .toc { grid-column: 2; grid-row: 1 / span 3; align-self: start; position: sticky; top: 1rem; font-size: .9rem; border-left: 2px solid var(--line); padding-left: 1rem; }
        .toc-title { font-weight: 700; margin-bottom: .4rem; }
        .toc ol { padding-left: 1.1rem; margin: 0; }
        @media (max-width: 900px) {
          .comparison, .document { display: block; }
          .toc { position: static; margin-bottom: 2rem; }
        }
        @media (max-width: 560px) {
          .wrap { padding-inline: 1rem; }
          .section { padding: 1rem 1.05rem; }
          .cta { padding: 1.25rem 1.2rem; }
        }

        .sections { display: grid; grid-template-columns: minmax(0, 1fr); gap: 1.25rem; }  /* minmax: a wide table scrolls in its wrap */
        .section { padding: 1.25rem 1.4rem; border: 1px solid var(--line); border-radius: var(--radius); }
        .section > :last-child { margin-bottom: 0; }
        .role { margin: 0 0 .25rem; font-size: .75rem; font-weight: 700; text-transform: uppercase; letter-spacing: .08em; color: var(--muted); }
        .role-subject_focus { border-top: 4px solid var(--accent); }
        .role-our_position { background: var(--ok-soft); border-color: transparent; border-left: 4px solid var(--ok); }
        .role-our_position .role { color: var(--ok); }
        .role-technical { background: var(--wash); border-color: transparent; }
        .role-other { border-color: var(--line); }
        .prose .section { border: 0; padding: 0; margin-top: 1.5rem; }

        .cta { margin: 2rem 0; padding: 1.6rem 1.75rem; border-radius: var(--radius); background: var(--warm-soft); border: 1px solid var(--warm); }
        .cta h2 { color: var(--warm); }
        .cta > div + div { margin-top: 1rem; }
        .cta p:last-child { margin-bottom: 0; }
        .cta-action { margin-top: 1.1rem; }
        .cta .button { background: var(--warm); color: var(--paper); margin: 0; padding: .7rem 1.3rem; font-size: 1.02rem; }
        .cta .button:hover { text-decoration: underline; }

        /* Related comparisons: a heading like a section's, and the links as cards like the index's. */
        .related { margin-top: 2.5rem; }
        .related-list { list-style: none; padding: 0; margin: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: .75rem; }
        .related-list a { display: block; height: 100%; padding: .8rem 1rem; border: 1px solid var(--line); border-radius: var(--radius); color: var(--ink); font-weight: 600; text-decoration: none; line-height: 1.4; }
        .related-list a:hover { border-color: var(--accent); color: var(--accent); }

        /* Tables from the content: <div class="table-wrap"><table> with th scope and align-* classes.
           Side by side on wide screens; on narrow ones the table scrolls inside its wrap, the row
           headings staying in view. */
        .table-wrap { overflow-x: auto; margin: 0 0 1.25rem; border: 1px solid var(--line); border-radius: var(--radius); background: var(--paper); }
        .table-wrap:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
        .table-wrap table { width: 100%; min-width: 34rem; border-collapse: collapse; font-size: .94rem; line-height: 1.5; }
        .table-wrap th, .table-wrap td { padding: .6rem .85rem; text-align: left; vertical-align: top; border-bottom: 1px solid var(--line); }
        .table-wrap thead th { background: var(--wash); font-size: .85rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); border-bottom: 2px solid var(--line); }
        .table-wrap tbody tr:last-child > * { border-bottom: 0; }
        .table-wrap tbody tr:hover > * { background: var(--wash); }
        .table-wrap tbody th { font-weight: 600; white-space: nowrap; position: sticky; left: 0; background: var(--paper); border-right: 1px solid var(--line); }
        .table-wrap td + td, .table-wrap th[scope="col"] + th[scope="col"] { border-left: 1px solid var(--line); }
        .table-wrap .align-left { text-align: left; }
        .table-wrap .align-center { text-align: center; }
        .table-wrap .align-right { text-align: right; font-variant-numeric: tabular-nums; }
        .section .table-wrap:last-child { margin-bottom: 0; }

        .cards { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(18rem, 1fr)); gap: 1rem; }
        .card { border: 1px solid var(--line); border-radius: var(--radius); padding: 1rem 1.15rem; background: var(--paper); transition: border-color .15s; }
        .card:hover { border-color: var(--accent); }
        .card a { text-decoration: none; }
        .card-title { font-weight: 700; color: var(--ink); }
        .card p { margin: .4rem 0 0; font-size: .93rem; color: var(--muted); }
        .card-meta { font-size: .82rem !important; }
        .listing, .hubs, .documents { margin-bottom: 2.5rem; }

        .pagination { display: flex; flex-wrap: wrap; gap: .5rem; margin-top: 1.5rem; align-items: center; }
        .pagination a, .pagination span { padding: .2rem .6rem; border-radius: 6px; border: 1px solid var(--line); text-decoration: none; }
        .pagination [aria-current] { background: var(--accent); color: var(--paper); border-color: var(--accent); }
        .pagination .gap { border-color: transparent; padding: .2rem .2rem; }

        .button { display: inline-block; padding: .6rem 1.1rem; border-radius: 8px; background: var(--accent); color: var(--paper); text-decoration: none; font-weight: 600; margin: 0 .5rem .5rem 0; }
        .button.secondary { background: var(--accent-soft); color: var(--accent); }

        .site-footer { border-top: 1px solid var(--line); color: var(--muted); font-size: .9rem; padding: 1.5rem 0; background: var(--wash); }
        .site-footer p { margin: .25rem 0; }

        """#.utf8)),
        ("base.mustache", Array(##"""
        <!DOCTYPE html>
        <html lang="{{site.language}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{head.title}}</title>
        <meta name="description" content="{{head.description}}">
        {{#head.noindex}}
        <meta name="robots" content="noindex">
        {{/head.noindex}}
        {{#head.indexable}}
        <link rel="canonical" href="{{head.canonical}}">
        <meta property="og:type" content="{{head.og_type}}">
        <meta property="og:site_name" content="{{site.title}}">
        <meta property="og:title" content="{{head.og_title}}">
        <meta property="og:description" content="{{head.og_description}}">
        <meta property="og:url" content="{{head.og_url}}">
        <meta name="twitter:card" content="summary">
        <meta name="twitter:title" content="{{head.og_title}}">
        <meta name="twitter:description" content="{{head.og_description}}">
        {{/head.indexable}}
        <link rel="stylesheet" href="{{assets.css}}">
        <link rel="icon" href="{{assets.favicon}}" type="image/svg+xml">
        <link rel="alternate" type="application/atom+xml" title="{{site.title}}" href="{{site.feed}}">
        {{#head.has_jsonld}}
        <script type="application/ld+json">{{{head.jsonld}}}</script>
        {{/head.has_jsonld}}
        </head>
        <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="masthead">
        <div class="wrap masthead-inner">
        <a class="brand" href="{{site.home}}"><span class="brand-mark" aria-hidden="true">V</span> {{site.title}}</a>
        <nav aria-label="Site">
        <a href="{{site.home}}">Comparisons</a>
        <a href="{{site.subjects}}">Subjects</a>
        </nav>
        </div>
        </header>
        <main id="main" class="wrap">
        {{$main}}{{/main}}
        </main>
        <footer class="site-footer">
        <div class="wrap">
        <p>{{site.title}}: {{site.description}}</p>
        <p><a href="{{site.home}}">All comparisons</a> · <a href="{{site.subjects}}">Subjects</a> · <a href="{{site.feed}}">Feed</a></p>
        </div>
        </footer>
        </body>
        </html>

        """##.utf8)),
        ("comparison.mustache", Array(##"""
        {{<base}}
        {{$main}}
        {{#page}}
        <nav class="breadcrumbs" aria-label="Breadcrumb">
        <ol>
        {{#breadcrumbs}}
        <li>{{^last}}<a href="{{url}}">{{title}}</a>{{/last}}{{#last}}<span aria-current="page">{{title}}</span>{{/last}}</li>
        {{/breadcrumbs}}
        </ol>
        </nav>
        <article class="comparison">
        <header class="page-header">
        <p class="subjects">{{#subjects}}<a class="chip" href="{{url}}">{{name}}</a>{{/subjects}}</p>
        <h1>{{title}}</h1>
        {{#has_lead}}
        <div class="lead">{{{lead_html}}}</div>
        {{/has_lead}}
        <p class="meta">
        {{#byline}}<span class="byline">By <span class="author">{{name}}</span>{{#has_role}}, {{role}}{{/has_role}}</span> · {{/byline}}
        <span>Updated <time datetime="{{updated}}">{{updated_label}}</time></span>
        </p>
        </header>
        {{#has_toc}}
        <nav class="toc" aria-label="On this page">
        <p class="toc-title">On this page</p>
        <ol>
        {{#toc}}
        <li><a href="#{{id}}">{{title}}</a></li>
        {{/toc}}
        </ol>
        </nav>
        {{/has_toc}}
        <div class="sections">
        {{#sections}}
        <section id="{{id}}" class="section role-{{role}}">
        {{#has_role_label}}<p class="role">{{role_label}}</p>{{/has_role_label}}
        <h2>{{{heading_html}}}</h2>
        {{{html}}}
        </section>
        {{/sections}}
        </div>
        {{#has_cta}}
        <aside class="cta" aria-label="Next step">
        {{#cta}}
        <div id="{{id}}">
        <h2>{{{heading_html}}}</h2>
        {{{html}}}
        </div>
        {{/cta}}
        {{#cta_link}}
        {{#text}}<p>{{text}}</p>{{/text}}
        <p class="cta-action"><a class="button" href="{{href}}">{{label}}</a></p>
        {{/cta_link}}
        </aside>
        {{/has_cta}}
        {{#has_related}}
        <nav class="related" aria-labelledby="related">
        <h2 id="related">Related comparisons</h2>
        <ul class="related-list">
        {{#related}}
        <li><a href="{{url}}">{{title}}</a></li>
        {{/related}}
        </ul>
        </nav>
        {{/has_related}}
        </article>
        {{/page}}
        {{/main}}
        {{/base}}

        """##.utf8)),
        ("hub.mustache", Array(#"""
        {{<base}}
        {{$main}}
        {{#hub}}
        <nav class="breadcrumbs" aria-label="Breadcrumb">
        <ol>
        {{#breadcrumbs}}
        <li>{{^last}}<a href="{{url}}">{{title}}</a>{{/last}}{{#last}}<span aria-current="page">{{title}}</span>{{/last}}</li>
        {{/breadcrumbs}}
        </ol>
        </nav>
        <header class="page-header">
        <p class="subjects"><span class="chip">Subject</span></p>
        <h1>{{name}} comparisons</h1>
        <p class="lead">{{description}}</p>
        <p class="meta">Updated <time datetime="{{updated}}">{{updated_label}}</time></p>
        </header>
        <section class="listing" aria-labelledby="list">
        <h2 id="list">Every comparison with {{name}} <span class="count">{{count}}</span></h2>
        <ul class="cards">
        {{#comparisons}}
        <li class="card">
        <a href="{{url}}"><span class="card-title">{{title}}</span></a>
        <p>{{description}}</p>
        <p class="card-meta">{{subjects}} · <time datetime="{{updated}}">{{updated_label}}</time></p>
        </li>
        {{/comparisons}}
        </ul>
        </section>
        {{#has_against}}
        <section class="hubs" aria-labelledby="against">
        <h2 id="against">Compared with {{name}}</h2>
        <ul class="chips">
        {{#against}}
        <li><a class="chip" href="{{url}}">{{name}}</a></li>
        {{/against}}
        </ul>
        </section>
        {{/has_against}}
        {{/hub}}
        {{/main}}
        {{/base}}

        """#.utf8)),
        ("index.mustache", Array(#"""
        {{<base}}
        {{$main}}
        {{#index}}
        <header class="page-header hero">
        <h1>{{title}}</h1>
        <p class="lead">{{description}}</p>
        </header>
        <section class="listing" aria-labelledby="all">
        <h2 id="all">{{#is_first}}All comparisons{{/is_first}}{{^is_first}}Comparisons, page {{pagination.current}} of {{pagination.total}}{{/is_first}} <span class="count">{{count}}</span></h2>
        <ul class="cards">
        {{#comparisons}}
        <li class="card">
        <a href="{{url}}"><span class="card-title">{{title}}</span></a>
        <p>{{description}}</p>
        <p class="card-meta">{{subjects}} · <time datetime="{{updated}}">{{updated_label}}</time></p>
        </li>
        {{/comparisons}}
        </ul>
        {{#pagination.paginated}}
        <nav class="pagination" aria-label="Pages">
        {{#pagination.has_prev}}<a rel="prev" href="{{pagination.prev}}">Previous</a>{{/pagination.has_prev}}
        {{#pagination.pages}}{{#gap}}<span class="gap" aria-hidden="true">…</span>{{/gap}}{{^gap}}{{#current}}<span aria-current="page">{{number}}</span>{{/current}}{{^current}}<a href="{{url}}">{{number}}</a>{{/current}}{{/gap}} {{/pagination.pages}}
        {{#pagination.has_next}}<a rel="next" href="{{pagination.next}}">Next</a>{{/pagination.has_next}}
        </nav>
        {{/pagination.paginated}}
        </section>
        {{#has_hubs}}
        <section class="hubs" aria-labelledby="subjects">
        <h2 id="subjects">Browse by subject</h2>
        <ul class="chips">
        {{#hubs}}
        <li><a class="chip" href="{{url}}">{{name}} <span class="count">{{count}}</span></a></li>
        {{/hubs}}
        </ul>
        </section>
        {{/has_hubs}}
        {{#has_documents}}
        <section class="documents" aria-labelledby="guides">
        <h2 id="guides">Guides</h2>
        <ul class="cards">
        {{#documents}}
        <li class="card"><a href="{{url}}"><span class="card-title">{{title}}</span></a><p>{{description}}</p></li>
        {{/documents}}
        </ul>
        </section>
        {{/has_documents}}
        {{/index}}
        {{/main}}
        {{/base}}

        """#.utf8)),
        ("page.mustache", Array(#"""
        {{<base}}
        {{$main}}
        {{#page}}
        <nav class="breadcrumbs" aria-label="Breadcrumb">
        <ol>
        {{#breadcrumbs}}
        <li>{{^last}}<a href="{{url}}">{{title}}</a>{{/last}}{{#last}}<span aria-current="page">{{title}}</span>{{/last}}</li>
        {{/breadcrumbs}}
        </ol>
        </nav>
        <article class="document">
        <header class="page-header">
        <h1>{{title}}</h1>
        {{#byline}}<p class="meta"><span class="byline">By <span class="author">{{name}}</span>{{#has_role}}, {{role}}{{/has_role}}</span></p>{{/byline}}
        </header>
        <div class="prose">
        {{{lead_html}}}
        {{#sections}}
        <section id="{{id}}" class="section">
        <h2>{{{heading_html}}}</h2>
        {{{html}}}
        </section>
        {{/sections}}
        </div>
        {{#cta_link}}
        <aside class="cta" aria-label="Next step">
        {{#text}}<p>{{text}}</p>{{/text}}
        <p class="cta-action"><a class="button" href="{{href}}">{{label}}</a></p>
        </aside>
        {{/cta_link}}
        <p class="meta">Updated <time datetime="{{updated}}">{{updated_label}}</time></p>
        </article>
        {{/page}}
        {{/main}}
        {{/base}}

        """#.utf8)),
        ("subjects.mustache", Array(#"""
        {{<base}}
        {{$main}}
        {{#subjects}}
        <nav class="breadcrumbs" aria-label="Breadcrumb">
        <ol>
        {{#breadcrumbs}}
        <li>{{^last}}<a href="{{url}}">{{title}}</a>{{/last}}{{#last}}<span aria-current="page">{{title}}</span>{{/last}}</li>
        {{/breadcrumbs}}
        </ol>
        </nav>
        <header class="page-header">
        <h1>{{title}}</h1>
        <p class="lead">{{description}}</p>
        </header>
        <ul class="chips large">
        {{#hubs}}
        <li><a class="chip" href="{{url}}">{{name}} <span class="count">{{count}}</span></a></li>
        {{/hubs}}
        </ul>
        {{/subjects}}
        {{/main}}
        {{/base}}

        """#.utf8)),
    ]
}
