"""Roster import (PPL-7): resident and Party member rosters from .xlsx, previewed first, committed once.

Upload → `*_roster_import_preview` reads and checks every row and stores an `ImportBatch` (errors
with row numbers, the first rows masked, and for the good rows only what commit needs, personal
data already encrypted) → `import_batch_commit` writes everything in one transaction, or nothing:
by default a batch with any bad row is refused; `only_valid=True` imports the good rows. Commit
re-checks ID numbers against the database, since someone may have registered one since the preview.

Work is done in bulk: names of grids and Party organisations are resolved with one query each,
ID numbers are looked up in chunks, and persons, households, members and audit entries are inserted
in bulk (`linli.core.bulk.bulk_insert`), so the number of queries grows with insert batches, never
with rows. Modules: `sheets` (columns and parsers), `names` (grids and Party organisations in
scope), `checks` (row rules, no writes), `services` (preview, commit, discard, templates).
"""

from .names import NameIndex
from .services import (
    ImportOutcome,
    import_batch_commit,
    import_batch_discard,
    member_roster_import_preview,
    resident_roster_import_preview,
    roster_template,
)
from .sheets import MEMBER_SHEET, PREVIEW_HEADERS, RESIDENT_SHEET, SHEETS

__all__ = [
    "MEMBER_SHEET",
    "PREVIEW_HEADERS",
    "RESIDENT_SHEET",
    "SHEETS",
    "ImportOutcome",
    "NameIndex",
    "import_batch_commit",
    "import_batch_discard",
    "member_roster_import_preview",
    "resident_roster_import_preview",
    "roster_template",
]
