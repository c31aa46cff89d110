# `monitor exporter` as a container: read-only, no shell needed at run time.
#   docker build -t ecs-monitor .
#   docker run -p 9108:9108 -v $PWD/monitor.yaml:/config/monitor.yaml:ro ecs-monitor
# On ECS the task role gives the credentials (examples/exporter/).
#
# Exposure: it listens on 0.0.0.0:9108, plain HTTP and no authentication, so that Prometheus can
# reach it. /metrics shows your clusters', services' and containers' names and usage. Keep the
# port on a private network, and serve TLS and basic auth with a web config in the
# exporter-toolkit format (README, "What it exposes, and how to protect it"):
#   docker run -p 9108:9108 -v $PWD/config:/config:ro -e MONITOR_HEALTH_URL=https://127.0.0.1:9108/healthz \
#     ecs-monitor --web-config /config/web-config.yml
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md config.example.yaml ./
COPY monitor monitor
COPY filters filters
COPY alarms alarms
COPY examples/logs examples/logs
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
RUN useradd --system --uid 10001 exporter
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
USER 10001
EXPOSE 9108
STOPSIGNAL SIGTERM
# /healthz needs no password; with TLS set MONITOR_HEALTH_URL to https (the local probe skips the
# certificate check: it only asks the process it runs beside).
ENV MONITOR_HEALTH_URL=http://127.0.0.1:9108/healthz
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import os, ssl, urllib.request; urllib.request.urlopen(os.environ['MONITOR_HEALTH_URL'], timeout=2, context=ssl._create_unverified_context())"
ENTRYPOINT ["monitor", "exporter", "-c", "/config/monitor.yaml", "--listen", "0.0.0.0:9108"]
