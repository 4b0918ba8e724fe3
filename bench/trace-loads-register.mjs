import { register } from "node:module";
register("./trace-loads-hooks.mjs", import.meta.url);
