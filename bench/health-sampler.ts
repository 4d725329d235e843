import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

/**
 * Samples GET /health every `intervalMs` on one kept-alive connection of its own, in a worker thread
 * so that the load generator's event loop does not add to the latencies it measures. Messages:
 * 'start' begins a phase, 'stop' ends it and posts its latencies (ms) and failures.
 */
const { port, intervalMs } = workerData as { port: number; intervalMs: number };
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
let running = false;
let latencies: number[] = [];
let failures = 0;

function once(): Promise<void> {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const req = request({ host: '127.0.0.1', port, path: '/health', agent, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode === 200) latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
        else failures++;
        resolve();
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => {
      failures++;
      resolve();
    });
    req.end();
  });
}

async function loop(): Promise<void> {
  while (running) {
    const next = Date.now() + intervalMs;
    await once();
    const wait = next - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
}

let current: Promise<void> = Promise.resolve();
async function onMessage(msg: string): Promise<void> {
  if (msg === 'start') {
    latencies = [];
    failures = 0;
    running = true;
    current = loop();
  } else if (msg === 'stop') {
    running = false;
    await current;
    parentPort!.postMessage({ latencies, failures });
  } else if (msg === 'exit') {
    agent.destroy();
    parentPort!.close();
  }
}
parentPort!.on('message', (msg: string) => void onMessage(msg));
