/**
 * Server-Sent Events framing (WHATWG HTML §9.2). Data is always one line of
 * JSON, so no field value can smuggle in an extra `event:` or `data:` line.
 */
export function sseEvent(name: string, data: unknown): string {
  if (!/^[a-z]+$/.test(name)) throw new Error(`bad event name ${name}`);
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** A comment line: ignored by EventSource, keeps proxies and idle timeouts from closing the stream. */
export function sseComment(text: string): string {
  return `: ${text.replace(/[\r\n]/g, ' ')}\n\n`;
}

/** How long the browser waits before reconnecting after the stream drops. */
export function sseRetry(ms: number): string {
  return `retry: ${Math.max(0, Math.floor(ms))}\n\n`;
}
