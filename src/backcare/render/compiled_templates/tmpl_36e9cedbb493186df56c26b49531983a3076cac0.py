from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = '_macros.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_parts = l_0_line = l_0_lines = l_0_references = l_0_document = missing
    try:
        t_1 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    try:
        t_2 = environment.filters['safe']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'safe' found.")
    pass
    def macro(l_1_list):
        t_3 = []
        if l_1_list is missing:
            l_1_list = undefined("parameter 'list' was not provided", name='list')
        pass
        for (l_2_text, l_2_href) in l_1_list:
            _loop_vars = {}
            pass
            if l_2_href:
                pass
                t_3.extend((
                    '<a href="',
                    escape(l_2_href),
                    '">',
                    escape(l_2_text),
                    '</a>',
                ))
            else:
                pass
                t_3.append(
                    escape(l_2_text),
                )
        l_2_text = l_2_href = missing
        return concat(t_3)
    context.exported_vars.add('parts')
    context.vars['parts'] = l_0_parts = Macro(environment, macro, 'parts', ('list',), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_l):
        t_4 = []
        if l_1_l is missing:
            l_1_l = undefined("parameter 'l' was not provided", name='l')
        pass
        if (environment.getattr(l_1_l, 'kind') == 'gauge'):
            pass
            t_4.extend((
                '<span class="marks" aria-hidden="true">',
                escape(environment.getattr(l_1_l, 'marks')),
                '</span> ',
                escape(environment.getattr(l_1_l, 'label')),
            ))
        elif (environment.getattr(l_1_l, 'kind') == 'stance'):
            pass
            t_4.extend((
                '<span class="verdict">',
                escape(environment.getattr(l_1_l, 'symbol')),
                ' ',
                escape(environment.getattr(l_1_l, 'word')),
                '</span>',
                escape(context.call((undefined(name='parts') if l_0_parts is missing else l_0_parts), environment.getattr(l_1_l, 'parts'))),
            ))
        elif (environment.getattr(l_1_l, 'kind') == 'icons'):
            pass
            t_4.append(
                '<span class="icons">',
            )
            for l_2_a in environment.getattr(l_1_l, 'arrays'):
                _loop_vars = {}
                pass
                t_4.extend((
                    '<span class="icon-array"><svg role="img" aria-label="',
                    escape(environment.getattr(l_2_a, 'label')),
                    ': ',
                    escape(environment.getattr(l_2_a, 'count')),
                    ' filled circles out of 100" viewBox="0 0 100 100" xmlns="http://www.w3.org/2000/svg">',
                    escape(t_2(environment.getattr(l_2_a, 'dots'))),
                    '</svg><span class="small">',
                    escape(environment.getattr(l_2_a, 'label')),
                    '</span></span>',
                ))
            l_2_a = missing
            t_4.append(
                '</span>',
            )
        else:
            pass
            t_4.append(
                escape(context.call((undefined(name='parts') if l_0_parts is missing else l_0_parts), environment.getattr(l_1_l, 'parts'))),
            )
        return concat(t_4)
    context.exported_vars.add('line')
    context.vars['line'] = l_0_line = Macro(environment, macro, 'line', ('l',), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_list, l_1_bullets):
        t_5 = []
        if l_1_list is missing:
            l_1_list = undefined("parameter 'list' was not provided", name='list')
        if l_1_bullets is missing:
            l_1_bullets = undefined("parameter 'bullets' was not provided", name='bullets')
        pass
        if (l_1_bullets and (t_1(l_1_list) > 1)):
            pass
            t_5.append(
                '<ul>\n',
            )
            for l_2_l in l_1_list:
                _loop_vars = {}
                pass
                t_5.extend((
                    '<li>',
                    escape(context.call((undefined(name='line') if l_0_line is missing else l_0_line), l_2_l, _loop_vars=_loop_vars)),
                    '</li>\n',
                ))
            l_2_l = missing
            t_5.append(
                '</ul>\n',
            )
        else:
            pass
            for l_2_l in l_1_list:
                _loop_vars = {}
                pass
                t_5.extend((
                    '<p>',
                    escape(context.call((undefined(name='line') if l_0_line is missing else l_0_line), l_2_l, _loop_vars=_loop_vars)),
                    '</p>\n',
                ))
            l_2_l = missing
        return concat(t_5)
    context.exported_vars.add('lines')
    context.vars['lines'] = l_0_lines = Macro(environment, macro, 'lines', ('list', 'bullets'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_refs, l_1_level):
        t_6 = []
        if l_1_refs is missing:
            l_1_refs = undefined("parameter 'refs' was not provided", name='refs')
        if l_1_level is missing:
            l_1_level = undefined("parameter 'level' was not provided", name='level')
        pass
        if l_1_refs:
            pass
            t_6.extend((
                '<section class="refs small">\n<h',
                escape(l_1_level),
                '>References</h',
                escape(l_1_level),
                '>\n<ol>\n',
            ))
            for l_2_r in l_1_refs:
                _loop_vars = {}
                pass
                t_6.extend((
                    '<li id="ref-',
                    escape(environment.getattr(l_2_r, 'number')),
                    '">',
                    escape(context.call((undefined(name='parts') if l_0_parts is missing else l_0_parts), environment.getattr(l_2_r, 'parts'), _loop_vars=_loop_vars)),
                    '</li>\n',
                ))
            l_2_r = missing
            t_6.append(
                '</ol>\n</section>\n',
            )
        return concat(t_6)
    context.exported_vars.add('references')
    context.vars['references'] = l_0_references = Macro(environment, macro, 'references', ('refs', 'level'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_doc, l_1_level):
        t_7 = []
        if l_1_doc is missing:
            l_1_doc = undefined("parameter 'doc' was not provided", name='doc')
        if l_1_level is missing:
            l_1_level = undefined("parameter 'level' was not provided", name='level')
        pass
        if environment.getattr(l_1_doc, 'urgent'):
            pass
            t_7.extend((
                '<p class="urgent">',
                escape(environment.getattr(l_1_doc, 'urgent')),
                '</p>\n',
            ))
        for l_2_n in environment.getattr(l_1_doc, 'notes'):
            _loop_vars = {}
            pass
            t_7.extend((
                '<p class="note">',
                escape(l_2_n),
                '</p>\n',
            ))
        l_2_n = missing
        for l_2_s in environment.getattr(l_1_doc, 'sections'):
            _loop_vars = {}
            pass
            t_7.append(
                '<section>\n',
            )
            if environment.getattr(l_2_s, 'label'):
                pass
                t_7.extend((
                    '<p><span class="inline-label">',
                    escape(environment.getattr(l_2_s, 'label')),
                    '</span> ',
                    escape(context.call((undefined(name='line') if l_0_line is missing else l_0_line), environment.getitem(environment.getattr(l_2_s, 'lines'), 0), _loop_vars=_loop_vars)),
                    '</p>\n',
                ))
                if (t_1(environment.getattr(l_2_s, 'lines')) > 1):
                    pass
                    t_7.append(
                        escape(context.call((undefined(name='lines') if l_0_lines is missing else l_0_lines), environment.getattr(l_2_s, 'lines')[1:], environment.getattr(l_2_s, 'bullets'), _loop_vars=_loop_vars)),
                    )
            else:
                pass
                t_7.extend((
                    '<h',
                    escape(l_1_level),
                    '>',
                    escape(environment.getattr(l_2_s, 'title')),
                    '</h',
                    escape(l_1_level),
                    '>\n',
                    escape(context.call((undefined(name='lines') if l_0_lines is missing else l_0_lines), environment.getattr(l_2_s, 'lines'), environment.getattr(l_2_s, 'bullets'), _loop_vars=_loop_vars)),
                    '\n',
                ))
            t_7.append(
                '</section>\n',
            )
        l_2_s = missing
        if environment.getattr(l_1_doc, 'legend'):
            pass
            t_7.append(
                '<ul class="small legend">\n',
            )
            for l_2_x in environment.getattr(l_1_doc, 'legend'):
                _loop_vars = {}
                pass
                t_7.extend((
                    '<li>',
                    escape(l_2_x),
                    '</li>\n',
                ))
            l_2_x = missing
            t_7.append(
                '</ul>\n',
            )
        t_7.extend((
            escape(context.call((undefined(name='references') if l_0_references is missing else l_0_references), environment.getattr(l_1_doc, 'references'), l_1_level)),
            '\n',
        ))
        l_2_loop = missing
        for l_2_f, l_2_loop in LoopContext(environment.getattr(l_1_doc, 'footer'), undefined):
            _loop_vars = {}
            pass
            t_7.extend((
                '<p class="',
                escape(('disclaimer' if environment.getattr(l_2_loop, 'first') else 'small')),
                '">',
                escape(l_2_f),
                '</p>\n',
            ))
        l_2_loop = l_2_f = missing
        return concat(t_7)
    context.exported_vars.add('document')
    context.vars['document'] = l_0_document = Macro(environment, macro, 'document', ('doc', 'level'), False, False, False, context.eval_ctx.autoescape)

blocks = {}
debug_info = '1=24&3=51&4=56&7=106&8=113&10=118&11=123&15=132&16=137&21=145&22=152&24=156&26=161&27=166&34=179&35=186&36=190&38=193&39=198&41=202&43=208&44=212&45=217&47=226&48=232&52=239&54=244&55=249&59=257&60=261&61=266'
