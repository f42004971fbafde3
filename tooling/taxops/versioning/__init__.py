"""Versions, in one place: parsing, ordering and printing them (:mod:`.versions`),
the bumps a change can require (:mod:`.bumps`), and a taxonomy's versioning
policy, which says what bump each change needs and whether the declared version
keeps to it (:mod:`.policy`).

Everything else only compares versions, prints them with ``str()`` and asks
:mod:`.policy` what a change needs; nothing else parses a version string.
Submodules are imported by name: the models need :mod:`.versions` before the
rule catalogue, which :mod:`.policy` reads, exists."""
