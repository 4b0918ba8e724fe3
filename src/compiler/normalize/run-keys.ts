// The run keys dstack validates against each other (core/models/configurations.py): docker with image,
// python and nvcc; docker over privileged; shell; dev environments' ide, version and entrypoint; and a
// task's commands or image.
import type { DiagnosticBag } from "../diagnostics.js";
import type { Ide } from "../spec.js";
import { boolOf, stringOf, type RawObject } from "./field.js";

export interface RunKeys {
  docker: boolean;
  privileged: boolean;
  shell: string | null;
  priority: number;
}

const WINDSURF_VERSION = /^.+@[a-f0-9]+$/;

export function normalizeRunKeys(raw: RawObject, bag: DiagnosticBag): RunKeys {
  const docker = boolOf(raw.docker) ?? false;
  if (docker) {
    for (const key of ["image", "python", "nvcc"] as const) {
      // dstack checks a truthy value: `nvcc: false` next to docker is fine.
      if (raw[key] === undefined || raw[key] === null || raw[key] === false) continue;
      bag.error({
        code: "conflict",
        path: ["docker"],
        atKey: true,
        message: `docker: true cannot be used together with ${key}`,
        hint:
          key === "image"
            ? "docker: true runs dstack's docker-in-docker image; remove image, or remove docker and use an image with Docker and privileged: true"
            : `remove ${key}: the docker-in-docker image has its own Python and no nvcc`,
      });
    }
    if (raw.privileged === false)
      bag.warning({
        code: "ignored",
        path: ["privileged"],
        atKey: true,
        message: "privileged: false has no effect: docker: true always runs the container privileged",
        hint: "remove privileged",
      });
  }
  return {
    docker,
    // dstack: docker overrides privileged.
    privileged: docker || (boolOf(raw.privileged) ?? false),
    shell: normalizeShell(raw.shell, bag),
    priority: typeof raw.priority === "number" && !bag.hasErrorAt(["priority"]) ? raw.priority : 0,
  };
}

/** `sh` and `bash` are /bin/sh and /bin/bash (dstack's `/bin` + name); otherwise an absolute path. */
function normalizeShell(raw: unknown, bag: DiagnosticBag): string | null {
  const shell = stringOf(raw);
  if (shell === undefined) return null;
  if (shell === "sh" || shell === "bash") return `/bin/${shell}`;
  if (shell.startsWith("/")) return shell;
  bag.error({
    code: "invalid-value",
    path: ["shell"],
    message: `${JSON.stringify(shell)} is not sh, bash, or an absolute path`,
    hint: `e.g. shell: bash, or shell: /usr/bin/${shell.replace(/^.*\//, "") || "zsh"}`,
  });
  return null;
}

/** A dev environment's ide (none: SSH only, dstack's default) and the rules dstack puts on version. */
export function normalizeIde(raw: RawObject, bag: DiagnosticBag, version: string | null): Ide | null {
  const ide = (stringOf(raw.ide) as Ide | undefined) ?? null;
  if (raw.entrypoint !== undefined)
    bag.error({
      code: "conflict",
      path: ["entrypoint"],
      atKey: true,
      message: "a dev environment has no entrypoint (dstack rejects it)",
      hint: "move the command to init:, or make this a task",
    });
  if (version !== null && ide === null && !bag.hasErrorAt(["ide"]))
    bag.error({
      code: "missing-key",
      path: ["version"],
      atKey: true,
      message: "version needs ide: it is the IDE's version",
      hint: "add ide: vscode (or cursor, windsurf, zed), or remove version",
    });
  if (ide === "windsurf" && version !== null && !WINDSURF_VERSION.test(version))
    bag.error({
      code: "invalid-value",
      path: ["version"],
      message: `${JSON.stringify(version)} is not a Windsurf version: it is version@commit`,
      hint: "e.g. version: 1.106.0@8951cd3ad688e789573d7f51750d67ae4a0bea7d",
    });
  return ide;
}

/** dstack: a task (without groups) needs commands or an image whose entrypoint runs. */
export function checkCommandsOrImage(raw: RawObject, bag: DiagnosticBag): void {
  if (raw.groups !== undefined) return;
  const commands = Array.isArray(raw.commands) ? raw.commands : [];
  if (commands.length > 0 || (typeof raw.image === "string" && raw.image !== "")) return;
  if (bag.hasErrorAt(["commands"]) || bag.hasErrorAt(["image"])) return;
  bag.error({
    code: "missing-key",
    path: raw.commands === undefined ? [] : ["commands"],
    message:
      raw.commands === undefined
        ? 'missing required key "commands" or "image": a task runs its commands, or the image\'s own entrypoint'
        : 'the list is empty and there is no "image": a task runs its commands, or the image\'s own entrypoint',
    hint: "add commands: [...], or image: <an image whose entrypoint runs the task>",
  });
}
