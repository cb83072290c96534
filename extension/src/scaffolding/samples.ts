// samples.ts - the samples a new project can start from: every folder of <checkout>/samples with .c files,
// titled from its README. Pure apart from reading the folder. Used by new-project-command.ts; tested in
// test/unit/scaffolding.test.ts.

import * as fs from "node:fs";
import * as path from "node:path";

export interface SampleInfo {
  name: string;
  directory: string;
  /** The README's first paragraph, cut after its first sentence; "" without a README. */
  summary: string;
}

export function listSamples(samplesDirectory: string): SampleInfo[] {
  const samples: SampleInfo[] = [];
  for (const entry of fs.readdirSync(samplesDirectory, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const directory = path.join(samplesDirectory, entry.name);
    const hasSources = fs.readdirSync(directory).some((name) => name.endsWith(".c"));
    if (!hasSources) continue;
    samples.push({ name: entry.name, directory, summary: readmeSummary(path.join(directory, "README.md")) });
  }
  return samples.sort((left, right) => left.name.localeCompare(right.name));
}

export function readmeSummary(readmePath: string): string {
  let text: string;
  try {
    text = fs.readFileSync(readmePath, "utf8");
  } catch {
    return "";
  }
  return summarize(text);
}

/** The first paragraph that is not a heading, on one line, cut after its first sentence (at most 200 chars). */
export function summarize(markdown: string): string {
  const paragraphs = markdown.split(/\r?\n\s*\r?\n/);
  const first = paragraphs
    .map((paragraph) => paragraph.trim())
    .find((paragraph) => paragraph !== "" && !paragraph.startsWith("#"));
  if (first === undefined) return "";
  const oneLine = first.replace(/\s+/g, " ");
  const sentenceEnd = oneLine.search(/[.:](\s|$)/);
  const sentence = sentenceEnd === -1 ? oneLine : oneLine.slice(0, sentenceEnd + 1);
  return sentence.length > 200 ? `${sentence.slice(0, 199)}…` : sentence;
}
