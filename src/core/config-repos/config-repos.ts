/**
 * The per-agent config repos, on disk and in git. Each agent has a proposed
 * repo at `<state>/agents/<name>/config` (a work tree the manager commits
 * to) and an applied repo at `<state>/applied/<name>` (written by the core
 * only; its work tree is what the agent runs, tag `deployed`). Commits move
 * one way: the core fetches from the proposed repo into the applied one and
 * never runs a command inside the proposed repo's work tree. Every path is
 * checked before use (real directories, never reached through a link), and
 * the commands for one agent's repos run one at a time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { KeyedQueue } from '../lifecycle/keyed-queue.js';
import { ensurePrivateDir, readFileNoFollow } from '../disk/index.js';
import { git, gitSync, GitError, isFullSha } from './git.js';
import { AGENT_JSON, CLAUDE_MD, MAX_AGENT_JSON_BYTES, MAX_CLAUDE_MD_BYTES } from './agent-files.js';

/** Largest diff the core stores for an approval. */
export const MAX_STORED_DIFF_BYTES = 16 * 1024 * 1024;

/** The files of one commit that the core reads. */
export interface ConfigFiles {
  agentJson: string | null;
  claudeMd: string | null;
}

/** A commit found, or why not. */
export type Resolved = { ok: true; sha: string } | { ok: false; error: string };

const DEPLOYED_TAG = 'refs/tags/deployed';
const PROPOSED_HEAD = 'refs/proposed/HEAD';

export class ConfigRepos {
  private readonly queue = new KeyedQueue();
  private gitChecked: Promise<string | null> | null = null;

  constructor(private readonly stateDir: string) {}

  proposedDir(name: string): string {
    return path.join(this.stateDir, 'agents', name, 'config');
  }

  appliedDir(name: string): string {
    return path.join(this.stateDir, 'applied', name);
  }

  /** Run `action` with `name`'s repos to itself. */
  exclusive<T>(name: string, action: () => Promise<T>): Promise<T> {
    return this.queue.run(name, action);
  }

  /** Null when git runs here; else why config repos are off. */
  gitProblem(): Promise<string | null> {
    this.gitChecked ??= git(['--version'], { timeoutMs: 10_000 }).then(
      () => null,
      (err: Error) => err.message,
    );
    return this.gitChecked;
  }

  /**
   * Check the directories on the way to `name`'s repos: each present one is
   * a real directory (not a link), and the proposed repo's `.git` is one too
   * (a `.git` file or link could steer the core to another repository).
   */
  checkPaths(name: string): void {
    const walk = (parts: string[]) => {
      let dir = this.stateDir;
      for (const part of parts) {
        dir = path.join(dir, part);
        let stat: fs.Stats;
        try {
          stat = fs.lstatSync(dir);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
          throw err;
        }
        if (stat.isSymbolicLink()) throw new Error(`${dir} is a symbolic link; the core reaches config repos only through real directories — remove the link`);
        if (!stat.isDirectory()) throw new Error(`${dir} is not a directory`);
      }
    };
    walk(['agents', name, 'config', '.git']);
    walk(['applied', name, '.git']);
  }

  /** The applied repo's deployed commit, or null when it has none (not created yet). */
  async deployed(name: string): Promise<string | null> {
    if (!fs.existsSync(path.join(this.appliedDir(name), '.git'))) return null;
    return this.revParse(this.appliedDir(name), `${DEPLOYED_TAG}^{commit}`);
  }

