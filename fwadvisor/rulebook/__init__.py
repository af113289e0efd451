"""The rulebook: data files in rules/, their schema, loading, conditions and the engine."""
