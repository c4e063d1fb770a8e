/**
 * PostgreSQL: opening (and so migrating) an Embargo in one schema while other schemas of the same
 * database are dropped. Kysely's migrator listed every schema's tables to find its own, and failed
 * with `schema "…" does not exist` when one vanished mid-query — a flake of the parallel suite, and a
 * real failure for a database shared with other tenants. Migrations now look at their own schema only.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.js';

const url = process.env.EMBARGO_TEST_DATABASE_URL;

describe.runIf(url)('migrating beside schemas being dropped (postgres)', () => {
  it('opens every store while other schemas come and go', async () => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const prefix = `emb_churn_${randomBytes(4).toString('hex')}`;
    let stop = false;
    // Schemas with a few tables each, created and dropped as fast as the server allows.
    const churn = (async () => {
      for (let i = 0; !stop; i++) {
        const name = `${prefix}_${i}`;
        await admin.query(`create schema "${name}"`);
        for (let t = 0; t < 5; t++) await admin.query(`create table "${name}".t${t} (id serial primary key, v text)`);
        await admin.query(`drop schema "${name}" cascade`);
      }
    })();
    const schemas = Array.from({ length: 6 }, () => `emb_t_${randomBytes(6).toString('hex')}`);
    try {
      const results = await Promise.allSettled(
        schemas.map(async (schema) => {
          for (let round = 0; round < 3; round++) {
            const store = await openStore({ databaseUrl: url!, schema });
            await store.close();
          }
        }),
      );
      expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    } finally {
      stop = true;
      await churn;
      for (const schema of schemas) await admin.query(`drop schema if exists "${schema}" cascade`);
      await admin.end();
    }
  }, 120_000);
});
