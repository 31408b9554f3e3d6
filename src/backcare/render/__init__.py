"""Renderers: turn views (views.py) into text. Only this package formats output.

table.py is the only module that imports Rich; the JSON, plain and Markdown paths never do.
Each renderer draws the three kinds of view, and `Renderer.render` picks the method by the
view's type, so a command hands over a view and never names how it is drawn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:  # imported when a view is drawn: `render.text` alone (completion) needs no views
    from backcare.views import Document, Grid, TableView

T = TypeVar("T")


class Renderer(Generic[T]):
    def table(self, view: TableView) -> T:
        raise NotImplementedError

    def document(self, doc: Document) -> T:
        raise NotImplementedError

    def grid(self, grid: Grid) -> T:
        raise NotImplementedError

    def render(self, view: TableView | Document | Grid) -> T:
        from backcare.views import Document, TableView

        if isinstance(view, TableView):
            return self.table(view)
        if isinstance(view, Document):
            return self.document(view)
        return self.grid(view)
