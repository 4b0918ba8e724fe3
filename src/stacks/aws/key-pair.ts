// The pool's EC2 key pair, from the first public key. It is the key AWS itself knows (console, `Connect`,
// instance metadata); every key, this one included, also reaches root's authorized_keys through user
// data, so the key pair is a convenience, not the only way in.
import * as ec2 from "@pulumi/aws/ec2/index.js";
import { resourceName } from "../tags.js";
import { awsTags, poolScope, type AwsPoolContext } from "./context.js";

export interface PoolKeyPair {
  resource: ec2.KeyPair;
  /** The key pair's name in EC2, known before it exists (see below). */
  keyName: string;
}

export function poolKeyPair(ctx: AwsPoolContext): PoolKeyPair | undefined {
  const { spec } = ctx;
  const publicKey = spec.ssh_public_keys[0];
  if (publicKey === undefined) return undefined;
  const keyName = resourceName(poolScope(spec), "key");
  // AWS cannot change a key pair's key: a new key replaces it. A fixed name with delete-before-replace
  // keeps that name, so instances (whose key name is immutable) name the same key pair and stay up,
  // where an auto-named replacement would replace every instance of the pool.
  const resource = new ec2.KeyPair(
    `${spec.pool}-key`,
    { keyName, publicKey, tags: awsTags(spec, {}, "key") },
    { ...ctx.resourceOpts, deleteBeforeReplace: true },
  );
  return { resource, keyName };
}
