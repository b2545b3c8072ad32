/**
 * File patterns of `Read(…)` and `Edit(…)` rules, read as Claude Code reads
 * them (the gitignore way): `//abs/path` from the filesystem root, `~/path`
 * from the home dir, `/path` and `path` (or `./path`) from the agent's work
 * dir. A pattern with no slash but a trailing one matches at any depth; `*`
 * stays within one directory, `**` crosses them; a pattern that matches a
 * directory matches everything inside it.
 */
import path from 'node:path';

/** Where a pattern is anchored. */
type PathBase = 'root' | 'home' | 'work';

/** A compiled file pattern. */
export interface PathPattern {
  base: PathBase;
  regex: RegExp;
  /** The leading segments without wildcards of an anchored pattern (`src/lib` of `src/lib/**`), for a quick no; null when it has none. */
  literalPrefix: string | null;
}

/** The directories a file pattern is read against. */
export interface PathContext {
  /** The agent's work dir: claude's cwd and project root. */
  workDir: string;
  /** The home dir `~/` stands for. */
  home: string;
}

/** Compile a file pattern; a sentence when it is not one. Pure. */
export function compilePathPattern(spec: string): { ok: true; pattern: PathPattern } | { ok: false; error: string } {
  let base: PathBase = 'work';
  let rest = spec;
  let anchored = false;
  if (spec.startsWith('//')) {
    base = 'root';
    rest = spec.slice(2);
    anchored = true;
  } else if (spec.startsWith('~/')) {
    base = 'home';
    rest = spec.slice(2);
    anchored = true;
  } else if (spec.startsWith('/')) {
    rest = spec.slice(1);
    anchored = true;
  } else if (spec.startsWith('./')) {
    rest = spec.slice(2);
    anchored = true;
  }
  const dirOnly = rest.endsWith('/');
  if (dirOnly) rest = rest.slice(0, -1);
  if (rest === '') {
    // `//`, `~/`, `/`, `./`: everything under that dir.
    return { ok: true, pattern: { base, regex: /^.+$/, literalPrefix: null } };
  }
  const segments = rest.split('/');
  if (segments.some((s) => s === '')) return { ok: false, error: `the path ${JSON.stringify(spec)} has an empty segment ("//" inside it)` };
  if (segments.some((s) => s === '..')) return { ok: false, error: `the path ${JSON.stringify(spec)} climbs with ".."; write it from its root instead (//abs/path or ~/path)` };
  // gitignore: a slash at the start or in the middle anchors the pattern; otherwise it matches at any depth.
  if (segments.length > 1) anchored = true;
  let body = '';
  let needSlash = false;
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    if (segment === '**') {
      if (last) body += i === 0 ? '.+' : '/.+';
      else body += (i === 0 ? '' : '/') + '(?:[^/]+/)*';
      needSlash = false;
      return;
    }
    if (needSlash) body += '/';
    body += segmentRegex(segment);
    needSlash = true;
  });
  if (dirOnly) body += '/.+';
  const source = `^${anchored ? '' : '(?:.+/)?'}${body}$`;
  const literal: string[] = [];
  for (const segment of segments) {
    if (/[*?[]/.test(segment)) break;
    literal.push(segment);
  }
  const literalPrefix = anchored && literal.length > 0 ? literal.join('/') : null;
  return { ok: true, pattern: { base, regex: new RegExp(source), literalPrefix } };
}

function segmentRegex(segment: string): string {
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close > 0) {
        const inner = segment.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
        out += `[${inner}]`;
        i = close;
      } else out += '\\[';
    } else out += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return out;
}

/**
 * A file as the patterns read it, worked out once per call: for each base,
 * the path relative to it and each directory it lies in (file first), or
 * null when the file is not under that base.
 */
export class PreparedPath {
  private readonly chains = new Map<PathBase, string[] | null>();
  private readonly absolute: string;

  constructor(
    file: string,
    private readonly ctx: PathContext,
  ) {
    this.absolute = path.posix.resolve(ctx.workDir, file);
  }

  chain(base: PathBase): string[] | null {
    let chain = this.chains.get(base);
    if (chain !== undefined) return chain;
    const baseDir = base === 'root' ? '/' : base === 'home' ? this.ctx.home : this.ctx.workDir;
    const rel = path.posix.relative(path.posix.resolve(baseDir), this.absolute);
    if (rel === '' || rel.startsWith('../') || rel === '..' || path.posix.isAbsolute(rel)) chain = null;
    else {
      chain = [rel];
      for (let slash = rel.lastIndexOf('/'); slash > 0; slash = rel.lastIndexOf('/', slash - 1)) chain.push(rel.slice(0, slash));
    }
    this.chains.set(base, chain);
    return chain;
  }
}

/** Whether a prepared file is matched by `pattern`: the file itself or any directory it is in. */
export function preparedPathMatches(pattern: PathPattern, file: PreparedPath): boolean {
  const chain = file.chain(pattern.base);
  if (chain === null) return false;
  const prefix = pattern.literalPrefix;
  const rel = chain[0]!;
  if (prefix !== null && !(rel.startsWith(prefix) && (rel.length === prefix.length || rel.charCodeAt(prefix.length) === 47))) return false;
  for (const candidate of chain) if (pattern.regex.test(candidate)) return true;
  return false;
}

/**
 * Whether `file` (absolute, or relative to the work dir) is matched by
 * `pattern`: the file itself or any directory it is in. Pure.
 */
export function pathMatches(pattern: PathPattern, file: string, ctx: PathContext): boolean {
  return preparedPathMatches(pattern, new PreparedPath(file, ctx));
}
