// What every GCP kind shares: the project and zone a resource lives in (its own, else the provider's),
// resource paths and self links, RFC 1035 names, and googleapi error texts.
import { hostInCidr } from "../core/addresses.js";
import type { Checker } from "../core/check-kit.js";
import { hexOf } from "../core/hash.js";
import { CloudError } from "../core/kind.js";
import { basename } from "../core/render.js";
import { str, type JsonObject } from "../core/values.js";
import type { GcpConfig } from "./config.js";

export const COMPUTE = "https://www.googleapis.com/compute/v1/";
export const NAME_RE = /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
/** GCP's limit on one metadata value. */
export const METADATA_VALUE_LIMIT = 256 * 1024;

export function projectOf(inputs: JsonObject, config: GcpConfig): string | undefined {
  return str(inputs.project) ?? config.project;
}

export function zoneOf(inputs: JsonObject, config: GcpConfig): string | undefined {
  const zone = str(inputs.zone);
  return zone === undefined ? config.zone : basename(zone);
}

export function regionOfZone(zone: string): string {
  return zone.replace(/-[a-z]$/, "");
}

/** Check failures for a resource's project and zone (neither given nor set on the provider). */
export function checkPlacement(c: Checker, config: GcpConfig, zonal: boolean): void {
  if (projectOf(c.inputs, config) === undefined)
    c.fail(
      "project",
      `project: required field is not set (set it on the resource, on the provider, or in GOOGLE_PROJECT)`,
    );
  c.type("zone", "string");
  if (zonal && zoneOf(c.inputs, config) === undefined)
    c.fail("zone", "Cannot determine zone: set in this resource, or set provider-level zone.");
}

/** Project and zone of a checked resource (check guarantees both). */
export function placed(inputs: JsonObject, config: GcpConfig): { project: string; zone: string } {
  return { project: projectOf(inputs, config) ?? "", zone: zoneOf(inputs, config) ?? "" };
}

/** Each metadata value at most 256 KiB (the failure names the key: `metadata["user-data"]`). */
export function checkMetadata(c: Checker): void {
  c.type("metadata", "object");
  const metadata = c.get("metadata");
  if (metadata === null || typeof metadata !== "object" || Array.isArray(metadata)) return;
  for (const key of Object.keys(metadata))
    c.maxBytes(`metadata.${key}`, METADATA_VALUE_LIMIT, "raw", `metadata value "${key}"`);
}

/** The private block of the default network's subnet in a region: 10.<128-191>.0.0/20. */
export function regionCidr(region: string): string {
  return `10.${128 + (parseInt(hexOf(`region:${region}`, 4), 16) % 64)}.0.0/20`;
}

export function privateIp(region: string, serial: number, index = 0): string {
  return hostInCidr(regionCidr(region), serial * 4 + index, 2);
}

/** `Error <doing>: googleapi: Error <status>: <message>, <reason>` as terraform-provider-google prints it. */
export function googleApiError(doing: string, status: number, message: string, reason: string): CloudError {
  return new CloudError(`Error ${doing}: googleapi: Error ${status}: ${message}, ${reason}`);
}

export function checkName(name: string, doing: string): void {
  if (!NAME_RE.test(name))
    throw googleApiError(
      doing,
      400,
      `Invalid value for field 'resource.name': '${name}'. Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'`,
      "invalid",
    );
}

export function networkLink(project: string, network: string): string {
  if (network.startsWith("https://")) return network;
  return network.includes("/")
    ? `${COMPUTE}${network}`
    : `${COMPUTE}projects/${project}/global/networks/${network}`;
}
