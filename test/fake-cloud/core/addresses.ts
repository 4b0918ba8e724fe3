// Addresses the fake hands out: public ones from TEST-NET-3 (203.0.113.0/24, RFC 5737), private ones
// inside the subnet a resource sits in, both from the store's creation counter, so no two resources
// created from one fake cloud directory share an address until the counter wraps (254 public ones).

export function publicIp(counter: number): string {
  return `203.0.113.${(counter % 254) + 1}`;
}

function toInt(ip: string): number {
  return ip.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

function toIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

/**
 * The host at `offset` inside `cidr`, skipping the first `reserved` addresses (AWS and Azure keep four,
 * GCP two) and never using the broadcast address; wraps around inside the block.
 */
export function hostInCidr(cidr: string, offset: number, reserved = 4): string {
  const [base = "10.0.0.0", bitsText = "24"] = cidr.split("/");
  const size = 2 ** (32 - Number(bitsText));
  const usable = Math.max(size - reserved - 1, 1);
  const start = toInt(base) - (toInt(base) % size);
  return toIp(start + reserved + (offset % usable));
}

export function isCidr(value: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  return m !== null && m.slice(1, 5).every((o) => Number(o) <= 255) && Number(m[5]) <= 32;
}
