// The container's main process: a POSIX sh script (it runs on Debian, Ubuntu and Alpine images alike) that
// makes sure sshd exists, starts it on the run's own port, then runs the task's commands and exits with
// their code, or runs a dev environment's init commands and stays up. Pure: spec in, text out.
import type { JobSpec } from "./spec.js";

/** Quote for POSIX sh. */
export function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Per-container sshd files: host key, authorized keys, config, the session wrapper, the env snapshot. */
export const SSH_DIR = "/tmp/.dstack";

const INSTALL_SSHD = `if [ ! -x /usr/sbin/sshd ]; then
  log "sshd not found, installing openssh-server"
  if command -v apt-get >/dev/null; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssh-server) >&2
  elif command -v apk >/dev/null; then apk add --no-cache openssh >&2
  elif command -v dnf >/dev/null; then dnf install -y openssh-server >&2
  elif command -v yum >/dev/null; then yum install -y openssh-server >&2
  fi
fi`;

function sshdConfig(port: number): string {
  return `Port ${port}
HostKey $D/host_key
PidFile $D/sshd.pid
AuthorizedKeysFile $D/authorized_keys .ssh/authorized_keys
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin yes
UsePAM no
AllowTcpForwarding yes
X11Forwarding no
PrintMotd no
ClientAliveInterval 30
Subsystem sftp $SFTP
ForceCommand /bin/sh $D/session.sh`;
}

/** Every ssh session: the container's env, the working dir, then the requested command or a login shell. */
function sessionLines(workingDir: string): string {
  return [
    `. ${SSH_DIR}/env.sh`,
    `cd ${shq(workingDir)} 2>/dev/null`,
    'if [ -n "${SSH_ORIGINAL_COMMAND:-}" ]; then exec "${SHELL:-/bin/sh}" -c "$SSH_ORIGINAL_COMMAND"; fi',
    'exec "${SHELL:-/bin/sh}" -l',
  ]
    .map(shq)
    .join(" ");
}

/**
 * The uploaded `repos`/`files` entries whose container path is outside /workflow arrive under
 * /workflow/.dstack-outside (absolute paths) and /workflow/.dstack-home (`~/...`): moved into place
 * before anything runs, as the container's user (a path it may not write is said in the log).
 */
const RELOCATE = `for pair in "/workflow/.dstack-outside:/" "/workflow/.dstack-home:\${HOME:-/root}"; do
  src=\${pair%%:*}; dst=\${pair#*:}
  if [ -d "$src" ]; then
    mkdir -p "$dst" && cp -a "$src/." "$dst/" || log "ERROR: could not copy the uploaded files into $dst"
    rm -rf "$src"
  fi
done`;

/** After sshd: a task's commands (exit with their code) or a dev environment's init, then idle. */
export function mainPart(spec: JobSpec): string {
  const dev = spec.kind === "dev-environment";
  const cmds = (dev ? spec.init : spec.commands).join(" && ");
  const run = spec.entrypoint
    ? `${spec.entrypoint} "$1"`
    : 'if [ -x /bin/bash ]; then exec /bin/bash -c "$1"; else exec /bin/sh -c "$1"; fi';
  const lines = ["child=", `trap '[ -n "$child" ] && kill -TERM "$child" 2>/dev/null; exit 143' TERM INT`];
  if (cmds) {
    lines.push(`sh -c ${shq(run)} sh ${shq(cmds)} & child=$!`, 'wait "$child"; code=$?');
    lines.push(
      dev
        ? '[ "$code" -eq 0 ] || { log "init failed with exit code $code"; exit "$code"; }'
        : 'log "commands exited with code $code"; exit "$code"',
    );
  }
  if (dev) lines.push('log "dev environment ready"', "tail -f /dev/null & child=$!", 'wait "$child"');
  else if (!cmds) {
    // No commands: the image's own entrypoint and command, given to the script as "$@" (none: nothing).
    lines.push(
      '[ "$#" -gt 0 ] || { log "no commands and no image command: nothing to run"; exit 0; }',
      '"$@" & child=$!',
      'wait "$child"; code=$?',
      'log "the image command exited with code $code"; exit "$code"',
    );
  }
  return lines.join("\n");
}

export function buildContainerScript(spec: JobSpec, sshPort: number): string {
  const fail = spec.kind === "dev-environment" ? "exit 1" : ":";
  const keys = spec.ssh_authorized_keys.map(shq).join(" ");
  return `set -u
log() { echo "dstack: $*" >&2; }
D=${SSH_DIR}
mkdir -p "$D" && chmod 700 "$D"
export -p | grep -v -E '^(export|declare -x) (HOME|HOSTNAME|PWD|OLDPWD|SHLVL|_)=' > "$D/env.sh"
${INSTALL_SSHD}
if [ -x /usr/sbin/sshd ]; then
  mkdir -p /run/sshd 2>/dev/null
  [ -f "$D/host_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$D/host_key"
  printf '%s\\n' ${keys} > "$D/authorized_keys"; chmod 600 "$D/authorized_keys"
  SFTP=internal-sftp
  for p in /usr/lib/openssh/sftp-server /usr/lib/ssh/sftp-server /usr/libexec/openssh/sftp-server; do
    if [ -x "$p" ]; then SFTP=$p; break; fi
  done
  printf '%s\\n' ${sessionLines(spec.working_dir)} > "$D/session.sh"
  if [ -w /etc/profile.d ]; then echo '. ${SSH_DIR}/env.sh' > /etc/profile.d/zz-dstack.sh; fi
  cat > "$D/sshd_config" <<EOF
${sshdConfig(sshPort)}
EOF
  if /usr/sbin/sshd -f "$D/sshd_config" -E "$D/sshd.log"; then log "sshd listening on port ${sshPort}"
  else log "ERROR: sshd failed to start: $(tail -n 3 "$D/sshd.log" 2>/dev/null)"; ${fail}; fi
else
  log "ERROR: sshd is missing in image ${spec.image.replace(/[^\w./:@-]/g, "")} and could not be installed (no apt-get/apk, no network, or not root); ssh to this run is unavailable"
  ${fail}
fi
${RELOCATE}
cd ${shq(spec.working_dir)} || exit 1
${mainPart(spec)}
`;
}
