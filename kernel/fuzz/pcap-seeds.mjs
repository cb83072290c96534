#!/usr/bin/env node
// pcap-seeds.mjs - turns a capture of real traffic into seed inputs for the fuzz targets (kernel/fuzz/corpus/).
// The capture comes from QEMU's `-object filter-dump,id=dump0,netdev=net0,file=capture.pcap` on the
// http-server sample while curl and autocannon talk to it (kernel/README.md, "Fuzzing", says how).
//   fuzz_http:       each distinct request head the clients sent
//   fuzz_frame:      "\x00" + each distinct kind of frame the guest received (no fix-ups needed: real frames)
//   fuzz_connection: one script per TCP connection (fuzz_connection.c's steps): the client's segments with
//                    sequence numbers relative to each side, plus the accept, reads, writes and close the
//                    server did, inferred from what it sent.
// usage: node kernel/fuzz/pcap-seeds.mjs capture.pcap [guest MAC, default 52:54:00:12:34:56]
// Uses only Node's standard library.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const corpusFolder = join(dirname(fileURLToPath(import.meta.url)), "corpus");
const [capturePath, guestMacText = "52:54:00:12:34:56"] = process.argv.slice(2);
if (!capturePath) {
  console.error("usage: node kernel/fuzz/pcap-seeds.mjs capture.pcap [guest MAC]");
  process.exit(2);
}
const guestMac = Buffer.from(guestMacText.split(":").map((part) => parseInt(part, 16)));

// Steps of fuzz_connection.c (enum step).
const SEGMENT = 0, TIME = 2, ACCEPT = 3, READ = 4, WRITE = 5, CLOSE = 6; // prettier-ignore
const MAX_FRAME_SEEDS = 48;
const MAX_CONNECTION_SEEDS = 12;
const MAX_SEGMENTS_PER_SCRIPT = 40;

function readPcap(path) {
  const data = readFileSync(path);
  if (data.readUInt32LE(0) !== 0xa1b2c3d4) throw new Error(`${path}: not a little-endian pcap file`);
  const frames = [];
  for (let at = 24; at + 16 <= data.length; ) {
    const seconds = data.readUInt32LE(at), microseconds = data.readUInt32LE(at + 4); // prettier-ignore
    const length = data.readUInt32LE(at + 8);
    frames.push({ time: seconds * 1e6 + microseconds, bytes: data.subarray(at + 16, at + 16 + length) });
    at += 16 + length;
  }
  return frames;
}

/** The TCP fields of an IPv4 frame, or null. */
function parseTcp(frame) {
  if (frame.length < 54 || frame.readUInt16BE(12) !== 0x0800 || frame[23] !== 6) return null;
  const ip = frame.subarray(14);
  const headerLength = (ip[0] & 15) * 4;
  const tcp = ip.subarray(headerLength, ip.readUInt16BE(2));
  const dataOffset = (tcp[12] >> 4) * 4;
  return {
    sourcePort: tcp.readUInt16BE(0),
    destinationPort: tcp.readUInt16BE(2),
    sequence: tcp.readUInt32BE(4),
    acknowledgment: tcp.readUInt32BE(8),
    flags: tcp[13],
    window: tcp.readUInt16BE(14),
    options: tcp.subarray(20, dataOffset),
    data: tcp.subarray(dataOffset),
  };
}

function kindOf(frame) {
  const type = frame.readUInt16BE(12);
  const tcp = parseTcp(frame);
  const size = frame.length < 64 ? "small" : frame.length < 600 ? "medium" : "large";
  return tcp ? `tcp-${tcp.flags}-${tcp.options.length}-${size}` : `${type}-${frame[23]}-${size}`;
}

function writeSeed(target, bytes) {
  const folder = join(corpusFolder, target);
  mkdirSync(folder, { recursive: true });
  const name = `capture-${createHash("sha1").update(bytes).digest("hex").slice(0, 16)}`;
  writeFileSync(join(folder, name), bytes);
}

const frames = readPcap(capturePath);
const inbound = frames.filter((frame) => frame.bytes.subarray(0, 6).equals(guestMac));

// fuzz_frame: one of each kind of received frame.
const kinds = new Set();
for (const frame of inbound) {
  const kind = kindOf(frame.bytes);
  if (kinds.has(kind) || kinds.size >= MAX_FRAME_SEEDS) continue;
  kinds.add(kind);
  writeSeed("fuzz_frame", Buffer.concat([Buffer.from([0]), frame.bytes]));
}

