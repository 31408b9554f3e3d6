from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'table.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('base.html', 'table.html')
    for name, parent_block in parent_template.blocks.items():
        context.blocks.setdefault(name, []).append(parent_block)
    yield from parent_template.root_render_func(context)

def block_body(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_page_title = resolve('page_title')
    l_0_table = resolve('table')
    l_0_notice = resolve('notice')
    pass
    yield '<main>\n<h1>'
    yield escape((undefined(name='page_title') if l_0_page_title is missing else l_0_page_title))
    yield '</h1>\n<table>\n<caption>'
    yield escape((undefined(name='page_title') if l_0_page_title is missing else l_0_page_title))
    yield '</caption>\n<thead>\n<tr>'
    for l_1_c in environment.getattr((undefined(name='table') if l_0_table is missing else l_0_table), 'columns'):
        _loop_vars = {}
        pass
        yield '<th scope="col">'
        yield escape(l_1_c)
        yield '</th>'
    l_1_c = missing
    yield '</tr>\n</thead>\n<tbody>\n'
    l_1_loop = missing
    for l_1_row, l_1_loop in LoopContext(environment.getattr((undefined(name='table') if l_0_table is missing else l_0_table), 'rows'), undefined):
        _loop_vars = {}
        pass
        yield '<tr>'
        l_2_loop = missing
        for l_2_cell, l_2_loop in LoopContext(l_1_row, undefined):
            _loop_vars = {}
            pass
            if environment.getattr(l_2_loop, 'first'):
                pass
                yield '<th scope="row">'
                yield escape(l_2_cell)
                yield '</th>'
            else:
                pass
                yield '<td>'
                yield escape(l_2_cell)
                yield '</td>'
        l_2_loop = l_2_cell = missing
        yield '</tr>\n'
    l_1_loop = l_1_row = missing
    yield '</tbody>\n</table>\n<p class="disclaimer">'
    yield escape((undefined(name='notice') if l_0_notice is missing else l_0_notice))
    yield '</p>\n'
    for l_1_f in environment.getattr((undefined(name='table') if l_0_table is missing else l_0_table), 'footer'):
        _loop_vars = {}
        pass
        yield '<p class="small">'
        yield escape(l_1_f)
        yield '</p>\n'
    l_1_f = missing
    yield '</main>\n'

blocks = {'body': block_body}
debug_info = '1=12&2=17&4=29&6=31&8=33&11=42&12=47&16=64&17=66&18=70'
