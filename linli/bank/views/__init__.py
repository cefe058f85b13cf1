"""Pages of the points station, its shop and the time bank: resident phone pages, the desk, management."""
