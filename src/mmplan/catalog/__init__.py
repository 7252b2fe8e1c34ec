"""Stage 1: catalog bytes become a validated, merged `Catalog`, and the facts read off it.

`sources` names the active files; `load` reads and layers them (through `yaml_nodes`,
`model`, `checks` and `cache`); `answers` keeps what commands answered over them;
`lookup`, `graph`, `figures`, `money` and `enrolment` are facts about the catalog.
"""
