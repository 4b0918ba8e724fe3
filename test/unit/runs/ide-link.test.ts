// dstack's IDE links (server/services/ides/): the vscode-remote form for VS Code, Cursor and Windsurf,
// zed://ssh/ for Zed, and none for a dev environment without ide.
import { describe, expect, it } from "vitest";
import { ideLink } from "../../../src/runs/ide-link.js";

describe("ideLink", () => {
  it.each([
    [
      "vscode",
      "/workflow",
      { ide: "VS Code Desktop", url: "vscode://vscode-remote/ssh-remote+dev/workflow" },
    ],
    ["cursor", "/workflow/src", { ide: "Cursor", url: "cursor://vscode-remote/ssh-remote+dev/workflow/src" }],
    ["windsurf", "/workflow", { ide: "Windsurf", url: "windsurf://vscode-remote/ssh-remote+dev/workflow" }],
    ["zed", "/workflow", { ide: "Zed", url: "zed://ssh/dev/workflow" }],
  ])("%s", (ide, dir, expected) => {
    expect(ideLink({ ide, working_dir: dir }, "dev")).toEqual(expected);
  });

  it("gives no link without an IDE (SSH only)", () => {
    expect(ideLink({ ide: null, working_dir: "/workflow" }, "dev")).toBeNull();
  });
});
