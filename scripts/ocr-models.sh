#!/usr/bin/env bash
# Tesseract's models for OCR (Debian/Ubuntu packages). Installs them when they are missing and we may
# (root with apt-get); otherwise prints the command and goes on: without models a scan ends as
# `text.missing` with the same hint. KONTOR_OCR__TESSDATA points at another folder of models.
set -uo pipefail

PACKAGES="tesseract-ocr-osd tesseract-ocr-deu tesseract-ocr-eng tesseract-ocr-fra tesseract-ocr-nld \
tesseract-ocr-ita tesseract-ocr-spa tesseract-ocr-pol tesseract-ocr-ces"

if [ -n "${KONTOR_OCR__TESSDATA:-}" ] && ls "${KONTOR_OCR__TESSDATA}"/*.traineddata >/dev/null 2>&1; then
  exit 0
fi
missing=""
for package in $PACKAGES; do
  dpkg -s "$package" >/dev/null 2>&1 || missing="$missing $package"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "ocr-models: installing$missing"
  (apt-get install -y -q $missing || (apt-get update -q && apt-get install -y -q $missing)) >/dev/null \
    || echo "ocr-models: could not install$missing; OCR of scans stays off" >&2
else
  echo "ocr-models: OCR models missing; install them with: sudo apt-get install -y$missing" >&2
fi
exit 0
