// code-server-location.d.mts - types of code-server-location.mjs for the TypeScript end-to-end harness.
export declare const CODE_SERVER_VERSION: string;
export declare function codeServerDirectory(): string;
export declare function codeServerExecutable(directory?: string): string;
export declare function installedMarker(directory?: string): string;
