/**
 * The composer: each mail of the checklist from its template, edited here with the lint running on
 * every keystroke (the same rules the server applies before queueing: src/domain/messages/lint.ts),
 * findings listed with their line and column (a click puts the cursor there); send through SMTP, or
 * copy for a list's web interface and mark as sent. Below it, the case's outbox with retry.
 */
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { Case as DomainCase } from '../../../../src/domain/case/types.js';
import { lintWith } from '../../../../src/domain/messages/lint-rules.js';
import { MESSAGE_KIND_IDS, type Finding, type MessageKind } from '../../../../src/domain/messages/types.js';
import type { Playbook } from '../../../../src/domain/playbook/types.js';
import { answer, api } from '../api.js';
import type { PanelProps } from '../pages/CasePage.js';
import { shortTime } from '../time.js';
import { CopyButton, ErrorLine, Field, TextArea, useAction } from '../ui.js';

/** The offset of a 1-based line and column in the text. */
function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return Math.min(offset + Math.max(column - 1, 0), text.length);
}

const addresses = (text: string) =>
  text
    .split(/[,\n]/)
    .map((a) => a.trim())
    .filter(Boolean);

export function Composer({ data, reload }: PanelProps) {
  const c = data.case;
  const [playbook, setPlaybook] = useState<Playbook | null>(null);
  const [kind, setKind] = useState<MessageKind>('reporter-ack');
  const [to, setTo] = useState('');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [loaded, setLoaded] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const action = useAction();
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const subjectRef = useRef<HTMLInputElement>(null);
  const kindId = useId();

  // The playbook as the case's project configured it (its addresses, note and name win), as the server lints.
  useEffect(() => {
    Promise.all([
      answer(api.GET('/api/v1/playbooks/{playbookId}', { params: { path: { playbookId: c.playbook } } })),
      // Someone on the case but no longer in its project still gets the playbook's own settings.
      answer(api.GET('/api/v1/projects/{projectId}', { params: { path: { projectId: c.project } } })).catch(() => null),
    ]).then(
      ([p, project]) =>
        setPlaybook({
          ...(p as unknown as Playbook),
          ...(project ? { name: project.name, settings: project.effectiveSettings as unknown as Playbook['settings'] } : {}),
        }),
      () => setPlaybook(null),
    );
  }, [c.playbook, c.project]);

  const findings: Finding[] = useMemo(() => {
    if (!playbook || !loaded) return [];
    // The API's Case is the domain's Case serialised (one schema, src/domain/case/schema.ts).
    // Without the reporter's withheld-id matcher (it needs node:crypto); the server applies it on send.
    // The playbook's policy rules are checked as of this browser's clock; the server checks again with its own.
    return lintWith({ kind, subject, body, to: addresses(to), playbook, case: c as unknown as DomainCase, now: new Date() }, null);
  }, [playbook, loaded, kind, subject, body, to, c]);
  const errors = findings.filter((f) => f.severity === 'error');

  const load = () =>
    action.run(async () => {
      const draft = await answer(api.GET('/api/v1/cases/{caseId}/messages/draft', { params: { path: { caseId: c.id }, query: { kind } } }));
      setTo(draft.message.to.join(', '));
      setSubject(draft.message.subject);
      setBody(draft.message.body);
      setLoaded(true);
      setNotice(null);
    });

  const send = (via: 'smtp' | 'copy') =>
    action.run(async () => {
      const sent = await answer(
        api.POST('/api/v1/cases/{caseId}/messages', {
          params: { path: { caseId: c.id } },
          body: { kind, subject, body, to: addresses(to), via },
        }),
      );
      setNotice(
        via === 'copy'
          ? `Queued for copying: open it in the outbox below, paste it into the list's web interface, then mark it as sent.`
          : 'created' in sent && sent.created
            ? 'Queued: the outbox sends it now.'
            : 'This exact mail was queued already; nothing new was queued.',
      );
      setLoaded(false);
      await reload();
    });

  const jump = (f: Finding) => {
    if (f.part === 'body' && bodyRef.current) {
      const at = offsetOf(body, f.line, f.column);
      bodyRef.current.focus();
      bodyRef.current.setSelectionRange(at, at);
    } else if (f.part === 'subject' && subjectRef.current) {
      subjectRef.current.focus();
      subjectRef.current.setSelectionRange(f.column - 1, f.column - 1);
    }
  };

  return (
    <section className="panel" id="composer" aria-labelledby="composer-heading">
      <h2 id="composer-heading">Composer</h2>
      <div className="actions">
        <label htmlFor={kindId}>Mail</label>
        <select
          id={kindId}
          value={kind}
          onChange={(e) => {
            setKind(e.target.value as MessageKind);
            setLoaded(false);
          }}
        >
          {MESSAGE_KIND_IDS.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
        <button type="button" onClick={() => void load()} disabled={action.busy}>
          Write from the template
        </button>
      </div>
      {loaded ? (
        <form
          aria-label="Mail to send"
          onSubmit={(e) => {
            e.preventDefault();
            void send('smtp');
          }}
        >
          <Field
            label="To"
            value={to}
            onChange={(e) => setTo(e.target.value)}
            hint="Addresses separated by commas; each must be a configured one."
          />
          <Field label="Subject" ref={subjectRef} value={subject} onChange={(e) => setSubject(e.target.value)} />
          <TextArea label="Body" ref={bodyRef} value={body} onChange={(e) => setBody(e.target.value)} rows={16} spellCheck />
          <MarkedLines text={body} findings={findings.filter((f) => f.part === 'body')} />
          <div aria-live="polite">
            {findings.length === 0 ? (
              <p className="ready">The lint finds nothing: it may be sent.</p>
            ) : (
              <ul className="findings" aria-label="Lint findings">
                {findings.map((f) => (
                  <li key={`${f.rule}-${f.part}-${f.line}-${f.column}`} className={`${f.severity}-finding`}>
                    <strong>{f.severity}</strong>{' '}
                    {f.part === 'recipients' ? (
                      'recipients'
                    ) : (
                      <button type="button" className="link" onClick={() => jump(f)}>
                        {f.part} line {f.line}, column {f.column}
                      </button>
                    )}
                    : {f.message}
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div className="actions">
            <button type="submit" className="primary" disabled={action.busy || errors.length > 0}>
              Send
            </button>
            <button type="button" onClick={() => void send('copy')} disabled={action.busy || errors.length > 0}>
              Queue to copy into a web interface
            </button>
          </div>
        </form>
      ) : null}
      <ErrorLine message={action.error} />
      {notice ? <p role="status">{notice}</p> : null}
      <Outbox caseId={c.id} revision={c.revision} reload={reload} />
    </section>
  );
}

/** The body's lines that have findings, each with the text from the finding's column to the end of that word marked. */
function MarkedLines({ text, findings }: { text: string; findings: Finding[] }) {
  if (findings.length === 0) return null;
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const first = new Map<number, Finding>();
  for (const f of findings) if (!first.has(f.line)) first.set(f.line, f);
  return (
    <ol className="marked" aria-label="Lines with findings">
      {[...first.values()]
        .sort((a, b) => a.line - b.line)
        .map((f) => {
          const line = lines[f.line - 1] ?? '';
          const start = Math.max(f.column - 1, 0);
          const word = /^\S*/.exec(line.slice(start))?.[0] ?? '';
          const end = start + Math.max(word.length, 1);
          return (
            <li key={f.line} value={f.line}>
              <code>
                {line.slice(0, start)}
                <mark>{line.slice(start, end) || ' '}</mark>
                {line.slice(end)}
              </code>
            </li>
          );
        })}
    </ol>
  );
}

type OutboxMessage = Awaited<ReturnType<typeof listMessages>>['messages'][number];
type Copy = Awaited<ReturnType<typeof copyMessage>>;
const listMessages = (caseId: string) => answer(api.GET('/api/v1/cases/{caseId}/messages', { params: { path: { caseId } } }));
const copyMessage = (messageId: string) => answer(api.POST('/api/v1/messages/{messageId}/copy', { params: { path: { messageId } } }));

function Outbox({ caseId, revision, reload }: { caseId: string; revision: number; reload(): Promise<void> }) {
  const [messages, setMessages] = useState<OutboxMessage[]>([]);
  const [copy, setCopy] = useState<Copy | null>(null);
  const action = useAction();

  // biome-ignore lint/correctness/useExhaustiveDependencies: reload the outbox whenever the case moved on
  useEffect(() => {
    void action.run(async () => setMessages((await listMessages(caseId)).messages));
  }, [caseId, revision]);

  const refresh = async () => {
    setMessages((await listMessages(caseId)).messages);
    await reload();
  };

  return (
    <div className="outbox">
      <h3>Outbox</h3>
      {messages.length === 0 ? <p className="hint">No mail queued for this case yet.</p> : null}
      <ul>
        {messages.map((m) => (
          <li key={m.id}>
            <strong>{m.kind}</strong> “{m.subject}” to {m.to.join(', ')} — <span className={`delivery ${m.status}`}>{m.status}</span>
            {m.sentAt ? ` at ${shortTime(m.sentAt)}${m.sentBy ? ` by ${m.sentBy}` : ''}` : ''}
            {m.lastError ? <span className="warning"> ({m.lastError})</span> : null}
            <div className="actions">
              {m.status === 'failed' || m.status === 'unknown' ? (
                <button
                  type="button"
                  onClick={() =>
                    void action.run(async () => {
                      await answer(api.POST('/api/v1/messages/{messageId}/retry', { params: { path: { messageId: m.id } } }));
                      await refresh();
                    })
                  }
                >
                  Retry “{m.subject}”
                </button>
              ) : null}
              {m.status === 'copied' || m.status === 'unknown' ? (
                <>
                  <button type="button" onClick={() => void action.run(async () => setCopy(await copyMessage(m.id)))}>
                    Show the text to paste
                  </button>
                  <button
                    type="button"
                    onClick={() =>
                      void action.run(async () => {
                        await answer(
                          api.POST('/api/v1/messages/{messageId}/mark-sent', { params: { path: { messageId: m.id } }, body: {} }),
                        );
                        setCopy(null);
                        await refresh();
                      })
                    }
                  >
                    Mark “{m.subject}” as sent
                  </button>
                </>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
      {copy ? <CopyBlock copy={copy} /> : null}
      <ErrorLine message={action.error} />
    </div>
  );
}

function CopyBlock({ copy }: { copy: Copy }) {
  const parts: [string, string][] = [
    ['To', copy.to.join(', ')],
    ['Subject', copy.subject],
    ['Body', copy.body],
  ];
  return (
    <section className="copy" aria-label="Text to paste">
      {parts.map(([label, text]) => (
        <div key={label}>
          <div className="actions">
            <strong>{label}</strong>
            <CopyButton text={text} label={`Copy the ${label.toLowerCase()}`} />
          </div>
          <pre>{text}</pre>
        </div>
      ))}
    </section>
  );
}
