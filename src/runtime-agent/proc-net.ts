// Parsing /proc/<pid>/net/tcp and tcp6: one socket per line after the header,
// "sl local_address rem_address st ...", addresses as HEXIP:HEXPORT, state 01 = ESTABLISHED, 0A = LISTEN.

export interface TcpSocket {
  local: string;
  remote: string;
  localPort: number;
  established: boolean;
  listening: boolean;
}

export function parseProcNetTcp(text: string): TcpSocket[] {
  const sockets: TcpSocket[] = [];
  for (const line of text.split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    const [local, remote, st] = [f[1], f[2], f[3]];
    if (!local || !remote || !st) continue;
    const port = parseInt(local.slice(local.lastIndexOf(":") + 1), 16);
    if (Number.isNaN(port)) continue;
    sockets.push({ local, remote, localPort: port, established: st === "01", listening: st === "0A" });
  }
  return sockets;
}