  /**
   * Create `name`'s applied repo with one commit of `files` (tagged
   * `deployed`), and its proposed repo from that commit when it has none.
   * An applied repo a crash left without its tag is made again. Returns the commit.
   */
  async seed(name: string, files: ConfigFiles, message: string): Promise<string> {
    this.checkPaths(name);
    const applied = this.appliedDir(name);
    const existing = await this.deployed(name).catch(() => null);
    if (existing) return existing;
    fs.rmSync(applied, { recursive: true, force: true });
    ensurePrivateDir(path.dirname(applied), 0o700);
    ensurePrivateDir(applied, 0o700);
    await git(['init', '--quiet', '--initial-branch=main', applied]);
    await git(['config', 'gc.auto', '0'], { repo: applied });
    if (files.agentJson !== null) fs.writeFileSync(path.join(applied, AGENT_JSON), files.agentJson);
    if (files.claudeMd !== null) fs.writeFileSync(path.join(applied, CLAUDE_MD), files.claudeMd);
    await git(['add', '--all'], { repo: applied });
    await git(['commit', '--quiet', '--allow-empty', '-m', message], { repo: applied });
    const sha = (await git(['rev-parse', 'HEAD'], { repo: applied })).trim();
    await git(['checkout', '--quiet', '--detach', sha], { repo: applied });
    await git(['update-ref', DEPLOYED_TAG, sha], { repo: applied });
    await this.ensureProposed(name);
    return sha;
  }

  /** Give `name` a proposed repo at its deployed commit when it has none (new, or removed by someone). */
  async ensureProposed(name: string): Promise<boolean> {
    this.checkPaths(name);
    const proposed = this.proposedDir(name);
    if (fs.existsSync(proposed)) return false;
    fs.mkdirSync(proposed, { recursive: true, mode: 0o750 });
    try {
      await git(['init', '--quiet', '--initial-branch=main', proposed]);
      await git(['config', 'user.name', 'hyperhive manager'], { repo: proposed });
      await git(['config', 'user.email', 'manager@hyperhive.invalid'], { repo: proposed });
      await git(['fetch', '--quiet', '--no-tags', path.join(this.appliedDir(name), '.git'), DEPLOYED_TAG], { repo: proposed });
      await git(['checkout', '--quiet', '-B', 'main', 'FETCH_HEAD'], { repo: proposed });
    } catch (err) {
      fs.rmSync(proposed, { recursive: true, force: true });
      throw err;
    }
    return true;
  }

  /** Bring every branch and HEAD of the proposed repo into the applied repo (under `refs/proposed/`). */
  async fetchProposed(name: string): Promise<void> {
    this.checkPaths(name);
    const source = path.join(this.proposedDir(name), '.git');
    if (!fs.existsSync(source)) throw new Error(`${name} has no proposed config repo at ${this.proposedDir(name)}`);
    const fetch = (refspecs: string[]) =>
      git(['-c', `safe.directory=${source}`, '-c', 'protocol.file.allow=always', 'fetch', '--quiet', '--no-tags', '--prune', '--no-recurse-submodules', '--no-write-fetch-head', source, ...refspecs], {
        repo: this.appliedDir(name),
      });
    try {
      await fetch(['+refs/heads/*:refs/proposed/heads/*', `+HEAD:${PROPOSED_HEAD}`]);
    } catch (err) {
      // A proposed repo whose HEAD names no commit (an empty branch checked out) still has its branches.
      if (!(err instanceof GitError) || !/HEAD/.test(err.stderr)) throw new Error(`cannot read ${name}'s proposed config repo: ${(err as Error).message}`);
      await fetch(['+refs/heads/*:refs/proposed/heads/*']);
    }
  }

  /** The commit `ref` (7–40 hex, checked by the caller) names in `name`'s applied repo, after a fetch. */
  async resolveCommit(name: string, ref: string): Promise<Resolved> {
    const applied = this.appliedDir(name);
    try {
      const sha = (await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref.toLowerCase()}^{commit}`], { repo: applied })).trim();
      if (isFullSha(sha)) return { ok: true, sha };
    } catch (err) {
      if (err instanceof GitError && /ambiguous/i.test(err.stderr)) return { ok: false, error: `${ref} is ambiguous in ${name}'s config repo; give more hex digits` };
    }
    return { ok: false, error: `${ref} is not a commit of ${name}'s proposed config repo (commit it there first)` };
  }

  /** True when `a` and `b` share history (one descends from the other, or both from a common commit). */
  async sharesHistory(name: string, a: string, b: string): Promise<boolean> {
    try {
      return (await git(['merge-base', a, b], { repo: this.appliedDir(name) })).trim() !== '';
    } catch (err) {
      if (err instanceof GitError && err.exitCode === 1) return false;
      throw err;
    }
  }

