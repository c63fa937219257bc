import { loadCard } from '../engine/card/loadCard.js';
import { prepareRun, runPipeline } from '../engine/pipeline.js';
import { serveWorker } from './workerRun.js';
import { processPort } from './workerPort.js';

// Entry of dist/worker.js: forked by the extension host once per verification.
const port = processPort();
void serveWorker(port, {
  runPipeline,
  prepareRun,
  loadCardLines: async (cardPath) => {
    const doc = await loadCard(cardPath);
    return { format: doc.format, lines: doc.lines };
  },
}).then((code) => {
  // Exit explicitly: engine timers or native handles must not keep a finished worker alive.
  process.exit(code);
});
