// profile-error.ts - the error thrown when a profile file or a launch override is wrong; it lists every
// problem found, each saying what is wrong and what was expected. Thrown by validate-profile.ts and
// validate-overrides.ts.

import { ToroError } from "../errors";

export class ProfileError extends ToroError {
  readonly problems: string[];

  constructor(source: string, problems: string[]) {
    super(`${source}: ${problems.length === 1 ? problems[0] : "\n  - " + problems.join("\n  - ")}`);
    this.problems = problems;
  }
}
