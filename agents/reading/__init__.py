"""The reading agent: what a PDF's pages say, as text and words with boxes; hidden text kept apart;
pages without a text layer read by Tesseract OCR (`ocr`), and scans made to measure it (`degrade`)."""

from agents.reading.pdf import MAX_PAGES, ReadJob, TextCaps, read_job, read_pdf

__all__ = ["MAX_PAGES", "ReadJob", "TextCaps", "read_job", "read_pdf"]
