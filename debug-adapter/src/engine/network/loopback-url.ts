// loopback-url.ts - checks that a URL to put load on points at this machine's loopback interface only
// (127.0.0.0/8, localhost, ::1): the stress tool must never be aimed at another machine. Pure; used by
// `toro stress`, the benchmark and the extension's stress command before any connection is made.

import { ToroError } from "../errors";

export class NotLoopbackUrlError extends ToroError {}

const EXPECTED =
  "expected an http:// URL on this machine's loopback interface: 127.0.0.0/8, localhost or [::1], " +
  "e.g. http://127.0.0.1:8080/ (the URL `toro run --network` prints)";

/** True for the host names a WHATWG URL gives for loopback addresses. */
export function isLoopbackHost(hostname: string): boolean {
  if (hostname === "localhost" || hostname === "[::1]") return true;
  // The URL parser has already normalised IPv4 forms (127.1, 0x7f.0.0.1) to dotted decimal.
  const octets = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(hostname);
  return (
    octets !== null && Number(octets[1]) === 127 && octets.slice(2).every((octet) => Number(octet) <= 255)
  );
}

/** The parsed URL, or NotLoopbackUrlError saying what was wrong and what was expected. */
export function checkLoopbackUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new NotLoopbackUrlError(`not a URL: ${JSON.stringify(text)}; ${EXPECTED}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new NotLoopbackUrlError(
      `unsupported scheme "${url.protocol}" in ${JSON.stringify(text)}; ${EXPECTED}`,
    );
  }
  if (!isLoopbackHost(url.hostname)) {
    throw new NotLoopbackUrlError(
      `refusing to put load on "${url.hostname}", which is not a loopback address; ${EXPECTED}`,
    );
  }
  return url;
}
