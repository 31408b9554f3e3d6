from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'base.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_page_title = resolve('page_title')
    l_0_paper = resolve('paper')
    l_0_body_class = resolve('body_class')
    l_0_cite = resolve('cite')
    try:
        t_1 = environment.tests['defined']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No test named 'defined' found.")
    pass
    yield '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; img-src data:">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="generator" content="backcare">\n<title>'
    yield escape((undefined(name='page_title') if l_0_page_title is missing else l_0_page_title))
    yield '</title>\n<style>\n@page { size: '
    yield escape((undefined(name='paper') if l_0_paper is missing else l_0_paper))
    yield '; margin: 10mm 11mm; }\nhtml { background: #fff; }\nbody { color: #111; background: #fff; font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif;\n  font-size: 10.5pt; line-height: 1.35; max-width: 62em; margin: 0 auto; padding: 1em; }\nh1 { font-size: 15pt; margin: 0 0 .2em; }\nh2 { font-size: 11.5pt; margin: .7em 0 .2em; }\nh3 { font-size: 10.5pt; margin: .6em 0 .15em; }\np, ul, ol { margin: .2em 0; }\nul, ol { padding-left: 1.3em; }\na { color: #0a3a7a; text-decoration: underline; }\nsection, tr, li, figure, .urgent, .disclaimer, .refs li { break-inside: avoid; page-break-inside: avoid; }\nh1, h2, h3 { break-after: avoid; page-break-after: avoid; }\n.subtitle { font-style: italic; margin: 0 0 .3em; }\n.urgent { border: 2px solid #000; padding: .3em .5em; margin: .4em 0; font-weight: bold; }\n.urgent::before { content: "Urgent: "; }\n.note { border-left: 4px solid #000; padding-left: .5em; margin: .3em 0; }\n.disclaimer { font-weight: bold; color: #000; }\n.marks { font-family: "DejaVu Sans Mono", "DejaVu Sans", monospace; letter-spacing: -.05em; }\n.verdict { font-weight: bold; }\n.inline-label { font-weight: bold; }\ntable { border-collapse: collapse; width: 100%; margin: .4em 0; }\ncaption { text-align: left; font-weight: bold; padding: 0 0 .2em; }\nth, td { border: 1px solid #444; padding: .2em .35em; vertical-align: top; text-align: left; }\nthead th { background: #fff; border-bottom: 2px solid #000; }\ntd p, th p { margin: 0 0 .15em; }\ntable.grid { font-size: 8.5pt; line-height: 1.22; table-layout: fixed; }\ntable.grid thead th:first-child { width: 7.5em; }\ntable.grid th, table.grid td { padding: .15em .3em; }\n.icons { display: flex; flex-wrap: wrap; gap: 1.5em; margin: .3em 0; }\n.icons figure { margin: 0; }\n.icons svg { width: 26mm; height: 26mm; display: block; }\n.icons figcaption { font-size: 9pt; }\n.small { font-size: 9pt; }\n.grid-page .small { font-size: 7.8pt; line-height: 1.2; }\n.grid-page .refs ol { column-count: 2; column-gap: 1.5em; }\n.grid-page .legend { list-style: none; padding: 0; }\n.grid-page .legend li { display: inline; margin-right: 1em; }\n.grid-page h2 { font-size: 10pt; margin: .35em 0 .1em; }\n.grid-page h1 { font-size: 13pt; }\n.refs li { margin: 0; }\n.cite { border-top: 1px solid #000; margin-top: .5em; padding-top: .2em; }\nnav ul { list-style: none; padding: 0; }\nnav li { display: inline; margin-right: 1em; }\n@media print { body { padding: 0; max-width: none; } a { color: #000; } }\n</style>\n</head>\n<body'
    if t_1((undefined(name='body_class') if l_0_body_class is missing else l_0_body_class)):
        pass
        yield ' class="'
        yield escape((undefined(name='body_class') if l_0_body_class is missing else l_0_body_class))
        yield '"'
    yield '>\n'
    yield from context.blocks['body'][0](context)
    if (undefined(name='cite') if l_0_cite is missing else l_0_cite):
        pass
        yield '<p class="cite small">'
        yield escape((undefined(name='cite') if l_0_cite is missing else l_0_cite))
        yield '</p>\n'
    yield '</body>\n</html>'

def block_body(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass

blocks = {'body': block_body}
debug_info = '8=22&10=24&56=26&57=32&58=33&59=36&57=40'