  /** `agent.json` and `CLAUDE.md` at `sha` (null when absent); throws a sentence for links, other kinds or oversize files. */
  async configFiles(name: string, sha: string): Promise<ConfigFiles> {
    const repo = this.appliedDir(name);
    const listing = await git(['ls-tree', '-l', '-z', sha, '--', AGENT_JSON, CLAUDE_MD], { repo });
    const out: ConfigFiles = { agentJson: null, claudeMd: null };
    for (const entry of listing.split('\0').filter(Boolean)) {
      const m = /^(\d+) (\w+) ([0-9a-f]+) +(\S+)\t(.*)$/s.exec(entry);
      if (!m) continue;
      const [, mode, type, blob, size, file] = m;
      if (type !== 'blob' || mode === '120000') throw new Error(`${file} at ${sha.slice(0, 12)} must be a regular file, not a ${mode === '120000' ? 'symbolic link' : type}`);
      const max = file === AGENT_JSON ? MAX_AGENT_JSON_BYTES : MAX_CLAUDE_MD_BYTES;
      if (Number(size) > max) throw new Error(`${file} at ${sha.slice(0, 12)} is ${size} bytes; the most the core reads is ${max}`);
      const text = await git(['cat-file', 'blob', blob!], { repo });
      if (file === AGENT_JSON) out.agentJson = text;
      else out.claudeMd = text;
    }
    return out;
  }

  /** The unified diff from `from` to `to`; rejects when it is larger than `maxBytes`. */
  async diff(name: string, from: string, to: string, maxBytes = MAX_STORED_DIFF_BYTES): Promise<string> {
    try {
      return await git(['diff', '--no-color', '--no-ext-diff', '--no-textconv', '--find-renames', from, to, '--'], { repo: this.appliedDir(name), maxBytes });
    } catch (err) {
      if (err instanceof GitError && err.tooLarge) throw new Error(`the diff is larger than ${Math.round(maxBytes / 1048576)} MiB; propose a smaller change`);
      throw err;
    }
  }

  /** Check `sha` out in the applied work tree (the files the agent runs from). */
  async checkout(name: string, sha: string): Promise<void> {
    this.checkPaths(name);
    await git(['checkout', '--quiet', '--force', '--detach', sha], { repo: this.appliedDir(name) });
  }

  /** The commit the applied work tree is on. */
  head(name: string): Promise<string | null> {
    return this.revParse(this.appliedDir(name), 'HEAD^{commit}');
  }

  /** Point the `deployed` tag at `sha`. */
  markDeployed(name: string, sha: string): Promise<string> {
    return git(['update-ref', DEPLOYED_TAG, sha], { repo: this.appliedDir(name) });
  }

  /** Tag a proposal (`proposal/<id>`), synchronously: inside the transaction that queues it. */
  tagProposalSync(name: string, id: number, sha: string): void {
    gitSync(['update-ref', `refs/tags/proposal/${id}`, sha], { repo: this.appliedDir(name) });
  }

  /** The proposed repo's HEAD commit as last fetched. */
  proposedHead(name: string): Promise<string | null> {
    return this.revParse(this.appliedDir(name), `${PROPOSED_HEAD}^{commit}`);
  }

  /** A file of the deployed work tree (read without following a link), or undefined. */
  deployedFile(name: string, file: typeof AGENT_JSON | typeof CLAUDE_MD): string | undefined {
    this.checkPaths(name);
    return readFileNoFollow(path.join(this.appliedDir(name), file));
  }

  /** Remove `name`'s applied repo (purge); the proposed repo goes with the agent's state dir. */
  removeApplied(name: string): void {
    this.checkPaths(name);
    fs.rmSync(this.appliedDir(name), { recursive: true, force: true });
  }

  private async revParse(repo: string, rev: string): Promise<string | null> {
    try {
      const sha = (await git(['rev-parse', '--verify', '--quiet', rev], { repo })).trim();
      return isFullSha(sha) ? sha : null;
    } catch {
      return null;
    }
  }
}