// fuzz_connection: each connection's life as a script.
const connections = new Map(); // client port -> frames in order
for (const frame of frames) {
  const tcp = parseTcp(frame.bytes);
  if (!tcp) continue;
  const toGuest = frame.bytes.subarray(0, 6).equals(guestMac);
  const clientPort = toGuest ? tcp.sourcePort : tcp.destinationPort;
  if (!connections.has(clientPort)) {
    if (!(toGuest && tcp.flags & 0x02)) continue; // starts with the client's SYN
    connections.set(clientPort, []);
  }
  connections.get(clientPort).push({ ...tcp, toGuest, time: frame.time });
}

function segmentStep(segment, peerNext, serverNext) {
  const steps = [];
  for (let offset = 0; offset === 0 || offset < segment.data.length; offset += 255) {
    const data = segment.data.subarray(offset, offset + 255);
    const last = offset + 255 >= segment.data.length;
    const flags = last ? segment.flags : segment.flags & ~0x09; // FIN and PSH ride on the last piece
    const sequenceDelta = (segment.sequence + offset - peerNext) | 0;
    const ackDelta = Math.max(-128, Math.min(127, (segment.acknowledgment - serverNext) | 0));
    const header = Buffer.alloc(10);
    header[0] = SEGMENT;
    header[1] = 0; // peer port 40000, the plain listener
    header[2] = flags;
    header.writeInt16LE(Math.max(-32768, Math.min(32767, sequenceDelta)), 3);
    header.writeInt8(ackDelta, 5);
    header.writeUInt16LE(segment.window, 6);
    header[8] = segment.options.length;
    header[9] = data.length;
    steps.push(header, segment.options, data);
  }
  return steps;
}

// fuzz_http: each distinct request head the clients sent.
const heads = new Set();
for (const segments of connections.values())
  for (const segment of segments) {
    const text = segment.toGuest ? segment.data.toString("latin1") : "";
    if (!text || heads.has(text) || heads.size >= MAX_FRAME_SEEDS) continue;
    heads.add(text);
    writeSeed("fuzz_http", segment.data);
  }

let scripts = 0;
for (const segments of connections.values()) {
  if (scripts >= MAX_CONNECTION_SEEDS) break;
  const steps = [];
  let peerNext = 0, serverNext = 0, accepted = false, closed = false, lastTime = segments[0].time, count = 0; // prettier-ignore
  for (let index = 0; index < segments.length && count < MAX_SEGMENTS_PER_SCRIPT; index++) {
    const segment = segments[index];
    const milliseconds = Math.min(65535, Math.floor((segment.time - lastTime) / 1000));
    lastTime = segment.time;
    if (milliseconds > 0) steps.push(Buffer.from([TIME, milliseconds & 255, milliseconds >> 8]));
    const length = segment.data.length + (segment.flags & 0x02 ? 1 : 0) + (segment.flags & 0x01 ? 1 : 0);
    if (!segment.toGuest) {
      serverNext = (segment.sequence + length) >>> 0;
      continue;
    }
    if (segment.flags & 0x02) peerNext = segment.sequence;
    steps.push(...segmentStep(segment, peerNext, serverNext));
    peerNext = (segment.sequence + length) >>> 0;
    count++;
    if (!accepted && !(segment.flags & 0x02) && segment.flags & 0x10) {
      steps.push(Buffer.from([ACCEPT, 0]));
      accepted = true;
    }
    if (segment.data.length) steps.push(Buffer.from([READ, 0, 0x00, 0x10]));
    // What the server sent before the client's next segment: its response, then maybe its FIN.
    let written = 0, fin = false; // prettier-ignore
    for (let next = index + 1; next < segments.length && !segments[next].toGuest; next++) {
      written += segments[next].data.length;
      fin ||= (segments[next].flags & 0x01) !== 0;
    }
    if (accepted && written) steps.push(Buffer.from([WRITE, 0, written & 255, (written >> 8) & 255]));
    if (accepted && fin && !closed) {
      steps.push(Buffer.from([CLOSE, 0]));
      closed = true;
    }
  }
  writeSeed("fuzz_connection", Buffer.concat(steps));
  scripts++;
}
console.log(
  `pcap-seeds: ${frames.length} frames (${inbound.length} to the guest) -> ${kinds.size} fuzz_frame seeds, ` +
    `${scripts} fuzz_connection seeds, ${heads.size} fuzz_http seeds in ${corpusFolder}`,
);
