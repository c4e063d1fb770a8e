/**
 * Where a branch of an embargoed case may go: only to a private remote. GitHub's temporary private
 * forks for advisories (`…/REPO-ghsa-xxxx-xxxx-xxxx`) are private by construction; a project names
 * its own private remotes (globs with `*`) in `.embargo-guard.yml` or at `embargo guard install`.
 */

const GITHUB_ADVISORY_FORK = /-ghsa(-[0-9a-z]{4}){3}(\.git)?\/?$/i;

function normalizeUrl(url: string): string {
  return url
    .trim()
    .replace(/\/+$/, '')
    .replace(/\.git$/i, '');
}

function globToRegExp(glob: string): RegExp {
  const body = normalizeUrl(glob)
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'i');
}

export function isPrivateRemote(url: string, patterns: readonly string[]): boolean {
  if (GITHUB_ADVISORY_FORK.test(url.trim())) return true;
  const u = normalizeUrl(url);
  return patterns.some((p) => globToRegExp(p).test(u));
}
