// validate-arguments.ts - checks a `launch` or `attach` arguments object against its schema in
// launch-arguments.ts and returns every problem as a sentence saying what is wrong and what was expected.
// Pure and self-contained (the extension may run it before starting a session); the adapter runs it first,
// then the engine checks what needs the file system (folders, profiles, executables).

import {
  CLIENT_CONFIGURATION_FIELDS,
  NO_DEBUG_FIELD,
  TORO_ATTACH_SCHEMA,
  TORO_LAUNCH_SCHEMA,
  type ArgumentSchema,
  type ArgumentsSchema,
  type ToroAttachArguments,
  type ToroLaunchArguments,
} from "./launch-arguments";

export type ValidationResult<Arguments> =
  { valid: true; arguments: Arguments } | { valid: false; problems: string[] };

/** How a value reads in a message: strings quoted, other kinds named. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}

function rangeText(schema: ArgumentSchema): string {
  const { minimum, maximum } = schema;
  if (minimum !== undefined && maximum !== undefined) return ` from ${minimum} to ${maximum}`;
  if (minimum !== undefined) return ` of at least ${minimum}`;
  if (maximum !== undefined) return ` of at most ${maximum}`;
  return "";
}

/** The problem with one field's value, or undefined when it fits its schema. */
export function checkValue(field: string, value: unknown, schema: ArgumentSchema): string | undefined {
  const got = `got ${describeValue(value)}`;
  switch (schema.type) {
    case "boolean":
      return typeof value === "boolean" ? undefined : `"${field}" must be true or false, ${got}`;
    case "integer":
    case "number": {
      const kind = schema.type === "integer" ? "an integer" : "a number";
      const isNumber = typeof value === "number" && Number.isFinite(value);
      const fits =
        isNumber &&
        (schema.type === "number" || Number.isInteger(value)) &&
        (schema.minimum === undefined || value >= schema.minimum) &&
        (schema.maximum === undefined || value <= schema.maximum);
      return fits ? undefined : `"${field}" must be ${kind}${rangeText(schema)}, ${got}`;
    }
    case "string": {
      if (typeof value !== "string") return `"${field}" must be a string, ${got}`;
      if (schema.enum !== undefined && !schema.enum.includes(value)) {
        return `"${field}" must be one of ${schema.enum.map((choice) => `"${choice}"`).join(", ")}, ${got}`;
      }
      if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value)) {
        return `"${field}" must be ${schema.patternErrorMessage ?? `text matching ${schema.pattern}`}, ${got}`;
      }
      if (schema.minLength !== undefined && value.trim().length < schema.minLength) {
        return `"${field}" must not be empty (leave it out to use the default)`;
      }
      return undefined;
    }
    case "array": {
      if (!Array.isArray(value)) return `"${field}" must be an array of strings, ${got}`;
      const itemSchema: ArgumentSchema = { type: "string", description: "" };
      for (const [index, item] of value.entries()) {
        const problem = checkValue(`${field}[${index}]`, item, itemSchema);
        if (problem !== undefined) return problem;
      }
      return undefined;
    }
  }
}

function validate<Arguments>(
  raw: unknown,
  schema: ArgumentsSchema,
  request: string,
): ValidationResult<Arguments> {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return {
      valid: false,
      problems: [`the ${request} arguments must be an object, got ${describeValue(raw)}`],
    };
  }
  const fields = raw as Record<string, unknown>;
  const known = Object.keys(schema.properties);
  const problems: string[] = [];
  const result: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(fields)) {
    if (field.startsWith("__") || CLIENT_CONFIGURATION_FIELDS.includes(field)) continue;
    // Own fields only: "toString" or "constructor" must not find Object.prototype's members.
    const property = Object.hasOwn(schema.properties, field) ? schema.properties[field] : undefined;
    if (property === undefined) {
      problems.push(
        // JSON quoting keeps a name holding a line break on one line.
        `unknown ${request} field ${JSON.stringify(field)}; expected one of ${known.map((name) => `"${name}"`).join(", ")}`,
      );
      continue;
    }
    if (value === undefined || value === null) continue; // as if left out
    const problem = checkValue(field, value, property);
    if (problem === undefined) result[field] = value;
    else problems.push(problem);
  }
  for (const field of schema.required) {
    if (fields[field] === undefined || fields[field] === null) {
      problems.push(`"${field}" is required: ${schema.properties[field].description}`);
    }
  }
  return problems.length === 0 ? { valid: true, arguments: result as Arguments } : { valid: false, problems };
}

/** Launch arguments plus VS Code's `noDebug` (Run Without Debugging), which is not a schema field. */
export type LaunchValidationResult =
  { valid: true; arguments: ToroLaunchArguments; noDebug: boolean } | { valid: false; problems: string[] };

/**
 * Checks launch arguments; also that exactly one of `app` and `program` is given and that `noDebug`, when
 * present, is a boolean.
 */
export function validateLaunchArguments(raw: unknown): LaunchValidationResult {
  const result = validate<ToroLaunchArguments>(raw, TORO_LAUNCH_SCHEMA, "launch");
  const noDebug = (raw as Record<string, unknown> | null)?.[NO_DEBUG_FIELD] ?? false;
  if (typeof noDebug !== "boolean") {
    const problem = checkValue(NO_DEBUG_FIELD, noDebug, { type: "boolean", description: "" })!;
    return { valid: false, problems: [...(result.valid ? [] : result.problems), problem] };
  }
  if (!result.valid) return result;
  const { app, program } = result.arguments;
  if (app === undefined && program === undefined) {
    return {
      valid: false,
      problems: [
        'give "app" (a folder with the application\'s .c files) or "program" (a prebuilt kernel.elf)',
      ],
    };
  }
  if (app !== undefined && program !== undefined) {
    return {
      valid: false,
      problems: ['give either "app" (build it) or "program" (a prebuilt kernel.elf), not both'],
    };
  }
  return { ...result, noDebug };
}

export function validateAttachArguments(raw: unknown): ValidationResult<ToroAttachArguments> {
  return validate<ToroAttachArguments>(raw, TORO_ATTACH_SCHEMA, "attach");
}

/** "host:port" split; the schema's pattern has already checked the shape. Port 0 or > 65535 is refused. */
export function parseGdbstubAddress(text: string): { host: string; port: number } | string {
  const separator = text.lastIndexOf(":");
  const host = text.slice(0, separator);
  const port = Number(text.slice(separator + 1));
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    return `"gdbstub" must have a port from 1 to 65535, got ${describeValue(text)}`;
  }
  return { host, port };
}
