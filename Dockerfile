# The hook's image: the `binderhub-registry-hook` CLI and every provider's SDK,
# installed from requirements/image.lock (pinned, hashed), run as a non-root user.
# The chart runs it with a read-only root filesystem and a writable /tmp.
# tests/test_image.py installs the same lock into a fresh venv and runs the entrypoint.

FROM python:3.11-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/hook
COPY requirements/image.lock /tmp/image.lock
RUN /opt/hook/bin/pip install --require-hashes --no-deps -r /tmp/image.lock
COPY pyproject.toml README.md /src/
COPY binderhub_registry_hook /src/binderhub_registry_hook
# Dependencies came from the lock; install only the project itself.
RUN /opt/hook/bin/pip install --no-deps --no-build-isolation /src

FROM python:3.11-slim-bookworm
COPY --from=build /opt/hook /opt/hook
ENV PATH=/opt/hook/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOME=/tmp
# 10001 is the chart's job.runAsUser default.
RUN useradd --uid 10001 --user-group --no-create-home --home-dir /tmp --shell /usr/sbin/nologin hook
USER 10001:10001
ENTRYPOINT ["binderhub-registry-hook"]
CMD ["--help"]
