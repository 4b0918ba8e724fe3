import { describe, expect, it } from "vitest";
import { parseCpu } from "../../../src/compiler/grammar/cpu.js";
import { parseRange } from "../../../src/compiler/grammar/range.js";
import {
  parseCount,
  parseDuration,
  parseSize,
  formatDuration,
  formatSize,
} from "../../../src/compiler/grammar/units.js";

describe("sizes (GB; a bare number is GB)", () => {
  it.each([
    ["8GB", 8],
    ["8gb", 8],
    ["512MB", 0.5],
    ["1TB", 1024],
    ["1.5TB", 1536],
    ["24", 24],
    ["0.5", 0.5],
    ["100 GB", 100],
  ])("%s = %d GB", (text, gb) => {
    expect(parseSize(text)).toEqual({ ok: true, value: gb });
  });
  it.each(["16QB", "GB", "-1GB", "1e3GB", ""])("rejects %j", (text) => {
    expect(parseSize(text).ok).toBe(false);
  });
  it.each([
    [0.5, "512MB"],
    [8, "8GB"],
    [1024, "1TB"],
    [1.5, "1536MB"],
  ])("formats %d GB as %s", (gb, text) => {
    expect(formatSize(gb)).toBe(text);
  });
});

describe("ranges", () => {
  it.each([
    ["8GB..", { min: 8, max: null }],
    ["..80GB", { min: null, max: 80 }],
    ["16GB..80GB", { min: 16, max: 80 }],
    ["24GB", { min: 24, max: 24 }],
    [24, { min: 24, max: 24 }],
    [{ min: "8GB" }, { min: 8, max: null }],
    [
      { min: 8, max: "16GB" },
      { min: 8, max: 16 },
    ],
  ])("%j", (raw, range) => {
    expect(parseRange(raw, parseSize, "a size", "8GB")).toEqual({ ok: true, value: range });
  });
  it.each([
    ["..", /neither/],
    ["1..2..3", /more than one/],
    ["80GB..8GB", /greater/],
    [{ min: 1, mx: 2 }, /unknown key "mx"/],
    [{}, /needs min, max/],
    [[1], /expected/],
  ])("rejects %j", (raw, message) => {
    const parsed = parseRange(raw, parseSize, "a size", "8GB");
    expect(!parsed.ok && parsed.message).toMatch(message);
  });
  it("counts must be whole numbers", () => {
    expect(parseCount("2").ok).toBe(true);
    expect(parseCount("2.5").ok).toBe(false);
  });
});

describe("durations (seconds)", () => {
  it.each([
    ["90s", 90],
    ["30m", 1800],
    ["2h", 7200],
    ["1d", 86400],
    ["1w", 604800],
    [3600, 3600],
    ["3600", 3600],
    ["off", "off"],
    [false, "off"],
  ])("%j = %j", (raw, value) => {
    expect(parseDuration(raw, true)).toEqual({ ok: true, value });
  });
  it.each([["2 hours"], ["1y"], [-5], [1.5], [true], ["h"]])("rejects %j", (raw) => {
    expect(parseDuration(raw, true).ok).toBe(false);
  });
  it("rejects off where unlimited makes no sense", () => {
    expect(parseDuration("off", false).ok).toBe(false);
  });
  it.each([
    [90, "90s"],
    [1800, "30m"],
    [7200, "2h"],
    [86400, "1d"],
    [604800, "1w"],
    ["off" as const, "off"],
  ])("formats %j as %s", (d, text) => {
    expect(formatDuration(d)).toBe(text);
  });
});

describe("cpu", () => {
  it.each([
    [16, { arch: null, count: { min: 16, max: 16 } }],
    ["16..", { arch: null, count: { min: 16, max: null } }],
    ["x86:16", { arch: "x86", count: { min: 16, max: 16 } }],
    ["arm:8..", { arch: "arm", count: { min: 8, max: null } }],
    ["8..:arm", { arch: "arm", count: { min: 8, max: null } }],
    ["aarch64", { arch: "arm", count: { min: 2, max: null } }],
    [
      { arch: "x86_64", count: "4..8" },
      { arch: "x86", count: { min: 4, max: 8 } },
    ],
  ])("%j", (raw, cpu) => {
    expect(parseCpu(raw)).toEqual({ ok: true, value: cpu });
  });
  it.each([["x86:arm"], ["8:16"], ["mips:8"], [0], [{ arch: "sparc" }], [{ cores: 2 }]])(
    "rejects %j",
    (raw) => {
      expect(parseCpu(raw).ok).toBe(false);
    },
  );
});
