// activation-clock.ts - the time the extension's bundle started running, for the activation time that
// extension.ts logs (and the benchmark reads). Imported first by extension.ts so this runs before the rest.

export const bundleStartedAt = performance.now();
