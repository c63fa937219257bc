import { parentPort } from 'node:worker_threads';
import { ensureAstGrepLanguages } from './astGrepLanguages.js';
import { extractFacts } from './extractFacts.js';
import { ExtractionRequestSchema, type ThreadMessage } from './extractionMessages.js';

// Entry of dist/extractionThread.js: one thread of the ExtractionPool (extractionPool.ts). It turns
// one file's text into its facts at a time, synchronously: the thread itself is what runs beside
// the main thread, so the libuv detour of parseAsync would only add a hop.

const port = parentPort;
if (!port) throw new Error('extractionThread.js runs as a worker thread of the extraction pool, not on its own');

// Each thread loads its own copy of the native binding, whose grammar table starts empty.
ensureAstGrepLanguages();

port.on('message', (raw: unknown) => {
  const request = ExtractionRequestSchema.safeParse(raw);
  let reply: ThreadMessage;
  if (!request.success) {
    // Without a valid request there is no file to name; the pool attributes it to the job it sent.
    reply = { kind: 'done', id: -1, facts: [], warnings: [`extraction thread: malformed request (${request.error.issues[0]?.message ?? 'invalid'})`] };
  } else {
    const { id, file, text, partial, tail } = request.data;
    reply = { kind: 'done', id, ...extractFacts(file, text, partial, tail) };
  }
  port.postMessage(reply);
});

port.postMessage({ kind: 'ready' } satisfies ThreadMessage);
