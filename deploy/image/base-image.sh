#!/usr/bin/env bash
# The container image's base, built offline from the build machine (no registry, no Docker daemon):
# a Java runtime made with jlink from the machine's JDK, plus the shared libraries it loads (glibc,
# zlib, ...) copied from the machine, as one layer in a docker-archive tarball (the format of
# `docker save`). Jib reads it as the base image (tar://, see docs/adr/0044). Usage:
#   deploy/image/base-image.sh OUTPUT_DIRECTORY        -> OUTPUT_DIRECTORY/base-image.tar
set -euo pipefail

out="${1:?usage: base-image.sh OUTPUT_DIRECTORY}"
tarball="$out/base-image.tar"
java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
jlink="$java_home/bin/jlink"
[[ -x "$jlink" && -d "$java_home/jmods" ]] || { echo "base-image: no jlink or jmods in $java_home" >&2; exit 1; }

# same JDK and same script: the tarball is still good
stamp="$("$java_home/bin/java" -version 2>&1 | tr '\n' ' ') $(sha256sum "$0" | cut -c1-16)"
if [[ -f "$tarball" && -f "$out/stamp" && "$(cat "$out/stamp")" == "$stamp" ]]; then
  echo "base-image: $tarball is up to date"
  exit 0
fi

root="$out/rootfs"
rm -rf "$out"
mkdir -p "$root/opt" "$root/etc" "$root/tmp" "$root/deployments" "$root/proc" "$root/sys" "$root/dev"
chmod 1777 "$root/tmp"

# what the application uses of the platform (java.se covers JDBC, JNDI, XML, management, ...)
"$jlink" --add-modules java.se,jdk.unsupported,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.zipfs,jdk.naming.dns,jdk.management,jdk.localedata,jdk.charsets \
  --include-locales=en,es --strip-debug --no-man-pages --no-header-files --compress=2 --output "$root/opt/java"

# the libraries the runtime's programs and native libraries link against, and the dynamic loader
find "$root/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 \
  | xargs -0 ldd 2>/dev/null \
  | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// && $1 !~ /:$/ {print $1}' | sort -u \
  | grep -v "^$root/" \
  | while read -r lib; do cp --parents -L "$lib" "$root"; done
[[ -e "$root/lib64/ld-linux-x86-64.so.2" || -e "$root/lib/ld-linux-aarch64.so.1" ]] \
  || { echo "base-image: no dynamic loader found" >&2; exit 1; }

# a user without privileges (the image runs as 185) and root
printf 'root:x:0:0:root:/root:/sbin/nologin\nbluepost:x:185:0:Bluepost:/deployments:/sbin/nologin\n' > "$root/etc/passwd"
printf 'root:x:0:\nbluepost:x:185:\n' > "$root/etc/group"
printf 'hosts: files dns\n' > "$root/etc/nsswitch.conf"

# one reproducible layer
tar --sort=name --numeric-owner --owner=0 --group=0 --mtime='1970-01-01 00:00:00' -C "$root" -cf "$out/layer.tar" .
diff_id="sha256:$(sha256sum "$out/layer.tar" | cut -d' ' -f1)"
case "$(uname -m)" in
  x86_64) arch=amd64 ;;
  aarch64) arch=arm64 ;;
  *) arch="$(uname -m)" ;;
esac
cat > "$out/config.json" <<JSON
{"architecture":"$arch","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"Env":["PATH=/opt/java/bin:/usr/bin:/bin","JAVA_HOME=/opt/java","LANG=C.UTF-8"],"WorkingDir":"/deployments"},
 "rootfs":{"type":"layers","diff_ids":["$diff_id"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"deploy/image/base-image.sh: jlink runtime and its libraries"}]}
JSON
cat > "$out/manifest.json" <<JSON
[{"Config":"config.json","RepoTags":["bluepost-base:local"],"Layers":["layer.tar"]}]
JSON
tar --sort=name --numeric-owner --owner=0 --group=0 --mtime='1970-01-01 00:00:00' -C "$out" -cf "$tarball" manifest.json config.json layer.tar
rm -rf "$root" "$out/layer.tar"
echo "$stamp" > "$out/stamp"
echo "base-image: $tarball ($(du -h "$tarball" | cut -f1))"
