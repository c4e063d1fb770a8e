/**
 * An admin changes a user: their role, the name shown for them, or whether they may sign in at all
 * (someone who left the team is disabled, not deleted: the audit log keeps naming them). One
 * transaction with its `user.changed` event; a repeated edit changes nothing and writes nothing.
 */
import { userChanged } from '../domain/account-events.js';
import { type UserChangeInput, userChangeOf } from '../domain/account.js';
import { notFound } from '../domain/errors.js';
import { appendEvents } from '../store/events.js';
import { countAdmins, findUserByUsername, updateUser } from '../store/users.js';
import type { PublicUser } from './accounts.js';
import { requireAdminWork, type Actor } from './actor.js';
import type { App } from './app.js';

export async function changeUser(app: App, actor: Actor, username: string, input: UserChangeInput): Promise<PublicUser> {
  requireAdminWork(actor);
  const now = app.clock();
  return app.store.write(async (tx) => {
    const user = await findUserByUsername(tx, username);
    if (!user) throw notFound(`user ${username} not found`);
    const change = userChangeOf({ role: user.role, displayName: user.displayName, disabled: user.disabledAt !== null }, input, {
      self: user.id === actor.userId,
      enabledAdmins: await countAdmins(tx),
    });
    const disabledAt = change.disabled === undefined ? user.disabledAt : change.disabled ? now.toISOString() : null;
    if (Object.keys(change).length > 0) {
      await updateUser(tx, user.id, {
        ...(change.role ? { role: change.role } : {}),
        ...(change.displayName ? { displayName: change.displayName } : {}),
        ...(change.disabled !== undefined ? { disabledAt } : {}),
      });
      await appendEvents(tx, { actor: actor.name, at: now, events: [userChanged(user.username, change)] });
    }
    return {
      id: user.id,
      username: user.username,
      displayName: change.displayName ?? user.displayName,
      role: change.role ?? user.role,
      createdAt: user.createdAt,
      disabledAt,
    };
  });
}
