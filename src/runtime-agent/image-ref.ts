// Splitting an image reference for POST /images/create, and the X-Registry-Auth header for a pull.

export function splitImageRef(ref: string): { fromImage: string; tag: string; registry: string } {
  let fromImage = ref;
  let tag = "latest";
  const at = ref.indexOf("@");
  if (at >= 0) [fromImage, tag] = [ref.slice(0, at), ref.slice(at + 1)];
  else {
    const colon = ref.lastIndexOf(":");
    if (colon > ref.lastIndexOf("/")) [fromImage, tag] = [ref.slice(0, colon), ref.slice(colon + 1)];
  }
  const first = fromImage.split("/")[0] ?? "";
  const hasRegistry = fromImage.includes("/") && (/[.:]/.test(first) || first === "localhost");
  return { fromImage, tag, registry: hasRegistry ? first : "https://index.docker.io/v1/" };
}

export function registryAuthHeader(ref: string, auth: { username: string; password: string }): string {
  const json = JSON.stringify({ ...auth, serveraddress: splitImageRef(ref).registry });
  // Padded base64url, as the docker CLI sends it: the daemon's decoder (Go's URLEncoding) wants the padding.
  return Buffer.from(json).toString("base64").replace(/\+/g, "-").replace(/\//g, "_");
}
