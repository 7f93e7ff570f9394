#!/bin/sh
# A self-signed certificate for the entry's TLS: writes DIR/fullchain.pem and DIR/privkey.pem unless both
# exist (a real certificate mounted there is never replaced). docker-compose.yml runs it in its `tls`
# service; test/support/nginx.ts runs it for the TLS test of the entry. Needs openssl.
# Usage: scripts/tls-selfsigned.sh DIR [NAME]   NAME: the host name (or IPv4 address) clients use, default localhost.
set -eu
dir=${1:?usage: tls-selfsigned.sh DIR [NAME]}
name=${2:-localhost}
if [ -s "$dir/fullchain.pem" ] && [ -s "$dir/privkey.pem" ]; then
  echo "tls: keeping the certificate in $dir"
  exit 0
fi
mkdir -p "$dir"
case "$name" in
  localhost | 127.0.0.1) san="DNS:localhost,IP:127.0.0.1" ;;
  *[!0-9.]*) san="DNS:$name,DNS:localhost,IP:127.0.0.1" ;;
  *) san="IP:$name,DNS:localhost,IP:127.0.0.1" ;;
esac
# The key is readable by its owner only (nginx's master process reads it as root).
umask 077
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 825 \
  -subj "/CN=$name" -addext "subjectAltName=$san" \
  -keyout "$dir/privkey.pem.tmp" -out "$dir/fullchain.pem.tmp" 2>/dev/null
chmod 644 "$dir/fullchain.pem.tmp"
mv "$dir/privkey.pem.tmp" "$dir/privkey.pem"
mv "$dir/fullchain.pem.tmp" "$dir/fullchain.pem"
echo "tls: made a self-signed certificate for $name in $dir (825 days); mount a real one there for production"
