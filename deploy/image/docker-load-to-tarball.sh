#!/usr/bin/env bash
# Stands in for the `docker` command that Quarkus' Jib extension runs to hand a built image to a
# Docker daemon (there is none on the build machines): `docker load` writes the image tarball it is
# given (docker-archive format, what `docker load` and `podman load` read) to
# $BLUEPOST_IMAGE_TARBALL; `docker info` describes this machine. Anything else is refused.
# See docs/adr/0044.
set -euo pipefail
case "${1:-}" in
  info)
    case "$(uname -m)" in x86_64) arch=x86_64 ;; aarch64) arch=aarch64 ;; *) arch="$(uname -m)" ;; esac
    printf '{"OSType":"linux","Architecture":"%s"}\n' "$arch"
    ;;
  load)
    target="${BLUEPOST_IMAGE_TARBALL:?BLUEPOST_IMAGE_TARBALL names where the image tarball goes}"
    mkdir -p "$(dirname "$target")"
    cat > "$target.part"
    mv "$target.part" "$target"
    echo "Loaded image: written to $target"
    ;;
  *)
    echo "docker-load-to-tarball: only 'load' and 'info' are supported here, not '${1:-}'" >&2
    exit 1
    ;;
esac
