# `monitor exporter` as a container: read-only, no shell needed at run time.
#   docker build -t ecs-monitor .
#   docker run -p 9108:9108 -v $PWD/monitor.yaml:/config/monitor.yaml:ro ecs-monitor
# On ECS the task role gives the credentials (examples/exporter/).
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
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:9108/healthz', timeout=2)"
ENTRYPOINT ["monitor", "exporter", "-c", "/config/monitor.yaml", "--listen", "0.0.0.0:9108"]
