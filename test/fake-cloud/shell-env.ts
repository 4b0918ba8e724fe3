// What `scripts/fake-cloud env DIR` prints: the export lines a shell needs to run the real CLI against
// the fake cloud, with the plugins installed into DIR/bin (first on PATH), the store in DIR, and
// instances booting (containers with SSH at 127.0.0.N:22). See README "Testing aid: the fake cloud".
import { join, resolve } from "node:path";
import { BOOT_ENV } from "./boot/options.js";
import { DIR_ENV } from "./core/provider.js";
import { installFakeCloud } from "./install.js";

const quote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

export function shellEnv(dir: string): string {
  const store = resolve(dir);
  const { binDir } = installFakeCloud(join(store, "bin"));
  return [
    `export PATH=${quote(binDir)}:"$PATH"`,
    `export ${DIR_ENV}=${quote(store)}`,
    `export ${BOOT_ENV}=1`,
    "",
  ].join("\n");
}
