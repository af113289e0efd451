"""Probe files read back: their schema, statistics, comparisons, and the evidence built from them."""
