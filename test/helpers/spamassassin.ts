import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface SpamReport {
  score: number;
  /** The rules that fired: points, name and description, as SpamAssassin reports them. */
  rules: { points: number; name: string; description: string }[];
}

/**
 * Scores a raw message with SpamAssassin's local rules only (`-L`, and no DNS at all), with a
 * preferences file of its own so the run leaves the user's home alone.
 */
export function spamassassin(raw: Buffer, prefsDir: string): Promise<SpamReport> {
  return new Promise((resolve, reject) => {
    const child = spawn('spamassassin', ['-L', '-t', '-x', '-p', join(prefsDir, 'user_prefs'), '--cf=dns_available no'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new Error('spamassassin is not installed: apt-get install spamassassin (.ci/run does).') : error),
    );
    child.on('close', () => {
      const details = /Content analysis details:\s+\((-?[\d.]+) points/.exec(stdout);
      if (!details) return reject(new Error(`no SpamAssassin report in its output: ${stderr.trim() || stdout.slice(-500)}`));
      const table = stdout.slice(stdout.indexOf('---- ----'));
      const rules = [...table.matchAll(/^\s*(-?\d+\.\d+)\s+([A-Z0-9_]+)\s+(.*(?:\n\s{28,}.*)*)/gm)].map((match) => ({
        points: Number(match[1]),
        name: match[2]!,
        description: match[3]!.replace(/\s+/g, ' ').trim(),
      }));
      resolve({ score: Number(details[1]), rules });
    });
    child.stdin.end(raw);
  });
}
