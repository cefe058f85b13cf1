"""Reads of the points system: fixed numbers of queries whatever the data size."""
