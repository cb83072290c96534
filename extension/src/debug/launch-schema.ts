// launch-schema.ts - the `toro` debugger's launch.json schema for package.json, generated from the one
// declaration of the adapter's arguments (debug-adapter/src/protocol/launch-arguments.ts): each property
// gains a markdownDescription (VS Code's hover renders the `code` spans). scripts/sync-manifest.mjs writes
// the result into package.json; test/unit/manifest.test.ts fails when package.json differs from it.

import {
  TORO_ATTACH_SCHEMA,
  TORO_LAUNCH_SCHEMA,
  type ArgumentsSchema,
} from "@toro-studio/debug-adapter/protocol";
import { initialLaunchConfiguration } from "./launch-templates";

type ManifestProperty = Record<string, unknown> & { description: string; markdownDescription: string };

export interface ManifestSchema {
  required: string[];
  properties: Record<string, ManifestProperty>;
}

export function manifestSchema(schema: ArgumentsSchema): ManifestSchema {
  const properties: Record<string, ManifestProperty> = {};
  for (const [name, property] of Object.entries(schema.properties)) {
    properties[name] = {
      ...structuredClone(property),
      markdownDescription: property.description,
    } as ManifestProperty;
  }
  return { required: [...schema.required], properties };
}

/** package.json contributes.debuggers[0].configurationAttributes. */
export function configurationAttributes(): { launch: ManifestSchema; attach: ManifestSchema } {
  return { launch: manifestSchema(TORO_LAUNCH_SCHEMA), attach: manifestSchema(TORO_ATTACH_SCHEMA) };
}

/** The generated parts of the `toro` debugger contribution. */
export function generatedDebuggerFields(): Record<string, unknown> {
  return {
    configurationAttributes: configurationAttributes(),
    initialConfigurations: [initialLaunchConfiguration()],
  };
}
