// The short-lived registry credentials the clouds hand out to a caller with rights (an ECR
// authorization token, a Google OAuth access token). The fake's are deterministic per account and
// region, look like the real ones in shape only, and grant nothing: its data plane (data-plane.ts) is a
// registry without auth. What matters to the tests is that the CLI asks through the provider and passes
// what it gets on, never writing it anywhere.
import { hexOf } from "./hash.js";

/** An opaque token that names what it stands for, so a test can search for it in files. */
export function fakeRegistryToken(scope: string): string {
  return `fake-registry-token-${hexOf(`registry-token:${scope}`, 32)}`;
}

/** When the fake's tokens expire: 12 hours after a fixed time, like ECR's 12-hour tokens. */
export const TOKEN_EXPIRES_AT = "2030-01-01T12:00:00Z";
