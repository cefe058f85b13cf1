"""Reads of the points station, shop and time bank, each with a fixed number of queries."""
