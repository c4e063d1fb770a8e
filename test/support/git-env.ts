/**
 * The environment for the system git in tests: none of the user's configuration (no global hooks,
 * signing or default-branch surprises), a fixed identity, and no GIT_/EMBARGO_ variables leaking in.
 */
export const GIT_ENV: NodeJS.ProcessEnv = (() => {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_') && !k.startsWith('EMBARGO_')) env[k] = v;
  return {
    ...env,
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Rel Engineer',
    GIT_AUTHOR_EMAIL: 'rel@example.org',
    GIT_COMMITTER_NAME: 'Rel Engineer',
    GIT_COMMITTER_EMAIL: 'rel@example.org',
    GIT_TERMINAL_PROMPT: '0',
  };
})();
