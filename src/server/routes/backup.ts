/**
 * Backup and restore (docs/security.md): the server reads one consistent snapshot and encrypts it
 * with the passphrase or key the caller gives, so the snapshot never leaves the server in clear; a
 * restore takes such a file into an empty database only.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { App } from '../../app/app.js';
import { restoreBackup, takeBackup } from '../../app/backup.js';
import type { BackupSecret } from '../../app/backup-file.js';
import { invalidInput } from '../../domain/errors.js';
import { requireActor } from '../auth.js';
import { errorResponses } from '../schemas.js';

/** A backup travels as base64 inside JSON; this bounds a restore's request (about 375 MB of backup). */
const RESTORE_BODY_LIMIT = 512 * 1024 * 1024;

const secretFields = {
  passphrase: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'Encrypt with a key derived from this (scrypt)' })),
  key: Type.Optional(Type.String({ maxLength: 100, description: 'Or with this key: 32 random bytes, hex or base64' })),
};

const Rows = Type.Record(Type.String(), Type.Integer(), { description: 'Rows per table' });

/** Exactly one of passphrase and key. */
function secretOf(body: { passphrase?: string | undefined; key?: string | undefined }): BackupSecret {
  if (body.passphrase !== undefined && body.key !== undefined) {
    throw invalidInput('give a passphrase or a key, not both', { field: 'key' });
  }
  if (body.passphrase !== undefined) return { passphrase: body.passphrase };
  if (body.key !== undefined) return { key: body.key };
  throw invalidInput('a backup is always encrypted: give a passphrase or a key', { field: 'passphrase' });
}

export function backupRoutes(fastify: FastifyInstance, app: App): void {
  const server = fastify.withTypeProvider<TypeBoxTypeProvider>();

  server.post(
    '/api/v1/backup',
    {
      config: { auth: 'admin', scope: 'read' },
      schema: {
        summary: 'Take an encrypted backup of the whole database, in one consistent snapshot (admins)',
        tags: ['system'],
        body: Type.Object(secretFields, { additionalProperties: false }),
        response: {
          200: Type.Object({
            file: Type.String({ description: 'The encrypted backup file, base64' }),
            takenAt: Type.String(),
            seq: Type.Integer({ description: 'The last audit event it holds' }),
            rows: Rows,
            warnings: Type.Array(Type.String()),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const taken = await takeBackup(app, requireActor(request), secretOf(request.body));
      return { ...taken, file: taken.file.toString('base64') };
    },
  );

  server.post(
    '/api/v1/restore',
    {
      config: { auth: 'admin' },
      bodyLimit: RESTORE_BODY_LIMIT,
      schema: {
        summary: 'Restore an encrypted backup into this database, which must be empty (admins; in practice the local CLI)',
        tags: ['system'],
        body: Type.Object(
          {
            file: Type.String({ minLength: 1, pattern: '^[A-Za-z0-9+/]*={0,2}$', description: 'The backup file, base64' }),
            ...secretFields,
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            takenAt: Type.String(),
            from: Type.String({ description: 'The database it was taken from: sqlite or postgres' }),
            seq: Type.Integer({ description: 'The last audit event restored' }),
            rows: Rows,
            secretsResealed: Type.Integer({ description: "GitHub tokens sealed again under this install's secret key" }),
            warnings: Type.Array(Type.String()),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { file, ...rest } = request.body;
      return restoreBackup(app, requireActor(request), { file: Buffer.from(file, 'base64'), ...secretOf(rest) });
    },
  );
}
