// A throwaway code-server: fresh profile in a temp dir, the server in its own process group on a free
// 127.0.0.1 port, /healthz awaited, the whole group killed at the end (file watchers and extension hosts
// outlive the main pid otherwise).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { log } from './log.mjs';

// No trust prompt, welcome page, telemetry, update checks, tips or restored windows in the test profile.
export const BASE_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'window.restoreWindows': 'none',
  'files.hotExit': 'off',
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'notebook.confirmDeleteRunningCell': false,
  'workbench.colorTheme': 'Default Light Modern',
};

/** Creates the temp profile: home, user data (with settings.json), extensions dir, logs and a workspace. */
export function makeProfile() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vsum-host-'));
  const p = {
    root,
    home: path.join(root, 'home'),
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
    workspace: path.join(root, 'workspace'),
    logs: path.join(root, 'logs'),
  };
  for (const d of [p.home, path.join(p.userData, 'User'), p.extensions, p.workspace, p.logs])
    fs.mkdirSync(d, { recursive: true });
  p.settingsFile = path.join(p.userData, 'User', 'settings.json');
  writeSettings(p, {});
  return p;
}

export function writeSettings(profile, extra) {
  fs.writeFileSync(profile.settingsFile, JSON.stringify({ ...BASE_SETTINGS, ...extra }, null, 2));
}

/** HOME and XDG dirs inside the profile, so nothing lands in the real home. */
export function profileEnv(profile, extra = {}) {
  return {
    ...process.env,
    HOME: profile.home,
    XDG_CONFIG_HOME: path.join(profile.home, '.config'),
    XDG_DATA_HOME: path.join(profile.home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(profile.home, '.cache'),
    ...extra,
  };
}

const profileArgs = (p) => ['--user-data-dir', p.userData, '--extensions-dir', p.extensions];

export function installExtension(bin, profile, vsix) {
  const r = spawnSync(bin, [...profileArgs(profile), '--install-extension', vsix], {
    env: profileEnv(profile),
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0)
    throw new Error(`code-server --install-extension ${vsix} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  const installed = fs.readdirSync(profile.extensions).filter((d) => !d.startsWith('.') && d !== 'extensions.json');
  return installed.map((d) => path.join(profile.extensions, d));
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Starts code-server in its own process group; resolves once /healthz answers. */
export async function startServer(bin, profile, { env = {} } = {}) {
  const port = await freePort();
  const logFile = path.join(profile.logs, 'server.log');
  const fd = fs.openSync(logFile, 'w');
  const args = [
    ...profileArgs(profile),
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--log',
    'info',
  ];
  // detached = setsid: the server leads a new process group that we kill as a whole.
  const child = spawn(bin, args, { detached: true, stdio: ['ignore', fd, fd], env: profileEnv(profile, env) });
  fs.closeSync(fd);
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));
  const server = {
    port,
    pid: child.pid,
    origin: `http://127.0.0.1:${port}`,
    authority: `127.0.0.1:${port}`, // code-server's remote authority is the Host header
    logFile,
    exited: () => exited,
    stop: () => stopGroup(child.pid, () => exited !== null),
  };
  const onExit = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  };
  process.once('exit', onExit);
  for (;;) {
    if (exited) throw new Error(`code-server exited during start-up (${JSON.stringify(exited)})`);
    const ok = await fetch(`${server.origin}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return server;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stopGroup(pid, exited) {
  const alive = () => {
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + 5000;
  while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (alive()) {
    log('code-server group did not stop on SIGTERM; sending SIGKILL');
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  void exited;
}

export function printServerLog(server) {
  if (!server || !fs.existsSync(server.logFile)) return;
  const text = fs.readFileSync(server.logFile, 'utf8');
  console.error(
    `----- code-server log (${server.logFile}) -----\n${text.split('\n').slice(-200).join('\n')}\n----- end of server log -----`,
  );
}
