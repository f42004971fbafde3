"""The published guideline site: page models assembled from the taxonomies,
guidelines and releases, rendered with Jinja2 into HTML that MkDocs (theme
mkdocs-material) places in its navigation and search.

Everything here but :mod:`taxops.site.plugin` is plain Python over plain data;
the plugin is the MkDocs edge. The pipeline is :func:`taxops.site.build.build_site`.
"""
