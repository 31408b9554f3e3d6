from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'site_treatment.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    l_0_m = l_0_s = missing
    pass
    parent_template = environment.get_template('base.html', 'site_treatment.html')
    for name, parent_block in parent_template.blocks.items():
        context.blocks.setdefault(name, []).append(parent_block)
    l_0_m = context.vars['m'] = environment.get_template('_macros.html', 'site_treatment.html')._get_default_module(context)
    context.exported_vars.discard('m')
    l_0_s = context.vars['s'] = environment.get_template('_site.html', 'site_treatment.html')._get_default_module(context)
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
    l_0_brief = resolve('brief')
    l_0_m = resolve('m')
    l_0_full = resolve('full')
    pass
    yield escape(context.call(environment.getattr((undefined(name='s') if l_0_s is missing else l_0_s), 'nav'), (undefined(name='root') if l_0_root is missing else l_0_root), _block_vars=_block_vars))
    yield '\n<main>\n<h1>'
    yield escape(environment.getattr((undefined(name='brief') if l_0_brief is missing else l_0_brief), 'title'))
    yield '</h1>\n'
    if environment.getattr((undefined(name='brief') if l_0_brief is missing else l_0_brief), 'subtitle'):
        pass
        yield '<p class="subtitle">'
        yield escape(environment.getattr((undefined(name='brief') if l_0_brief is missing else l_0_brief), 'subtitle'))
        yield '</p>\n'
    yield '<h2>In short</h2>\n'
    yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'document'), (undefined(name='brief') if l_0_brief is missing else l_0_brief), 3, _block_vars=_block_vars))
    yield '\n<h2>Everything, with its sources</h2>\n'
    yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'document'), (undefined(name='full') if l_0_full is missing else l_0_full), 3, _block_vars=_block_vars))
    yield '\n</main>\n'

blocks = {'body': block_body}
debug_info = '1=13&2=16&3=18&4=22&5=35&7=37&8=39&9=42&12=45&14=47'
