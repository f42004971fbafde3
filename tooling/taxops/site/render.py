"""Page models to HTML: Jinja2 templates (autoescaped, free of logic), then the
sanitiser. The only place templates are rendered."""

from __future__ import annotations

from functools import cache

import jinja2

from taxops.site.pages import Page
from taxops.site.sanitise import sanitise


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("taxops.site", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        # The templates are the package's own and never change while it runs:
        # checking them again for every page was 30,000 file stats a 5,000-label build.
        auto_reload=False,
    )


def render_page(page: Page) -> str:
    """The page body as sanitised HTML. A page of a large taxonomy's labels
    writes characters beyond ASCII as character references: the same page to
    a browser, and half the memory in Python (which stores a string holding
    one arrow at two bytes a character) while MkDocs holds every page at once."""
    template = _environment().get_template(page.template)
    html = sanitise(template.render(page=page))
    if page.template == "label_group.html.j2":
        html = html.encode("ascii", "xmlcharrefreplace").decode("ascii")
    return html
