from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'document.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    l_0_m = missing
    pass
    parent_template = environment.get_template('base.html', 'document.html')
    for name, parent_block in parent_template.blocks.items():
        context.blocks.setdefault(name, []).append(parent_block)
    l_0_m = context.vars['m'] = environment.get_template('_macros.html', 'document.html')._get_default_module(context)
    context.exported_vars.discard('m')
    yield from parent_template.root_render_func(context)

def block_body(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_doc = resolve('doc')
    l_0_m = resolve('m')
    pass
    yield '<main>\n<h1>'
    yield escape(environment.getattr((undefined(name='doc') if l_0_doc is missing else l_0_doc), 'title'))
    yield '</h1>\n'
    if environment.getattr((undefined(name='doc') if l_0_doc is missing else l_0_doc), 'subtitle'):
        pass
        yield '<p class="subtitle">'
        yield escape(environment.getattr((undefined(name='doc') if l_0_doc is missing else l_0_doc), 'subtitle'))
        yield '</p>\n'
    yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'document'), (undefined(name='doc') if l_0_doc is missing else l_0_doc), 2, _block_vars=_block_vars))
    yield '\n</main>\n'

blocks = {'body': block_body}
debug_info = '1=13&2=16&3=20&5=31&6=33&7=36&9=38'
