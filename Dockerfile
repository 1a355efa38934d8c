# Kontor appliance image. The same commands as the README: dependencies from uv.lock, then
# `kontor migrate` and `kontor serve`. (Not built in the development sandbox, which has no Docker engine.)
FROM python:3.11-slim-bookworm

RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential cmake make postgresql-client \
       tesseract-ocr-osd tesseract-ocr-deu tesseract-ocr-eng tesseract-ocr-fra tesseract-ocr-nld \
       tesseract-ocr-ita tesseract-ocr-spa tesseract-ocr-pol tesseract-ocr-ces \
    && rm -rf /var/lib/apt/lists/* \
    && pip install --no-cache-dir uv \
    && useradd --create-home --uid 10001 kontor

WORKDIR /app
COPY --chown=kontor:kontor . /app
USER kontor
ENV UV_PROJECT_ENVIRONMENT=/app/.venv \
    KONTOR_DATA_DIR=/data \
    KONTOR_HOST=0.0.0.0 \
    KONTOR_PORT=8000
RUN uv sync --frozen --no-dev

USER root
RUN mkdir -p /data && chown kontor:kontor /data
USER kontor
VOLUME ["/data"]
EXPOSE 8000
CMD ["sh", "-c", "/app/.venv/bin/kontor migrate && exec /app/.venv/bin/kontor serve"]
