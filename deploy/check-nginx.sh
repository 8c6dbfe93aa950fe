#!/usr/bin/env bash
# Checks deploy/nginx/cchc.conf with `nginx -t`, in a throw-away prefix with a self-signed
# certificate, so that the file is known to load before it is copied to a server.
# Installs Debian's nginx first when it is missing and this runs as root. Exit code: nginx's.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if ! command -v nginx >/dev/null 2>&1 && ! [ -x /usr/sbin/nginx ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing nginx ..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx) >/dev/null
  else
    echo "nginx is not installed: apt-get install nginx (as root), then run this again." >&2
    exit 3
  fi
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/logs" "$TMP/tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=cchc.example.gov.vn" \
  -keyout "$TMP/tls/privkey.pem" -out "$TMP/tls/fullchain.pem" 2>/dev/null
sed -e "s#/etc/ssl/cchc/#$TMP/tls/#g" "$HERE/nginx/cchc.conf" > "$TMP/cchc.conf"
cat > "$TMP/nginx.conf" <<CONF
pid $TMP/nginx.pid;
error_log $TMP/logs/error.log;
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    access_log $TMP/logs/access.log;
    client_body_temp_path $TMP/body;
    proxy_temp_path $TMP/proxy;
    include $TMP/cchc.conf;
}
CONF
"$NGINX" -t -q -p "$TMP" -c "$TMP/nginx.conf"
echo "deploy/nginx/cchc.conf: nginx $("$NGINX" -v 2>&1 | sed 's#.*/##') accepts it."
