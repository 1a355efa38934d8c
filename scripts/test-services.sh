#!/usr/bin/env bash
# Makes sure the services the tests talk to are up. PostgreSQL and Redis are expected on this
# machine (CI fails, not skips, without them); later services (IMAP, a browser) are added here.
# `test-services.sh stop` stops again what an earlier call started (and only that): `make test` calls
# it after the checks, whatever their outcome.
set -euo pipefail

IMAP_PORT="${KONTOR_TEST_IMAP_PORT:-10143}"
IMAPS_PORT="${KONTOR_TEST_IMAPS_PORT:-10993}"
DOVECOT_DIR="${KONTOR_TEST_DOVECOT_DIR:-${TMPDIR:-/tmp}/kontor-dovecot}"
#: One marker file per service this script started.
STARTED="${TMPDIR:-/tmp}/kontor-test-services"
PG_VERSION="$(ls /etc/postgresql 2>/dev/null | head -n1 || true)"

if [[ "${1:-}" == "stop" ]]; then
  if [[ -f "$STARTED/dovecot" ]]; then
    doveadm -c "$DOVECOT_DIR/dovecot.conf" stop 2>/dev/null || true
  fi
  if [[ -f "$STARTED/redis" ]]; then
    redis-cli -h 127.0.0.1 -p 6379 shutdown nosave >/dev/null 2>&1 || true
  fi
  if [[ -f "$STARTED/postgresql" ]]; then
    pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main stop || true
  fi
  rm -rf "$STARTED"
  exit 0
fi
mkdir -p "$STARTED"

wait_for() {  # name host port
  for _ in $(seq 1 50); do
    if (exec 3<>"/dev/tcp/$2/$3") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "test-services: $1 is not reachable on $2:$3" >&2
  return 1
}

if ! (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null && command -v pg_ctlcluster >/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main start && touch "$STARTED/postgresql" || true
fi
if ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null && command -v redis-server >/dev/null; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    && touch "$STARTED/redis" || true
fi
wait_for PostgreSQL 127.0.0.1 5432
wait_for Redis 127.0.0.1 6379

# Dovecot for the mail tests: a throwaway server on loopback with its own configuration, never the
# system one. Any user name logs in with the shared test password, so each test owns a fresh mailbox.
# Ports and paths (above) must match tests/app/mail/imap.py (both honour the same variables).

start_dovecot() {
  if ! command -v dovecot >/dev/null; then
    if ! apt-get install -y -q dovecot-imapd >/dev/null 2>&1; then
      apt-get update -q >/dev/null && apt-get install -y -q dovecot-imapd >/dev/null
    fi
  fi
  # The mailboxes of earlier test runs are thrown away with the server that held them.
  rm -rf "$DOVECOT_DIR/mail"
  mkdir -p "$DOVECOT_DIR/run" "$DOVECOT_DIR/state" "$DOVECOT_DIR/mail"
  chown mail:mail "$DOVECOT_DIR/mail"
  if [[ ! -f "$DOVECOT_DIR/cert.pem" ]]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=localhost \
      -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
      -keyout "$DOVECOT_DIR/key.pem" -out "$DOVECOT_DIR/cert.pem" 2>/dev/null
  fi
  cat >"$DOVECOT_DIR/dovecot.conf" <<CONF
base_dir = $DOVECOT_DIR/run
state_dir = $DOVECOT_DIR/state
log_path = $DOVECOT_DIR/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <$DOVECOT_DIR/cert.pem
ssl_key = <$DOVECOT_DIR/key.pem
ssl_min_protocol = TLSv1.2
auth_mechanisms = plain
first_valid_uid = 8
mail_location = maildir:~/Maildir
passdb {
  driver = static
  args = password=${KONTOR_TEST_IMAP_PASSWORD:-kontor-test}
}
userdb {
  driver = static
  args = uid=mail gid=mail home=$DOVECOT_DIR/mail/%u
}
service imap-login {
  inet_listener imap {
    port = $IMAP_PORT
  }
  inet_listener imaps {
    port = $IMAPS_PORT
    ssl = yes
  }
}
service anvil {
  chroot =
}
CONF
  dovecot -c "$DOVECOT_DIR/dovecot.conf"
  touch "$STARTED/dovecot"
}

if ! (exec 3<>"/dev/tcp/127.0.0.1/$IMAP_PORT") 2>/dev/null; then
  start_dovecot
fi
wait_for Dovecot 127.0.0.1 "$IMAP_PORT"
wait_for Dovecot 127.0.0.1 "$IMAPS_PORT"

# Chromium for the review pages' browser tests: Playwright drives Debian's build (it downloads no browser).
if ! command -v chromium >/dev/null; then
  if ! apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core >/dev/null 2>&1; then
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core >/dev/null
  fi
fi

# DejaVu fonts for the synthetic documents of bench/synth (they cover Polish and Czech diacritics).
if [[ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]]; then
  if ! apt-get install -y -q --no-install-recommends fonts-dejavu-core >/dev/null 2>&1; then
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends fonts-dejavu-core >/dev/null
  fi
fi
