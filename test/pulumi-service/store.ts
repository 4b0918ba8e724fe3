// The service's persistent state, in one folder, loaded at start and written through on every change
// (atomically, file by file), so a restarted server carries on where the last one stopped:
//
//   <data>/secrets.key                                  the key of the fixture's secrets (secrets.ts)
//   <data>/stacks/<stack id>/stack.json                 StackRecord
//   <data>/stacks/<stack id>/deployment.json            the current state (last checkpoint or import)
//   <data>/stacks/<stack id>/versions/<n>.json          the state each finished version left
//   <data>/stacks/<stack id>/updates/<update id>.json   UpdateRecord
//   <data>/stacks/<stack id>/updates/<update id>.events.jsonl   engine events, one batch per line
//
// The folder of a stack is named by its internal id, so a rename rewrites only stack.json. Node runs the
// handlers one at a time, and every store call is synchronous: no two requests interleave inside one.
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { readJson, writeJsonAtomic } from "./atomic-file.js";
import type { StackRecord, UntypedDeployment, UpdateRecord } from "./model.js";

export class ServiceStore {
  private readonly stacksById = new Map<string, StackRecord>();
  private readonly updatesById = new Map<string, UpdateRecord>();

  constructor(readonly dataDir: string) {
    mkdirSync(this.stacksDir, { recursive: true });
    for (const id of readdirSync(this.stacksDir)) {
      const file = join(this.stacksDir, id, "stack.json");
      if (!existsSync(file)) continue; // a folder a crashed delete left behind
      this.stacksById.set(id, readJson<StackRecord>(file));
      const updates = join(this.stacksDir, id, "updates");
      if (!existsSync(updates)) continue;
      for (const name of readdirSync(updates).filter((n) => /^[^.]+\.json$/.test(n))) {
        const update = readJson<UpdateRecord>(join(updates, name));
        this.updatesById.set(update.id, update);
      }
    }
  }

  private get stacksDir(): string {
    return join(this.dataDir, "stacks");
  }

  private stackDir(stackId: string): string {
    return join(this.stacksDir, stackId);
  }

  stacks(): StackRecord[] {
    return [...this.stacksById.values()];
  }

  stackById(id: string): StackRecord | undefined {
    return this.stacksById.get(id);
  }

  findStack(orgName: string, projectName: string, stackName: string): StackRecord | undefined {
    for (const s of this.stacksById.values())
      if (s.orgName === orgName && s.projectName === projectName && s.stackName === stackName) return s;
    return undefined;
  }

  saveStack(stack: StackRecord): void {
    writeJsonAtomic(join(this.stackDir(stack.id), "stack.json"), stack);
    this.stacksById.set(stack.id, stack);
  }

  deleteStack(stack: StackRecord): void {
    // stack.json goes first: a crash half-way leaves a folder the loader skips, never a half stack.
    rmSync(join(this.stackDir(stack.id), "stack.json"), { force: true });
    rmSync(this.stackDir(stack.id), { recursive: true, force: true });
    this.stacksById.delete(stack.id);
    for (const [id, u] of this.updatesById) if (u.stackId === stack.id) this.updatesById.delete(id);
  }

  /** The current state, or undefined before the first checkpoint or import. */
  deployment(stack: StackRecord): UntypedDeployment | undefined {
    const file = join(this.stackDir(stack.id), "deployment.json");
    return existsSync(file) ? readJson<UntypedDeployment>(file) : undefined;
  }

  saveDeployment(stack: StackRecord, deployment: UntypedDeployment): void {
    writeJsonAtomic(join(this.stackDir(stack.id), "deployment.json"), deployment);
  }

  versionDeployment(stack: StackRecord, version: number): UntypedDeployment | undefined {
    const file = join(this.stackDir(stack.id), "versions", `${version}.json`);
    return existsSync(file) ? readJson<UntypedDeployment>(file) : undefined;
  }

  saveVersionDeployment(stack: StackRecord, version: number, deployment: UntypedDeployment): void {
    writeJsonAtomic(join(this.stackDir(stack.id), "versions", `${version}.json`), deployment);
  }

  update(id: string): UpdateRecord | undefined {
    return this.updatesById.get(id);
  }

  updatesOf(stack: StackRecord): UpdateRecord[] {
    return [...this.updatesById.values()].filter((u) => u.stackId === stack.id);
  }

  /** The update holding the stack's lock: started and neither completed nor cancelled. */
  runningUpdate(stack: StackRecord): UpdateRecord | undefined {
    return this.updatesOf(stack).find((u) => u.status === "running");
  }

  saveUpdate(update: UpdateRecord): void {
    writeJsonAtomic(join(this.stackDir(update.stackId), "updates", `${update.id}.json`), update);
    this.updatesById.set(update.id, update);
  }

  /** Appends one batch as one line; a line torn by a crash is skipped when read back. */
  appendEvents(update: UpdateRecord, events: unknown[]): void {
    const file = join(this.stackDir(update.stackId), "updates", `${update.id}.events.jsonl`);
    mkdirSync(join(this.stackDir(update.stackId), "updates"), { recursive: true });
    appendFileSync(file, `${JSON.stringify(events)}\n`);
  }

  events(update: UpdateRecord): unknown[] {
    const file = join(this.stackDir(update.stackId), "updates", `${update.id}.events.jsonl`);
    if (!existsSync(file)) return [];
    return readFileSync(file, "utf8")
      .split("\n")
      .flatMap((line) => {
        try {
          return line === "" ? [] : (JSON.parse(line) as unknown[]);
        } catch {
          return [];
        }
      });
  }
}
