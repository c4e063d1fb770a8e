/** Small building blocks the pages share: a labelled field, an error line, a busy button. */
import { type ComponentProps, type ReactNode, useId, useState } from 'react';
import { messageOf } from './api.js';

/** A field's label above it and its hint below, tied to it by id (tests and screen readers find fields by label). */
function Labelled({
  label,
  hint,
  control,
}: {
  label: string;
  hint?: ReactNode;
  control(id: string, describedBy: string | undefined): ReactNode;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {control(id, hint ? `${id}-hint` : undefined)}
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export function Field({ label, hint, ...input }: { label: string; hint?: ReactNode } & ComponentProps<'input'>) {
  return <Labelled label={label} hint={hint} control={(id, describedBy) => <input id={id} aria-describedby={describedBy} {...input} />} />;
}

/** A labelled multi-line field. */
export function TextArea({ label, hint, ...rest }: { label: string; hint?: ReactNode } & ComponentProps<'textarea'>) {
  return (
    <Labelled label={label} hint={hint} control={(id, describedBy) => <textarea id={id} aria-describedby={describedBy} {...rest} />} />
  );
}

/** Where a refused request says why; announced to screen readers when it appears. */
export function ErrorLine({ message }: { message: string | null }) {
  return (
    <p className="error" role="alert">
      {message ?? ''}
    </p>
  );
}

/** Runs one change at a time: busy while it runs, the refusal's sentence when it fails. */
export function useAction(): { busy: boolean; error: string | null; run(action: () => Promise<unknown>): Promise<boolean>; clear(): void } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (err) {
      setError(messageOf(err));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run, clear: () => setError(null) };
}

/** Copies text to the clipboard (where the browser allows it) and says so. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <>
      <button
        type="button"
        onClick={() =>
          void navigator.clipboard
            ?.writeText(text)
            .then(() => setCopied(true))
            .catch(() => setCopied(false))
        }
      >
        {label}
      </button>
      <span className="hint" aria-live="polite">
        {copied ? ' copied' : ''}
      </span>
    </>
  );
}
