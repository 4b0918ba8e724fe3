// The stack's secrets manager (the default one of stacks on the service): encrypt and decrypt, one value or
// a batch. Go's encoding/json sends []byte as standard base64, so every value here travels base64; the
// batch decrypt answer is keyed by each ciphertext's base64, as the client looks it up.
import type { Handler } from "../context.js";
import { ok } from "../context.js";
import { requireStack } from "../access.js";
import { badRequest } from "../errors.js";

function bytes(field: string, value: unknown): Buffer {
  if (typeof value !== "string") throw badRequest(`'${field}' must be a base64 string`);
  return Buffer.from(value, "base64");
}

function list(field: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string"))
    throw badRequest(`'${field}' must be an array of base64 strings`);
  return value as string[];
}

/** POST .../encrypt {plaintext} → {ciphertext} */
export const encryptValue: Handler = (req, state) => {
  const stack = requireStack(req, state);
  const plaintext = bytes("plaintext", (req.body as { plaintext?: unknown } | undefined)?.plaintext);
  return ok({ ciphertext: state.secrets.encrypt(stack.id, plaintext).toString("base64") });
};

/** POST .../decrypt {ciphertext} → {plaintext} */
export const decryptValue: Handler = (req, state) => {
  const stack = requireStack(req, state);
  const ciphertext = bytes("ciphertext", (req.body as { ciphertext?: unknown } | undefined)?.ciphertext);
  return ok({ plaintext: state.secrets.decrypt(stack.id, ciphertext).toString("base64") });
};

/** POST .../batch-encrypt {plaintexts} → {ciphertexts} (same order) */
export const batchEncrypt: Handler = (req, state) => {
  const stack = requireStack(req, state);
  const plaintexts = list("plaintexts", (req.body as { plaintexts?: unknown } | undefined)?.plaintexts);
  return ok({
    ciphertexts: plaintexts.map((p) =>
      state.secrets.encrypt(stack.id, Buffer.from(p, "base64")).toString("base64"),
    ),
  });
};

/** POST .../batch-decrypt {ciphertexts} → {plaintexts: {<ciphertext base64>: <plaintext base64>}} */
export const batchDecrypt: Handler = (req, state) => {
  const stack = requireStack(req, state);
  const ciphertexts = list("ciphertexts", (req.body as { ciphertexts?: unknown } | undefined)?.ciphertexts);
  const plaintexts: Record<string, string> = {};
  for (const c of ciphertexts)
    plaintexts[c] = state.secrets.decrypt(stack.id, Buffer.from(c, "base64")).toString("base64");
  return ok({ plaintexts });
};

/**
 * POST .../decrypt/log-decryption and .../decrypt/log-batch-decryption: the service's audit log of
 * `--show-secrets` reads. Accepted and not kept.
 */
export const logDecryption: Handler = (req, state) => {
  requireStack(req, state);
  return ok();
};
