"""Use cases: plain functions taking values and a unit of work."""
