// dstack inactivity semantics, as pure functions over time in milliseconds:
// an ESTABLISHED connection to the run's sshd port counts once it has been seen alive for longer than
// minAgeMs; a run is inactive for the time since a counted connection was last seen (or since it started).
import type { TcpSocket } from "./proc-net.js";

export interface ActivityState {
  /** connection "local>remote" -> first seen (ms) */
  connections: Record<string, number>;
  last_active_at: number | null;
}

export function trackActivity(
  prev: ActivityState,
  sockets: TcpSocket[],
  sshPort: number,
  now: number,
  minAgeMs: number,
): ActivityState {
  const connections: Record<string, number> = {};
  let lastActive = prev.last_active_at;
  for (const s of sockets) {
    if (!s.established || s.localPort !== sshPort) continue;
    const key = `${s.local}>${s.remote}`;
    const firstSeen = prev.connections[key] ?? now;
    connections[key] = firstSeen;
    if (now - firstSeen > minAgeMs) lastActive = now;
  }
  return { connections, last_active_at: lastActive };
}

/** sshd in the run's container is up once something listens on its port in the shared namespace. */
export function sshReady(sockets: TcpSocket[], sshPort: number): boolean {
  return sockets.some((s) => s.listening && s.localPort === sshPort);
}

export function inactiveSeconds(state: ActivityState, startedAt: number, now: number): number {
  return Math.max(0, Math.floor((now - (state.last_active_at ?? startedAt)) / 1000));
}

export type LimitReason = "inactivity" | "max_duration";

export function limitReached(
  limits: { inactivity_duration: number | null; max_duration: number | null },
  inactiveS: number,
  startedAt: number,
  now: number,
): LimitReason | null {
  if (limits.max_duration !== null && now - startedAt >= limits.max_duration * 1000) return "max_duration";
  if (limits.inactivity_duration !== null && inactiveS >= limits.inactivity_duration) return "inactivity";
  return null;
}
