from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'site_index.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    l_0_s = missing
    pass
    parent_template = environment.get_template('base.html', 'site_index.html')
    for name, parent_block in parent_template.blocks.items():
        context.blocks.setdefault(name, []).append(parent_block)
    l_0_s = context.vars['s'] = environment.get_template('_site.html', 'site_index.html')._get_default_module(context)
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
    l_0_notice = resolve('notice')
    l_0_site = resolve('site')
    pass
    yield escape(context.call(environment.getattr((undefined(name='s') if l_0_s is missing else l_0_s), 'nav'), (undefined(name='root') if l_0_root is missing else l_0_root), _block_vars=_block_vars))
    yield '\n<main>\n<h1>'
    yield escape((undefined(name='page_title') if l_0_page_title is missing else l_0_page_title))
    yield '</h1>\n<p class="disclaimer">'
    yield escape((undefined(name='notice') if l_0_notice is missing else l_0_notice))
    yield '</p>\n'
    for (l_1_category, l_1_items) in environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'categories'):
        _loop_vars = {}
        pass
        yield '<section>\n<h2>'
        yield escape(l_1_category)
        yield '</h2>\n<ul>\n'
        for l_2_t in l_1_items:
            _loop_vars = {}
            pass
            yield '<li><a href="'
            yield escape(environment.getattr(l_2_t, 'href'))
            yield '">'
            yield escape(environment.getattr(l_2_t, 'name'))
            yield '</a>: '
            yield escape(environment.getattr(l_2_t, 'summary'))
            yield '</li>\n'
        l_2_t = missing
        yield '</ul>\n</section>\n'
    l_1_category = l_1_items = missing
    yield '<section>\n<h2>Conditions</h2>\n<ul>\n'
    for l_1_c in environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'conditions'):
        _loop_vars = {}
        pass
        yield '<li><a href="'
        yield escape(environment.getattr(l_1_c, 'href'))
        yield '">'
        yield escape(environment.getattr(l_1_c, 'name'))
        yield '</a></li>\n'
    l_1_c = missing
    yield '</ul>\n</section>\n</main>\n'

blocks = {'body': block_body}
debug_info = '1=13&2=16&3=20&4=33&6=35&7=37&8=39&10=43&12=45&13=49&21=59&22=63'
