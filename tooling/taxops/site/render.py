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
    )


def render_page(page: Page) -> str:
    """The page body as sanitised HTML."""
    template = _environment().get_template(page.template)
    return sanitise(template.render(page=page))
