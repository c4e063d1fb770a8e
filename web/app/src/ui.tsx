/** Small building blocks the pages share: a labelled field, an error line, a busy button. */
import { type InputHTMLAttributes, type ReactNode, useId } from 'react';

/** An input with its visible label (tests and screen readers find fields by it). */
export function Field({ label, hint, ...input }: { label: string; hint?: ReactNode } & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-describedby={hint ? `${id}-hint` : undefined} {...input} />
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
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
