// Lint: type-aware rules that ban `any` and floating promises (DESIGN.md style 13).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const plainJs = tseslint.configs.disableTypeChecked;

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**", "src/catalog/data/**", "examples/stacks/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "no-console": "error",
    },
  },
  {
    // Plain JavaScript (bin, scripts, benchmarks): no type information, Node globals.
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: {
      ...plainJs.languageOptions,
      globals: {
        process: "readonly",
        console: "readonly",
        URL: "readonly",
        performance: "readonly",
        require: "readonly",
        Buffer: "readonly",
        setTimeout: "readonly",
      },
    },
    rules: { ...plainJs.rules, "no-console": "off" },
  },
  {
    files: ["bench/**", "scripts/**"],
    rules: { "no-console": "off" },
  },
);
