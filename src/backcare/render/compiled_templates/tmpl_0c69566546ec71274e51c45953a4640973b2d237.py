from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'site_glossary.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    l_0_s = missing
    pass
    parent_template = environment.get_template('base.html', 'site_glossary.html')
    for name, parent_block in parent_template.blocks.items():
        context.blocks.setdefault(name, []).append(parent_block)
    l_0_s = context.vars['s'] = environment.get_template('_site.html', 'site_glossary.html')._get_default_module(context)
    context.exported_vars.discard('s')
    yield from parent_template.root_render_func(context)

def block_body(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_s = resolve('s')
    l_0_root = resolve('root')
    l_0_page_title = resolve('page_title')
    l_0_rows = resolve('rows')
    l_0_notice = resolve('notice')
    pass
    yield escape(context.call(environment.getattr((undefined(name='s') if l_0_s is missing else l_0_s), 'nav'), (undefined(name='root') if l_0_root is missing else l_0_root), _block_vars=_block_vars))
    yield '\n<main>\n<h1>'
    yield escape((undefined(name='page_title') if l_0_page_title is missing else l_0_page_title))
    yield '</h1>\n<table>\n<caption>Terms used in the entries, in plain language</caption>\n<thead>\n<tr><th scope="col">Term</th><th scope="col">Definition</th></tr>\n</thead>\n<tbody>\n'
    for (l_1_term, l_1_definition) in (undefined(name='rows') if l_0_rows is missing else l_0_rows):
        _loop_vars = {}
        pass
        yield '<tr><th scope="row">'
        yield escape(l_1_term)
        yield '</th><td>'
        yield escape(l_1_definition)
        yield '</td></tr>\n'
    l_1_term = l_1_definition = missing
    yield '</tbody>\n</table>\n<p class="disclaimer">'
    yield escape((undefined(name='notice') if l_0_notice is missing else l_0_notice))
    yield '</p>\n</main>\n'

blocks = {'body': block_body}
debug_info = '1=13&2=16&3=20&4=33&6=35&13=37&14=41&18=47'
