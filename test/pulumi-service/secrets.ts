// The stand-in of the service's secrets manager behind `.../encrypt`, `/decrypt` and their batch forms.
// NOT SECURE, and not meant to be: AES-256-GCM under one key kept in plain text in the data folder
// (`secrets.key`), with the stack's internal id as associated data so a ciphertext only opens in the
// stack that made it (as the service's per-stack keys do; a rename keeps the id, so secrets survive it).
// Anyone who can read the data folder can read every secret.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { badRequest } from "./errors.js";

const IV_BYTES = 12;
const TAG_BYTES = 16;

export class FixtureSecrets {
  private readonly key: Buffer;

  constructor(dataDir: string) {
    const file = join(dataDir, "secrets.key");
    if (!existsSync(file)) {
      mkdirSync(dataDir, { recursive: true });
      // wx: of two servers racing on a new folder, one key wins and the other reads it.
      try {
        writeFileSync(file, `${randomBytes(32).toString("hex")}\n`, { flag: "wx", mode: 0o600 });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
    }
    this.key = Buffer.from(readFileSync(file, "utf8").trim(), "hex");
    if (this.key.length !== 32) throw new Error(`pulumi-service: ${file} does not hold a 32-byte hex key`);
  }

  encrypt(stackId: string, plaintext: Buffer): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(Buffer.from(stackId));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  decrypt(stackId: string, ciphertext: Buffer): Buffer {
    if (ciphertext.length < IV_BYTES + TAG_BYTES) throw badRequest("ciphertext is not one of this stack's");
    const decipher = createDecipheriv("aes-256-gcm", this.key, ciphertext.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(stackId));
    decipher.setAuthTag(ciphertext.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(ciphertext.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch {
      throw badRequest("ciphertext is not one of this stack's");
    }
  }
}
