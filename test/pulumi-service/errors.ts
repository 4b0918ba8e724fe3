// The service's error body: `{"code": <HTTP status>, "message": "<Status text>: <detail>"}`. The Pulumi CLI
// decodes every 4xx/5xx into that shape and prints `[<code>] <message>`; the Automation API recognises a
// concurrent update by exactly `[409] Conflict: Another update is currently in progress.` in stderr, so the
// messages below keep the service's "<Status text>: " prefix.

export class ServiceError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  413: "Payload Too Large",
  500: "Internal Server Error",
};

function refusal(status: number, detail: string): ServiceError {
  return new ServiceError(status, `${STATUS_TEXT[status] ?? "Error"}: ${detail}`);
}

export const badRequest = (detail: string): ServiceError => refusal(400, detail);
export const unauthorized = (): ServiceError => refusal(401, "No credentials provided or are invalid.");
export const forbidden = (detail: string): ServiceError => refusal(403, detail);
export const notFound = (detail: string): ServiceError => refusal(404, detail);
export const conflict = (detail: string): ServiceError => refusal(409, detail);

/** The one text the Automation API maps to ConcurrentUpdateError (after the CLI's `[409] ` prefix). */
export const ANOTHER_UPDATE_IN_PROGRESS = "Another update is currently in progress.";
export const updateInProgress = (): ServiceError => conflict(ANOTHER_UPDATE_IN_PROGRESS);

/** The body the service sends with an error status. */
export function errorBody(error: ServiceError): { code: number; message: string } {
  return { code: error.status, message: error.message };
}
