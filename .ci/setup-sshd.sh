#!/usr/bin/env bash
# OpenSSH sshd on 127.0.0.1:2223 for the transporter's interoperability test (SshdInteroperabilityIT):
# one SFTP user in a root-owned chroot with writable IN and OUT, as on the Serviceplatform. Idempotent
# and quick on a second run; needs root. Writes /srv/sf1820-sftp/sshd-test.properties, which the test
# reads (the test skips, saying so, where the file is absent).
set -euo pipefail

BASE=/srv/sf1820-sftp            # outside /tmp: OpenSSH refuses a chroot with a non-root-owned or writable parent
SFTP_USER=sf1820ksd
PORT=2223
CONFIG=$BASE/sshd_config
PIDFILE=$BASE/sshd.pid
LOG=$BASE/sshd.log
PROPERTIES=$BASE/sshd-test.properties

if [[ $(id -u) -ne 0 ]]; then
  echo "setup-sshd: not root, skipping (SshdInteroperabilityIT will skip)" >&2
  exit 0
fi
if [[ ! -x /usr/sbin/sshd ]]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-server >/dev/null
fi

# A user that can log in by key only: no shell, no password, but not locked ('*' rather than '!').
if ! id "$SFTP_USER" >/dev/null 2>&1; then
  useradd -M -s /usr/sbin/nologin "$SFTP_USER"
fi
usermod -p '*' "$SFTP_USER"

install -d -m 0755 -o root -g root "$BASE" "$BASE/keys" "$BASE/$SFTP_USER"
install -d -m 0755 -o "$SFTP_USER" -g "$SFTP_USER" "$BASE/$SFTP_USER/IN" "$BASE/$SFTP_USER/OUT"

# The user's keys, one of each type the transporter supports; all are authorized.
for type in ed25519 ecdsa rsa; do
  key=$BASE/keys/${SFTP_USER}_$type
  if [[ ! -f $key ]]; then
    case $type in
      rsa) ssh-keygen -q -t rsa -b 3072 -N '' -C "$SFTP_USER-$type" -f "$key" ;;
      ecdsa) ssh-keygen -q -t ecdsa -b 256 -N '' -C "$SFTP_USER-$type" -f "$key" ;;
      *) ssh-keygen -q -t "$type" -N '' -C "$SFTP_USER-$type" -f "$key" ;;
    esac
  fi
done
cat "$BASE/keys/${SFTP_USER}"_{ed25519,ecdsa,rsa}.pub > "$BASE/keys/$SFTP_USER.pub"
chmod 0644 "$BASE/keys/$SFTP_USER.pub"

if [[ ! -f $BASE/ssh_host_ed25519_key ]]; then
  ssh-keygen -q -t ed25519 -N '' -C sf1820-sshd-host -f "$BASE/ssh_host_ed25519_key"
fi
echo "[127.0.0.1]:$PORT $(cut -d' ' -f1,2 "$BASE/ssh_host_ed25519_key.pub")" > "$BASE/known_hosts"

cat > "$CONFIG" <<CONF
Port $PORT
ListenAddress 127.0.0.1
HostKey $BASE/ssh_host_ed25519_key
PidFile $PIDFILE
AuthorizedKeysFile $BASE/keys/%u.pub
StrictModes no
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin no
AllowUsers $SFTP_USER
Subsystem sftp internal-sftp
Match User $SFTP_USER
    ChrootDirectory $BASE/%u
    ForceCommand internal-sftp
    AllowTcpForwarding no
    X11Forwarding no
CONF

mkdir -p /run/sshd
/usr/sbin/sshd -t -f "$CONFIG"
if [[ -f $PIDFILE ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
  # running: a changed config takes effect on SIGHUP
  kill -HUP "$(cat "$PIDFILE")"
else
  /usr/sbin/sshd -f "$CONFIG" -E "$LOG"
fi

cat > "$PROPERTIES" <<PROPS
# written by .ci/setup-sshd.sh: an OpenSSH sshd the transporter's interoperability test delivers to
host=127.0.0.1
port=$PORT
user=$SFTP_USER
privateKey=$BASE/keys/${SFTP_USER}_ed25519
privateKey.ed25519=$BASE/keys/${SFTP_USER}_ed25519
privateKey.ecdsa=$BASE/keys/${SFTP_USER}_ecdsa
privateKey.rsa=$BASE/keys/${SFTP_USER}_rsa
knownHosts=$BASE/known_hosts
root=$BASE/$SFTP_USER
PROPS
echo "setup-sshd: sshd on 127.0.0.1:$PORT, user $SFTP_USER, chroot $BASE/$SFTP_USER, test settings in $PROPERTIES"
