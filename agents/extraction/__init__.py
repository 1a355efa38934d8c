"""Invoice extraction from a PDF's text layer: rules find candidates, the small model chooses among them."""
