from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = '_site.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_nav = missing
    pass
    def macro(l_1_root):
        t_1 = []
        if l_1_root is missing:
            l_1_root = undefined("parameter 'root' was not provided", name='root')
        pass
        t_1.extend((
            '<nav aria-label="Site">\n<ul>\n<li><a href="',
            escape(l_1_root),
            'index.html">All treatments</a></li>\n<li><a href="',
            escape(l_1_root),
            'glossary.html">Glossary</a></li>\n<li><a href="',
            escape(l_1_root),
            'about.html">About</a></li>\n</ul>\n</nav>\n',
        ))
        return concat(t_1)
    context.exported_vars.add('nav')
    context.vars['nav'] = l_0_nav = Macro(environment, macro, 'nav', ('root',), False, False, False, context.eval_ctx.autoescape)

blocks = {}
debug_info = '1=12&4=19&5=21&6=23'
