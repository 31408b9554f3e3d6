from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'grid.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    l_0_m = l_0_body_class = missing
    pass
    parent_template = environment.get_template('base.html', 'grid.html')
    for name, parent_block in parent_template.blocks.items():
        context.blocks.setdefault(name, []).append(parent_block)
    l_0_m = context.vars['m'] = environment.get_template('_macros.html', 'grid.html')._get_default_module(context)
    context.exported_vars.discard('m')
    l_0_body_class = 'grid-page'
    context.vars['body_class'] = l_0_body_class
    context.exported_vars.add('body_class')
    yield from parent_template.root_render_func(context)

def block_body(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_page_title = resolve('page_title')
    l_0_grid = resolve('grid')
    l_0_m = resolve('m')
    pass
    yield '<main>\n<h1>'
    yield escape((undefined(name='page_title') if l_0_page_title is missing else l_0_page_title))
    yield '</h1>\n'
    if environment.getattr((undefined(name='grid') if l_0_grid is missing else l_0_grid), 'urgent'):
        pass
        yield '<p class="urgent">'
        yield escape(environment.getattr((undefined(name='grid') if l_0_grid is missing else l_0_grid), 'urgent'))
        yield '</p>\n'
    for l_1_n in environment.getattr((undefined(name='grid') if l_0_grid is missing else l_0_grid), 'notes'):
        _loop_vars = {}
        pass
        yield '<p class="note small">'
        yield escape(l_1_n)
        yield '</p>\n'
    l_1_n = missing
    yield '<table class="grid">\n<caption>The options side by side: one column per treatment, one row per question</caption>\n<thead>\n<tr><th scope="col">Question</th>'
    for l_1_c in environment.getattr((undefined(name='grid') if l_0_grid is missing else l_0_grid), 'columns'):
        _loop_vars = {}
        pass
        yield '<th scope="col">'
        yield escape(l_1_c)
        yield '</th>'
    l_1_c = missing
    yield '</tr>\n</thead>\n<tbody>\n'
    for l_1_row in environment.getattr((undefined(name='grid') if l_0_grid is missing else l_0_grid), 'rows'):
        _loop_vars = {}
        pass
        yield '<tr><th scope="row">'
        yield escape(environment.getattr(l_1_row, 'label'))
        yield '</th>'
        for l_2_cell in environment.getattr(l_1_row, 'cells'):
            _loop_vars = {}
            pass
            yield '<td>'
            for l_3_l in l_2_cell:
                _loop_vars = {}
                pass
                yield '<p>'
                yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'line'), l_3_l, _loop_vars=_loop_vars))
                yield '</p>'
            l_3_l = missing
            yield '</td>'
        l_2_cell = missing
        yield '</tr>\n'
    l_1_row = missing
    yield '</tbody>\n</table>\n'
    for l_1_s in environment.getattr((undefined(name='grid') if l_0_grid is missing else l_0_grid), 'shared'):
        _loop_vars = {}
        pass
        yield '<section class="small">\n<h2>'
        yield escape(environment.getattr(l_1_s, 'label'))
        yield '</h2>\n'
        for l_2_l in environment.getattr(l_1_s, 'lines'):
            _loop_vars = {}
            pass
            yield '<p>'
            yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'line'), l_2_l, _loop_vars=_loop_vars))
            yield '</p>\n'
        l_2_l = missing
        yield '</section>\n'
    l_1_s = missing
    yield '<ul class="small legend">\n'
    for l_1_x in environment.getattr((undefined(name='grid') if l_0_grid is missing else l_0_grid), 'legend'):
        _loop_vars = {}
        pass
        yield '<li>'
        yield escape(l_1_x)
        yield '</li>\n'
    l_1_x = missing
    yield '</ul>\n'
    yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'references'), environment.getattr((undefined(name='grid') if l_0_grid is missing else l_0_grid), 'references'), 2, _block_vars=_block_vars))
    yield '\n'
    l_1_loop = missing
    for l_1_f, l_1_loop in LoopContext(environment.getattr((undefined(name='grid') if l_0_grid is missing else l_0_grid), 'footer'), undefined):
        _loop_vars = {}
        pass
        yield '<p class="'
        yield escape(('disclaimer' if environment.getattr(l_1_loop, 'first') else 'small'))
        yield '">'
        yield escape(l_1_f)
        yield '</p>\n'
    l_1_loop = l_1_f = missing
    yield '</main>\n'

blocks = {'body': block_body}
debug_info = '1=13&2=16&3=18&4=23&6=35&7=37&8=40&10=42&11=46&16=50&19=58&20=62&24=80&26=84&27=86&28=90&33=96&34=100&37=104&38=107&39=111'
