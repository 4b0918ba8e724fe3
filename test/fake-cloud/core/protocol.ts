// The shapes the fake provider answers the engine with (the SDK's Provider results, extended with what
// the engine's protocol carries besides: detailed diffs, delete-before-replace), and small helpers.
import type * as sdk from "@pulumi/pulumi/provider/provider.js";
import type { CheckFailure } from "./check-kit.js";
import type { ChangeKind, InputDiff } from "./diff.js";
import type { JsonObject } from "./values.js";

export type DiffKind = ChangeKind | `${ChangeKind}-replace`;

export interface DetailedDiffResult extends sdk.DiffResult {
  readonly changes: boolean;
  readonly replaces: string[];
  /** Top-level properties that changed. */
  readonly diffs: string[];
  /** Property path -> kind of change, in the engine's path syntax. */
  readonly detailedDiff: Record<string, DiffKind>;
  readonly deleteBeforeReplace: boolean;
}

export interface CheckOutcome extends sdk.CheckResult {
  readonly inputs: JsonObject;
  readonly failures: CheckFailure[];
}

export const DIR_ENV = "DSTACK_FAKE_CLOUD_DIR";

/** `urn:pulumi:<stack>::<project>::<parent$>type::<name>` -> type and logical name. */
export function parseUrn(urn: string): { type: string; name: string } {
  const parts = urn.split("::");
  const qualified = parts[2] ?? "";
  return { type: qualified.split("$").pop() ?? qualified, name: parts.slice(3).join("::") };
}

/** `fn()` as a promise: a throw becomes a rejection, as the Provider interface's callers expect. */
export function settle<T>(fn: () => T | Promise<T>): Promise<T> {
  return new Promise<T>((resolve) => resolve(fn()));
}

/** The engine's diff response for an input diff. */
export function diffResult(diff: InputDiff, named: boolean): DetailedDiffResult {
  const detailedDiff: Record<string, DiffKind> = {};
  for (const c of diff.changes) detailedDiff[c.path] = c.replace ? `${c.kind}-replace` : c.kind;
  return {
    changes: diff.changes.length > 0,
    replaces: diff.replaces,
    diffs: diff.changedKeys,
    detailedDiff,
    // Like the real providers: a resource the user named cannot exist twice, so it goes first.
    deleteBeforeReplace: named && diff.replaces.length > 0,
  };
}
