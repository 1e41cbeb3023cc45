"""Batches: read rows, key and cache answers, render and write them; parallel and Parquet paths."""
