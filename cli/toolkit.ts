// The toolkit session of a command: the library facade, talking through the command's IoHost.
import { Toolkit } from "../src/toolkit/toolkit.js";
import type { CommandContext } from "./command.js";

export const toolkitFor = (ctx: CommandContext): Toolkit =>
  new Toolkit({ home: ctx.home, env: ctx.env, io: ctx.io, signal: ctx.signal });
