// `dstack catalog update`: ask each cloud's public price API, briefly. The bundled catalog stays in use
// whatever happens; this reports which APIs answered and the date of the prices in use. The network is
// injected (`fetchText`), so tests exercise the offline path without touching the network.
import type { CloudBackend } from "./data-format.js";
import type { PriceSource } from "./price-sources.js";

export type FetchText = (url: string, signal: AbortSignal) => Promise<{ status: number }>;

export interface SourceResult {
  backend: CloudBackend;
  url: string;
  reachable: boolean;
  /** The HTTP status, or why no answer came. */
  detail: string;
}

export interface UpdateReport {
  /** Prices in use after the update (the bundled date while no refresh is applied). */
  prices_taken: string;
  updated: boolean;
  sources: SourceResult[];
}

export const defaultFetch: FetchText = async (url, signal) => {
  const response = await fetch(url, { signal, method: "GET", headers: { accept: "application/json" } });
  // Only reachability is needed; do not download a price list we would not use.
  await response.body?.cancel();
  return { status: response.status };
};

export async function probeSources(
  sources: readonly PriceSource[],
  options: { timeoutMs: number; fetchText?: FetchText; signal?: AbortSignal },
): Promise<SourceResult[]> {
  const fetchText = options.fetchText ?? defaultFetch;
  return Promise.all(
    sources.map(async (source): Promise<SourceResult> => {
      const timeout = AbortSignal.timeout(options.timeoutMs);
      const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
      try {
        const { status } = await fetchText(source.url, signal);
        return { ...source, reachable: status < 500, detail: `HTTP ${status}` };
      } catch (error) {
        return { ...source, reachable: false, detail: reason(error, options.timeoutMs) };
      }
    }),
  );
}

function reason(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError"))
    return `no answer within ${timeoutMs / 1000}s`;
  const cause =
    error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
