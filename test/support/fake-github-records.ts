/**
 * The JSON GitHub returns for users, repositories and repository advisories, built the way GitHub
 * builds them (every field its OpenAPI description requires, nothing it forbids). The fake GitHub's
 * own responses are validated against the description too, so a mistake here shows as a violation.
 */
import { createHash, randomInt } from 'node:crypto';
import { findCwe } from '../../src/domain/severity/cwe.js';
import { scoreCvss } from '../../src/domain/severity/cvss.js';

export type Json = Record<string, any>;

export interface FakeUser {
  login: string;
  id: number;
  type: 'User' | 'Organization';
}

/** GitHub's simple-user for a login. */
export function simpleUser(u: FakeUser, api: string): Json {
  const url = `${api}/users/${u.login}`;
  return {
    login: u.login,
    id: u.id,
    node_id: Buffer.from(`04:User${u.id}`).toString('base64'),
    avatar_url: `https://avatars.githubusercontent.com/u/${u.id}?v=4`,
    gravatar_id: '',
    url,
    html_url: `https://github.com/${u.login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: u.type,
    site_admin: false,
    user_view_type: 'public',
  };
}

/** GET /user for the token's owner: GitHub's private-user view. */
export function privateUser(u: FakeUser, api: string, at: string): Json {
  return {
    ...simpleUser(u, api),
    user_view_type: 'private',
    name: u.login,
    company: null,
    blog: '',
    location: null,
    email: null,
    hireable: null,
    bio: null,
    public_repos: 1,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: at,
    updated_at: at,
    private_gists: 0,
    total_private_repos: 0,
    owned_private_repos: 0,
    disk_usage: 0,
    collaborators: 0,
    two_factor_authentication: true,
  };
}

const URL_SUFFIX: Record<string, string> = {
  archive_url: '/{archive_format}{/ref}',
  assignees_url: '/assignees{/user}',
  blobs_url: '/git/blobs{/sha}',
  branches_url: '/branches{/branch}',
  collaborators_url: '/collaborators{/collaborator}',
  comments_url: '/comments{/number}',
  commits_url: '/commits{/sha}',
  compare_url: '/compare/{base}...{head}',
  contents_url: '/contents/{+path}',
  contributors_url: '/contributors',
  deployments_url: '/deployments',
  downloads_url: '/downloads',
  events_url: '/events',
  forks_url: '/forks',
  git_commits_url: '/git/commits{/sha}',
  git_refs_url: '/git/refs{/sha}',
  git_tags_url: '/git/tags{/sha}',
  hooks_url: '/hooks',
  issue_comment_url: '/issues/comments{/number}',
  issue_events_url: '/issues/events{/number}',
  issues_url: '/issues{/number}',
  keys_url: '/keys{/key_id}',
  labels_url: '/labels{/name}',
  languages_url: '/languages',
  merges_url: '/merges',
  milestones_url: '/milestones{/number}',
  notifications_url: '/notifications{?since,all,participating}',
  pulls_url: '/pulls{/number}',
  releases_url: '/releases{/id}',
  stargazers_url: '/stargazers',
  statuses_url: '/statuses/{sha}',
  subscribers_url: '/subscribers',
  subscription_url: '/subscription',
  tags_url: '/tags',
  teams_url: '/teams',
  trees_url: '/git/trees{/sha}',
};

/** GitHub's simple-repository fields (what an advisory's private_fork holds). */
export function simpleRepository(owner: FakeUser, name: string, id: number, isPrivate: boolean, api: string): Json {
  const full = `${owner.login}/${name}`;
  const url = `${api}/repos/${full}`;
  return {
    id,
    node_id: Buffer.from(`010:Repository${id}`).toString('base64'),
    name,
    full_name: full,
    owner: simpleUser(owner, api),
    private: isPrivate,
    html_url: `https://github.com/${full}`,
    description: null,
    fork: false,
    url,
    ...Object.fromEntries(Object.entries(URL_SUFFIX).map(([k, suffix]) => [k, `${url}${suffix}`])),
  };
}

/** GitHub's full-repository (the 202 answer of POST …/forks). */
export function fullRepository(owner: FakeUser, name: string, id: number, isPrivate: boolean, api: string, at: string): Json {
  const simple = simpleRepository(owner, name, id, isPrivate, api);
  return {
    ...simple,
    clone_url: `https://github.com/${simple.full_name}.git`,
    git_url: `git://github.com/${simple.full_name}.git`,
    ssh_url: `git@github.com:${simple.full_name}.git`,
    svn_url: `https://github.com/${simple.full_name}`,
    mirror_url: null,
    homepage: null,
    language: null,
    default_branch: 'main',
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    open_issues: 0,
    open_issues_count: 0,
    size: 0,
    has_issues: false,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_discussions: false,
    archived: false,
    disabled: false,
    license: null,
    pushed_at: at,
    created_at: at,
    updated_at: at,
    network_count: 0,
    subscribers_count: 0,
  };
}

const GHSA_ALPHABET = '23456789cfghjmpqrvwx';
/** A fresh GHSA id in GitHub's alphabet, e.g. GHSA-2c8m-hx4q-9r7w. */
export function newGhsaId(): string {
  const part = () => Array.from({ length: 4 }, () => GHSA_ALPHABET[randomInt(GHSA_ALPHABET.length)]).join('');
  return `GHSA-${part()}-${part()}-${part()}`;
}

/** The advisory's score and severity from a vector, as GitHub computes them. */
export function cvssFields(vector: string | null | undefined): { cvss: Json | null; severities: Json; severity: string | null } {
  if (!vector) return { cvss: null, severities: { cvss_v3: null, cvss_v4: null }, severity: null };
  let score: number | null = null;
  let severity: string | null = null;
  try {
    const s = scoreCvss(vector);
    score = s.baseScore;
    severity = s.severity === 'NONE' ? 'low' : s.severity.toLowerCase();
  } catch {
    // GitHub would have refused it with a 422 earlier; keep the vector unscored.
  }
  const entry = { vector_string: vector, score };
  const v4 = vector.startsWith('CVSS:4.0/');
  return {
    cvss: v4 ? null : entry,
    severities: { cvss_v3: v4 ? null : entry, cvss_v4: v4 ? entry : null },
    severity,
  };
}

export const cweEntries = (ids: string[]) => ids.map((id) => ({ cwe_id: id, name: findCwe(id)?.name ?? id }));

/** A vulnerability entry as GitHub returns it (every field present, nulls where unset). */
export function vulnerabilityOut(v: Json): Json {
  return {
    package: v.package ? { ecosystem: v.package.ecosystem, name: v.package.name ?? null } : null,
    vulnerable_version_range: v.vulnerable_version_range ?? null,
    patched_versions: v.patched_versions ?? null,
    vulnerable_functions: v.vulnerable_functions ?? [],
  };
}

/** W/"…" over the exact bytes of a body, as GitHub's weak ETags are. */
export const etagOf = (body: string) => `W/"${createHash('sha256').update(body).digest('hex').slice(0, 40)}"`;
