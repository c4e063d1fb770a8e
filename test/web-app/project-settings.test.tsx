// @vitest-environment happy-dom
/**
 * The project settings form's edit (web/app/src/settings/Projects.tsx): a filled field sets its key,
 * a field emptied that the project had set goes back to the playbook's value (null), and what did
 * not change is left out, so a save never overwrites a setting nobody touched.
 */
import { describe, expect, it } from 'vitest';
import { settingsEdit } from '../../web/app/src/settings/Projects.js';

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};
const blank = {
  securityContact: '',
  distributorsList: '',
  usersList: '',
  mailFrom: '',
  securityTag: '',
  timeZone: '',
  holidays: '',
  supportedLines: '',
  tagPrefix: 'v',
  embargoNote: '',
};

describe('settingsEdit', () => {
  it('sets filled fields, clears emptied ones and leaves the rest out', () => {
    const own = { securityTag: '#security', holidays: ['2026-12-25'], timeZone: 'Europe/Berlin' };
    const edit = settingsEdit(
      form({ ...blank, securityTag: '#security', holidays: '2026-12-31, 2026-12-25', securityContact: ' security@example.org ' }),
      own,
    );
    expect(edit).toEqual({
      securityContact: 'security@example.org',
      holidays: ['2026-12-25', '2026-12-31'],
      timeZone: null,
    });
  });

  it('reads the release policy from its two fields, and clears it when the line count is emptied', () => {
    expect(settingsEdit(form({ ...blank, supportedLines: '3', tagPrefix: '' }), {})).toEqual({
      releasePolicy: { supportedLines: 3, tagPrefix: '' },
    });
    expect(settingsEdit(form(blank), { releasePolicy: { supportedLines: 3, tagPrefix: 'v' } })).toEqual({ releasePolicy: null });
    expect(settingsEdit(form({ ...blank, supportedLines: '3' }), { releasePolicy: { supportedLines: 3, tagPrefix: 'v' } })).toEqual({});
  });
});
