// Docker's multiplexed log stream (containers without a TTY): frames of an 8-byte header
// [stream, 0, 0, 0, size (uint32 big endian)] followed by size bytes. Returns stdout and stderr
// combined in arrival order.

export function demuxDockerLogs(buf: Buffer): Buffer {
  const parts: Buffer[] = [];
  let i = 0;
  while (i + 8 <= buf.length) {
    const size = buf.readUInt32BE(i + 4);
    parts.push(buf.subarray(i + 8, i + 8 + size));
    i += 8 + size;
  }
  return Buffer.concat(parts);
}
