import type { ChildProcess } from 'node:child_process';

/**
 * Sends SIGTERM and resolves once the process has exited (at once when it already has). With
 * `killAfterMs`, a SIGKILL follows when it is still running by then; that timer also keeps the
 * event loop alive for an unref'd child, so a caller awaiting this cannot end mid-await.
 */
export function stopProcess(child: ChildProcess, killAfterMs?: number): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const killer =
      killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
