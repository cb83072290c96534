// errors.ts - the base class of every error the engine throws on purpose.
// Each area declares its own subclasses next to the code that throws them (qemu/errors.ts,
// profiles/profile-error.ts, build/build-errors.ts); callers can test `instanceof ToroError`
// to tell an expected failure (with a message meant for the user) from a bug.

export class ToroError extends Error {
  /** A command or next step for the user, e.g. the apt-get line that installs a missing tool. */
  readonly hint: string | undefined;

  constructor(message: string, hint?: string) {
    super(hint === undefined ? message : `${message}\n${hint}`);
    this.name = new.target.name;
    this.hint = hint;
  }
}
