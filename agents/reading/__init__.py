"""Reading pages that have no text layer: Tesseract OCR (`ocr`), and scans made to measure it (`degrade`)."""
