// SPDX-License-Identifier: Apache-2.0
// Runs the real relay binary (build/chartlock-relay) on a free loopback port.
import { spawn } from 'node:child_process';

// Resolves once the relay logs that it listens; `url` is then set.
export function startRelay({ binary, db, listen = '127.0.0.1:0', args = [], env = {} }) {
  return new Promise((resolve, reject) => {
    const proc = spawn(binary, ['--listen', listen, '--db', db, ...args], {
      env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'],
    });
    const relay = {
      proc, db, url: null, logs: [], raw: '',
      exited: new Promise((done) => proc.on('exit', (code, signal) => done({ code, signal }))),
      stop() { proc.kill('SIGTERM'); return relay.exited; },
      kill() { proc.kill('SIGKILL'); return relay.exited; },
    };
    let pending = '';
    proc.stderr.on('data', (chunk) => {
      const text = chunk.toString();
      relay.raw += text;
      pending += text;
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        let entry;
        try { entry = JSON.parse(line); } catch { continue; }
        relay.logs.push(entry);
        if (entry.event === 'listening' && !relay.url) {
          relay.url = `http://127.0.0.1:${entry.port}`;
          resolve(relay);
        }
      }
    });
    proc.on('error', reject);
    relay.exited.then(({ code, signal }) => {
      if (!relay.url) reject(new Error(`relay exited (${code ?? signal}) before listening:\n${relay.raw}`));
    });
  });
}
