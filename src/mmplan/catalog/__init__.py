"""Stage 1: catalog bytes become a validated, merged `Catalog`, and the facts read off it.

`load` reads and layers the files (through `yaml_nodes`, `model`, `checks` and `cache`);
`lookup`, `graph`, `figures`, `money` and `enrolment` are facts about the catalog.
"""
