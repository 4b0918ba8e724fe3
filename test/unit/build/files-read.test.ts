// Which repository files the build commands read, by each tool's own rule, and which named paths are
// reported as not hashed (with the reason) rather than silently ignored.
import { describe, expect, it } from "vitest";
import { filesReadBy, requirementIncludes } from "../../../src/build/files-read.js";

const PLACE = { repoDir: "/workflow", workingDir: "/workflow" };
const paths = (...commands: string[]): string[] => filesReadBy(commands, PLACE).files.map((f) => f.path);
const why = (commands: string[], path: string): string | undefined =>
  filesReadBy(commands, PLACE).files.find((f) => f.path === path)?.why;

describe("filesReadBy: pip and uv requirement files", () => {
  it.each([
    ["pip install -r requirements.txt", ["requirements.txt"]],
    [
      "pip3 install --no-cache-dir --requirement=req/dev.txt -c constraints.txt",
      ["req/dev.txt", "constraints.txt"],
    ],
    ["pip install --requirement a.txt --constraint=b.txt -rc.txt", ["a.txt", "b.txt", "c.txt"]],
    ["python3 -m pip install -U -r requirements.txt", ["requirements.txt"]],
    ["python -m pip install torch", []],
    ["uv pip install -r requirements.in -c c.txt", ["requirements.in", "c.txt"]],
    ["uv pip sync --python 3.11 requirements.lock", ["requirements.lock"]],
    ["sudo -E pip install -r r.txt", ["r.txt"]],
    ["PIP_NO_CACHE_DIR=1 env -u X FOO=1 pip install -r r.txt", ["r.txt"]],
  ])("%s", (command, expected) => {
    expect(paths(command)).toEqual(expected);
  });

  it("marks requirement files so that their own includes are followed", () => {
    const files = filesReadBy(["pip install -r r.txt", "bash setup.sh"], PLACE).files;
    expect(files.map((f) => [f.path, f.requirements])).toEqual([
      ["r.txt", true],
      ["setup.sh", false],
    ]);
  });

  it("says which command and which option read the file", () => {
    expect(why(["apt-get update", "pip install -r requirements.txt"], "requirements.txt")).toBe(
      "pip install -r, build command 2",
    );
    expect(why(["pip install -r r.txt", "uv pip install -r r.txt"], "r.txt")).toBe(
      "pip install -r, build command 1; uv pip install -r, build command 2",
    );
  });
});

describe("filesReadBy: project managers read their manifests and lock files", () => {
  it.each([
    ["uv sync --frozen", ["pyproject.toml", "uv.lock"]],
    ["poetry install --no-root", ["pyproject.toml", "poetry.lock"]],
    ["npm ci", ["package.json", "package-lock.json"]],
    ["npm install", ["package.json", "package-lock.json"]],
    ["yarn install --frozen-lockfile", ["package.json", "yarn.lock"]],
    ["pnpm install", ["package.json", "pnpm-lock.yaml"]],
    ["conda env create -f environment.yml", ["environment.yml"]],
    ["conda env update --file=envs/gpu.yml --prune", ["envs/gpu.yml"]],
    ["conda env create", ["environment.yml"]],
    ["micromamba install -y -f env.yaml", ["env.yaml"]],
    ["conda install -y --file spec.txt", ["spec.txt"]],
    ["conda install -f numpy", []],
    ["npm run build", []],
  ])("%s", (command, expected) => {
    expect(paths(command)).toEqual(expected);
  });

  it("explains a default file", () => {
    expect(why(["conda env create"], "environment.yml")).toBe(
      "conda env create (its default file) reads it, build command 1",
    );
  });
});

describe("filesReadBy: scripts and copies", () => {
  it.each([
    ["source env.sh", ["env.sh"]],
    [". ./env.sh", ["env.sh"]],
    ["bash -e scripts/setup.sh arg", ["scripts/setup.sh"]],
    ["sh install.sh", ["install.sh"]],
    ["python3 tools/prepare.py --fast", ["tools/prepare.py"]],
    ["python -c 'print(1)'", []],
    ["python -m venv .venv", []],
    ["./setup.sh --yes", ["setup.sh"]],
    ["/workflow/bin/go", ["bin/go"]],
    ["/usr/bin/env true", []],
    ["cp configs/a.yaml configs/b.yaml /etc/app/", ["configs/a.yaml", "configs/b.yaml"]],
    ["cp -r -t /opt/app src assets", ["src", "assets"]],
    ["cp -r . /opt/app", ["."]],
    [`bash -c "pip install -r requirements.txt && source env.sh"`, ["requirements.txt", "env.sh"]],
    [`sh -lc 'npm ci'`, ["package.json", "package-lock.json"]],
  ])("%s", (command, expected) => {
    expect(paths(command)).toEqual(expected);
  });
});

describe("filesReadBy: the working directory", () => {
  it("follows cd across commands, as the build runs them in one shell", () => {
    expect(paths("cd backend", "pip install -r requirements.txt", "cd ../web && npm ci")).toEqual([
      "backend/requirements.txt",
      "web/package.json",
      "web/package-lock.json",
    ]);
  });

  it("starts in the run's working directory and keeps absolute paths under the repository", () => {
    const place = { repoDir: "/workflow", workingDir: "/workflow/src" };
    expect(filesReadBy(["pip install -r r.txt -c /workflow/c.txt"], place).files.map((f) => f.path)).toEqual([
      "src/r.txt",
      "c.txt",
    ]);
  });

  it("reports paths it cannot hash, with the reason, and hashes none of them", () => {
    const result = filesReadBy(
      [
        "pip install -r /tmp/r.txt",
        "pip install -r $REQS",
        "pip install -r ../other/r.txt",
        "cd $DIR",
        "bash x.sh",
      ],
      PLACE,
    );
    expect(result.files).toEqual([]);
    expect(result.notHashed).toEqual([
      { path: "/tmp/r.txt", why: "outside the repository (pip install -r, build command 1)" },
      {
        path: "$REQS",
        why: "the shell expands it, so its file is unknown (pip install -r, build command 2)",
      },
      { path: "../other/r.txt", why: "outside the repository (pip install -r, build command 3)" },
      {
        path: "x.sh",
        why: "after a `cd` to a place not known before the build (bash (script), build command 5)",
      },
    ]);
  });

  it("an absolute cd back into the repository is followed", () => {
    expect(paths("cd /tmp", "cd /workflow/app", "pip install -r r.txt")).toEqual(["app/r.txt"]);
  });
});

describe("requirementIncludes", () => {
  it("finds -r and -c lines in a requirements file, not URLs, options or packages", () => {
    const text = [
      "# base",
      "-r base.txt",
      "--requirement=dev/extra.txt",
      "-c constraints.txt  # pinned",
      "-rshort.txt",
      "-r https://example.com/r.txt",
      "--index-url https://pypi.example/simple",
      "requests==2.31.0",
      "torch>=2 ; python_version > '3.8'",
    ].join("\n");
    expect(requirementIncludes(text)).toEqual(["base.txt", "dev/extra.txt", "constraints.txt", "short.txt"]);
  });
});
