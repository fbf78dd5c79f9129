#!/bin/sh
# Entrypoint of every Tessera image: runs the Quarkus fast-jar in /deployments.
# JAVA_OPTS is the image's default, JAVA_OPTS_APPEND the deployment's (the Helm chart sets it);
# both are split on spaces on purpose. exec keeps the JVM as PID 1 so SIGTERM reaches it.
set -eu
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} ${JAVA_OPTS_APPEND:-} -jar /deployments/quarkus-run.jar "$@"
