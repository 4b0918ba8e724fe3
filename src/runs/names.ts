// Generated run names in dstack's style (`fast-moth-1`): readable, valid as names and SSH hosts.
import { randomBytes, randomInt } from "node:crypto";

const ADJECTIVES = [
  "fast",
  "calm",
  "bold",
  "keen",
  "warm",
  "wise",
  "brave",
  "quiet",
  "lucky",
  "sharp",
  "bright",
  "gentle",
];
const ANIMALS = ["moth", "fox", "owl", "lynx", "crow", "seal", "wolf", "hare", "swan", "yak", "newt", "orca"];

export function randomRunName(taken: ReadonlySet<string>): string {
  for (;;) {
    const name = `${ADJECTIVES[randomInt(ADJECTIVES.length)]!}-${ANIMALS[randomInt(ANIMALS.length)]!}-${randomInt(1, 10)}`;
    if (!taken.has(name)) return name;
  }
}

/** The random part of a new instance's name (`aws-ab12cd`): fixed before the attempts, kept by all. */
export function instanceToken(): string {
  return randomBytes(3).toString("hex");
}
