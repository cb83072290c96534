// logpoint.ts - DAP logpoints: a message with `{expression}` parts, printed each time the breakpoint is hit
// instead of stopping. The expressions are evaluated by GDB in the vCPU's innermost frame; `{{` and `}}`
// stand for literal braces. Used by ../stop-handling.ts, which resumes the VM afterwards.

export type MessagePart = { kind: "text"; text: string } | { kind: "expression"; expression: string };

export function parseLogMessage(message: string): MessagePart[] {
  const parts: MessagePart[] = [];
  let text = "";
  for (let index = 0; index < message.length; index++) {
    const character = message[index];
    if ((character === "{" || character === "}") && message[index + 1] === character) {
      text += character;
      index++;
    } else if (character === "{") {
      const end = message.indexOf("}", index + 1);
      if (end < 0) {
        text += message.slice(index);
        break;
      }
      if (text !== "") parts.push({ kind: "text", text });
      text = "";
      parts.push({ kind: "expression", expression: message.slice(index + 1, end).trim() });
      index = end;
    } else {
      text += character;
    }
  }
  if (text !== "") parts.push({ kind: "text", text });
  return parts;
}

/** Renders the parts; `evaluate` returns a value or throws (shown as `<error: ...>`). */
export async function renderLogMessage(
  parts: MessagePart[],
  evaluate: (expression: string) => Promise<string>,
): Promise<string> {
  let result = "";
  for (const part of parts) {
    if (part.kind === "text") {
      result += part.text;
    } else {
      result += await evaluate(part.expression).catch(
        (error: unknown) => `<error: ${(error as Error).message}>`,
      );
    }
  }
  return result;
}
