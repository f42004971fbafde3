"""Compatibility between taxonomy versions: the modes, semver, the comparison of
two versions through the rule catalogue, releases and baselines, waivers, and
the ``taxops check`` pipeline that ties them together."""
