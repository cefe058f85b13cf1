"""Test helpers about the ledger, read straight from the entries (independently of `ledger verify`)."""

from linli.ledger.models import Entry


def entries_out_of_time_order() -> list[tuple[int, int]]:
    """(account id, seq) of every entry stamped earlier than the entry before it on its account."""
    found, previous = [], {}
    rows = Entry.objects.order_by("account_id", "seq").values_list("account_id", "seq", "at")
    for account_id, seq, at in rows.iterator(chunk_size=5000):
        if account_id in previous and at < previous[account_id]:
            found.append((account_id, seq))
        previous[account_id] = at
    return found
