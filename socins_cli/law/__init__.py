"""The law as data: its model, loading and cache, the schema, validation, vocabulary, texts and diffs."""
