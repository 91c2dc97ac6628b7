# Trede for production: gunicorn (`trede serve`) behind your reverse proxy, PostgreSQL
# beside it (docker-compose.yml). Build: docker build -t trede .
# Not built in Trede's own CI or development machines (no registry for the base image
# there): see README, "In productie".
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint (letters, the council report as PDF) needs Debian's Pango and HarfBuzz and a
# font; `trede backup` needs pg_dump and pg_restore of the server's major version (Debian
# bookworm's postgresql-client is 15, as in docker-compose.yml). The database driver is
# psycopg's binary wheel.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /opt/trede
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install . \
    && rm -rf /opt/trede/src /opt/trede/build
COPY scripts/docker-entrypoint /usr/local/bin/trede-entrypoint

# A user without a login shell or rights on the installed code; the data folder is its own.
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/trede --create-home --shell /usr/sbin/nologin trede

ENV TREDE_DATA_DIR=/var/lib/trede \
    TREDE_BIND=0.0.0.0:8000 \
    TREDE_LOG_FORMAT=json \
    TREDE_LOG_LEVEL=INFO

USER trede
# Static files collected (and compressed) at build, so a container starts without writing
# them; the key only lets the settings load for this one command.
RUN SECRET_KEY=collectstatic-only-not-a-real-key trede collectstatic --noinput -v 0

EXPOSE 8000
# Healthy when the database answers and every migration is applied (/gezondheid/, 200).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/gezondheid/', timeout=4)"]

# trede migrate, then exec trede serve (gunicorn, 2 x CPUs + 1 workers; TREDE_WEB_WORKERS).
ENTRYPOINT ["/usr/local/bin/trede-entrypoint"]
