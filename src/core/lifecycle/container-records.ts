/**
 * The nixos-container backend's files on disk: under `<state>/containers/`
 * each container's Nix file and, once its create succeeded, the agent it
 * belongs to; and the bind mounts in `<conf_dir>/<container>.conf`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { confWithBinds, type BindMount } from './container-files.js';

export class ContainerRecords {
  constructor(
    private readonly stateDir: string,
    private readonly confDir: string,
  ) {}

  nixFile(cname: string): string {
    return path.join(this.stateDir, 'containers', `${cname}.nix`);
  }

  readNix(cname: string): string | null {
    return readText(this.nixFile(cname));
  }

  /** Replace the container's Nix file whole. */
  writeNix(cname: string, text: string): void {
    writeAtomic(this.nixFile(cname), text);
  }

  /** The agent the container belongs to, or null before a create succeeded. */
  owner(cname: string): string | null {
    return readText(this.ownerFile(cname))?.trim() || null;
  }

  setOwner(cname: string, agent: string): void {
    writeAtomic(this.ownerFile(cname), `${agent}\n`);
  }

  removeOwner(cname: string): void {
    fs.rmSync(this.ownerFile(cname), { force: true });
  }

  removeNix(cname: string): void {
    fs.rmSync(this.nixFile(cname), { force: true });
  }

  /** Put `binds` into the conf file `nixos-container create` wrote. */
  writeBinds(cname: string, binds: BindMount[]): void {
    const conf = path.join(this.confDir, `${cname}.conf`);
    const text = readText(conf);
    if (text === null) throw new Error(`nixos-container did not write ${conf}; is nixos_container.conf_dir right?`);
    const next = confWithBinds(text, binds);
    if (next !== text) writeAtomic(conf, next, 0o644);
  }

  private ownerFile(cname: string): string {
    return path.join(this.stateDir, 'containers', `${cname}.agent`);
  }
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Replace `file` whole or not at all. */
function writeAtomic(file: string, text: string, mode = 0o600): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, text, { mode });
  fs.renameSync(temp, file);
}
