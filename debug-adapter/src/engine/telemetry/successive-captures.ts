// successive-captures.ts - a ReadFunction (decoder.ts) over copies of the block taken one after the other,
// for sources that cannot read synchronously (QMP). The decoder's seqlock check needs each read to happen
// after the previous one; here the k-th read is answered from the k-th capture, and captures were taken in
// that order, so the guarantee holds. A read past the last capture throws (the decoder reports it), so use
// this with maxRetries: 0, where the decoder makes exactly one header read and three whole-block reads.

import { ReadFunction } from "./decoder";

export interface Capture {
  /** Offset of `bytes` from the start of the block. */
  offset: number;
  bytes: Buffer;
}

export class CapturesExhaustedError extends Error {}

export function successiveCaptures(captures: Capture[]): ReadFunction {
  let next = 0;
  return (offset, length) => {
    const capture = captures[next++];
    if (capture === undefined) {
      throw new CapturesExhaustedError(
        `read ${next} needs a capture taken after the ${captures.length} taken`,
      );
    }
    const start = offset - capture.offset;
    if (start < 0) throw new RangeError(`capture ${next - 1} starts after offset ${offset}`);
    // Shorter than asked when the capture ends early: the decoder reports the block as truncated.
    return Buffer.from(capture.bytes.subarray(start, start + length));
  };
}
