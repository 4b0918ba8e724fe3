// Where records live (issue 15): personal by default, beside the stacks of the team's backend otherwise;
// the team's backend from DSTACK_BACKEND_URL or `state: {backend}` in config.yml, checked with positions.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseDstackConfig } from "../../../src/home/dstack-config.js";
import { currentOwner, isMine } from "../../../src/home/owner.js";
import { recordsRoot } from "../../../src/home/records-root.js";
import { leftoversText, personalLeftovers } from "../../../src/home/personal-leftovers.js";
import { stateBackendUrl } from "../../../src/engine/state-backend.js";

const homeWith = (config?: string): string => {
  const home = mkdtempSync(join(tmpdir(), "dstack-records-root-"));
  if (config !== undefined) {
    mkdirSync(join(home, ".dstack"));
    writeFileSync(join(home, ".dstack", "config.yml"), config);
  }
  return home;
};

describe("recordsRoot", () => {
  it("is ~/.dstack without a team backend, and for the default state folder named explicitly", () => {
    const home = homeWith();
    expect(recordsRoot(home, {})).toEqual({ kind: "files", dir: join(home, ".dstack"), shared: false });
    expect(recordsRoot(home, { DSTACK_BACKEND_URL: `file://${home}/.dstack/state` })).toMatchObject({
      shared: false,
    });
  });

  it("is <folder>/.dstack for a shared folder, from the environment or config.yml (the environment wins)", () => {
    const home = homeWith("state:\n  backend: file:///mnt/team/dstack\n");
    expect(recordsRoot(home, {})).toEqual({ kind: "files", dir: "/mnt/team/dstack/.dstack", shared: true });
    expect(recordsRoot(home, { DSTACK_BACKEND_URL: "file:///srv/other" })).toMatchObject({
      dir: "/srv/other/.dstack",
    });
    expect(stateBackendUrl({ home, env: {} })).toBe("file:///mnt/team/dstack");
    expect(stateBackendUrl({ home, env: {}, backendUrl: "file:///x" })).toBe("file:///x");
  });

  it("names the bucket for s3://", () => {
    expect(
      recordsRoot(homeWith(), { DSTACK_BACKEND_URL: "s3://team-bucket/dstack?region=us-east-1" }),
    ).toEqual({
      kind: "s3",
      url: "s3://team-bucket/dstack?region=us-east-1",
    });
  });
});

describe("state: in config.yml", () => {
  it("takes {backend: URL} and refuses anything else with the position and a fix", () => {
    expect(parseDstackConfig("state:\n  backend: s3://b\n", "c.yml").stateBackend).toBe("s3://b");
    const bad = parseDstackConfig("state:\n  backend: /mnt/team\n", "c.yml").diagnostics;
    expect(bad[0]).toMatchObject({ severity: "error", message: '"/mnt/team" is not a Pulumi backend URL' });
    const notMap = parseDstackConfig("state: s3://b\n", "c.yml").diagnostics;
    expect(notMap[0]).toMatchObject({ severity: "error", message: "expected `state: {backend: URL}`" });
  });
});

describe("owners", () => {
  it("are DSTACK_USER (else the login name) and the host; one's own by user name", () => {
    const alice = currentOwner({ DSTACK_USER: "alice" });
    expect(alice.user).toBe("alice");
    expect(isMine({ user: "alice", host: "other-laptop" }, alice)).toBe(true);
    expect(isMine({ user: "bob", host: alice.host }, alice)).toBe(false);
    expect(isMine(undefined, alice)).toBe(true);
  });
});

describe("personal leftovers", () => {
  it("are the records ~/.dstack still holds once the records are shared; none while they are personal", () => {
    const home = homeWith();
    mkdirSync(join(home, ".dstack", "runs"), { recursive: true });
    writeFileSync(join(home, ".dstack", "runs", "old-run.json"), "{}");
    expect(personalLeftovers(home, {})).toEqual([]);
    const leftovers = personalLeftovers(home, { DSTACK_BACKEND_URL: "s3://team/dstack" });
    expect(leftovers).toEqual([{ kind: "runs", names: ["old-run"] }]);
    expect(leftoversText(leftovers)).toContain("1 runs (old-run)");
  });
});
