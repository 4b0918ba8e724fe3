// `repos` and `files` as dstack reads them: the short forms (a URL told from a path by `user@host:` or
// `scheme://`, Windows drive letters kept whole), the long forms, and what is refused.
import { describe, expect, it } from "vitest";
import { compile } from "../../../src/compiler/compile.js";
import { parseFileMount, parseRepoMount } from "../../../src/compiler/grammar/code-mounts.js";

const repo = (raw: unknown) => parseRepoMount(raw);

describe("repos", () => {
  it.each([
    [".", { local_path: ".", url: null, path: "." }],
    ["..:/my-repo", { local_path: "..", url: null, path: "/my-repo" }],
    [
      "https://github.com/dstackai/dstack",
      { local_path: null, url: "https://github.com/dstackai/dstack", path: "." },
    ],
    ["https://github.com/org/r.git:/src", { url: "https://github.com/org/r.git", path: "/src" }],
    ["git@github.com:dstackai/dstack.git", { url: "git@github.com:dstackai/dstack.git", path: "." }],
    ["git@github.com:org/r.git:repo", { url: "git@github.com:org/r.git", path: "repo" }],
    ["C:\\code\\repo:/r", { local_path: "C:\\code\\repo", path: "/r" }],
  ])("%s", (raw, want) => {
    const got = repo(raw);
    expect(got.ok && got.value).toMatchObject(want);
  });

  it("long form with branch, hash and if_exists; refusals name what is wrong", () => {
    const got = repo({ url: "https://x/y", branch: "dev", hash: "abc", path: "/y", if_exists: "skip" });
    expect(got.ok && got.value).toEqual({
      local_path: null,
      url: "https://x/y",
      branch: "dev",
      hash: "abc",
      path: "/y",
      if_exists: "skip",
    });
    expect(repo({ local_path: ".", url: "https://x/y" })).toMatchObject({
      ok: false,
      message: "local_path and url are mutually exclusive",
    });
    expect(repo({ path: "/y" })).toMatchObject({
      ok: false,
      message: "either local_path or url must be given",
    });
    expect(repo("a:b:c")).toMatchObject({ ok: false });
    expect(repo(".:C:/x")).toMatchObject({ ok: false });
  });

  it("a run takes one repo, as in dstack; compile → render → compile keeps repos and files", () => {
    const two = compile({
      file: "a.yml",
      text: "type: task\ncommands: [x]\nrepos: [., ..]\n",
      noProfile: true,
    });
    expect(two.diagnostics.map((d) => d.message)).toContain(
      "2 repos are listed; a run takes one (as in dstack)",
    );
    const text =
      "type: task\ncommands: [x]\nrepos: [{url: 'https://x/y', branch: dev}]\nfiles: [~/.ssh/id_rsa, .:examples]\n";
    const once = compile({ file: "a.yml", text, noProfile: true });
    expect(once.spec?.type === "task" && once.spec.repos).toEqual([
      { local_path: null, url: "https://x/y", branch: "dev", hash: null, path: ".", if_exists: "error" },
    ]);
    expect(once.spec?.type === "task" && once.spec.files).toEqual([
      { local_path: "~/.ssh/id_rsa", path: "~/.ssh/id_rsa" },
      { local_path: ".", path: "examples" },
    ]);
  });
});

describe("files", () => {
  it.each([
    [".:examples", { local_path: ".", path: "examples" }],
    ["~/.ssh/id_rsa:/root/.ssh/id_rsa", { local_path: "~/.ssh/id_rsa", path: "/root/.ssh/id_rsa" }],
    ["../examples", { local_path: "../examples", path: "../examples" }],
    ["C:\\data:/data", { local_path: "C:\\data", path: "/data" }],
    [
      { local_path: "a", path: "/b" },
      { local_path: "a", path: "/b" },
    ],
  ])("%s", (raw, want) => {
    const got = parseFileMount(raw);
    expect(got.ok && got.value).toEqual(want);
  });

  it("refuses a Windows container path and a mapping with two colons", () => {
    expect(parseFileMount("a:C:/b")).toMatchObject({ ok: false });
    expect(parseFileMount({ local_path: "a" })).toMatchObject({
      ok: false,
      message: "both local_path and path are needed",
    });
  });
});
