// rejection.ts - awaits a promise that must reject with a given error class and returns the typed error,
// so tests can inspect its fields (message, miMessage, stack). Used by the GDB layer's test files.

export async function rejectionOf<ErrorType extends Error>(
  promise: Promise<unknown>,
  errorClass: abstract new (...parameters: never[]) => ErrorType,
): Promise<ErrorType> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof errorClass) {
      return error;
    }
    throw new Error(`expected a ${errorClass.name}, got: ${String(error)}`, { cause: error });
  }
  throw new Error(`expected a ${errorClass.name}, but the promise resolved`);
}
