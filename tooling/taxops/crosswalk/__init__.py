"""Published correspondence tables (crosswalks, concordances, SSSOM mapping
sets) read as a taxonomy version's declarations: read the table
(:mod:`~taxops.crosswalk.table`), compile what each old code becomes
(:mod:`~taxops.crosswalk.compile`), write it into the new version's file
(:mod:`~taxops.crosswalk.write`), or compare a version with a table
(:mod:`~taxops.crosswalk.agree`)."""
