import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Kills a worker and everything it started. On POSIX the worker is forked `detached`, so it leads
 * its own process group and one signal to the negative pid reaches the whole tree. On Windows
 * `taskkill /T` walks the tree.
 */
export function killProcessTree(child: ChildProcess): void {
  const pid = child.pid;
  if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  if (process.platform === 'win32') {
    const killer = spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
    killer.on('error', () => child.kill());
    return;
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Group already gone (or never formed): fall back to the process itself.
    try {
      child.kill('SIGKILL');
    } catch {
      // Already exited.
    }
  }
}
