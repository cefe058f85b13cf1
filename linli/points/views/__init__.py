"""Pages of the points system, one module per room: member, review, year, exemptions, schemes."""
