// code-server-location.d.mts - types of code-server-location.mjs for the TypeScript end-to-end harness.
export declare const CODE_SERVER_VERSION: string;
export declare function codeServerDirectory(): string;
export declare function codeServerExecutable(directory?: string): string;
export declare function installedMarker(directory?: string): string;
/** code-server's serving flags: 127.0.0.1:port only, no auth, no telemetry, no update check, no trust prompt. */
export function serveArguments(port: number): string[];
