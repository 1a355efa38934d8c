"""Scans and photos around the OCR engine: images as input, their PDF copy, trust in OCR'd values,
the straightened page image and its rotation in review, and the searchable archive copy."""
