"""Answers a command gave before, for the commands that replay them (`mmplan.catalog.answers`).

A command asks for the key of its request over the files as they are (`answer_key` of
`read_catalog_digest`, with every option that shapes its text), replays the answer stored
under it when there is one (`recall_answer`), and otherwise loads the catalog, works the
answer out and stores it under the key of the bytes it loaded (`LoadedCatalog.digest`, so
a file edited in between never gets another file's answer: `remember_answer`).
"""

from mmplan.catalog.answers import (
    Answer,
    answer_key,
    read_catalog_digest,
    recall_answer,
    remember_answer,
)

__all__ = ["Answer", "answer_key", "read_catalog_digest", "recall_answer", "remember_answer"]
