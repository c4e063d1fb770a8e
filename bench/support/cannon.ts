/**
 * The load of bench/api.ts, in its own process: one autocannon run, its summary as JSON on stdout.
 * A change's body gets a new title per request (autocannon's own `[<id>]` replacement sends a wrong
 * Content-Length in 8.0.0), so every PATCH really changes the case. Requests take the tokens and
 * the paths in turn, as a team's people and scripts would call at once.
 *
 *   node --import tsx bench/support/cannon.ts '{"url":…,"paths":[…],"method":…,"connections":…,"seconds":…,"tokens":[…],"body"?:…}'
 */
import autocannon from 'autocannon';

const opts = JSON.parse(process.argv[2]!) as {
  url: string;
  paths: string[];
  method: 'GET' | 'PATCH';
  connections: number;
  seconds: number;
  tokens: string[];
  /** `[<id>]` in it is replaced per request. */
  body?: string;
};

let n = 0;
const headers: Record<string, string> = opts.body ? { 'content-type': 'application/json' } : {};
const result = await autocannon({
  url: opts.url + opts.paths[0],
  connections: opts.connections,
  duration: opts.seconds,
  requests: [
    {
      method: opts.method,
      headers,
      setupRequest: (req: { headers?: Record<string, string> }) => {
        n += 1;
        return {
          ...req,
          path: opts.paths[n % opts.paths.length],
          headers: { ...req.headers, authorization: `Bearer ${opts.tokens[n % opts.tokens.length]}` },
          ...(opts.body ? { body: opts.body.replace('[<id>]', String(n)) } : {}),
        };
      },
    },
  ],
});
process.stdout.write(JSON.stringify(result));
