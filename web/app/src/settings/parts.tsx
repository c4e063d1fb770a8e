/** What the settings sections share: loading with reload after a change, a form's text, a titled section. */
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { ErrorLine, useAction } from '../ui.js';

/** A settings section: loads its data, and reloads it after each change. */
export function useLoaded<T>(load: () => Promise<T>): {
  data: T | null;
  action: ReturnType<typeof useAction>;
  change(run: () => Promise<unknown>): void;
} {
  const [data, setData] = useState<T | null>(null);
  const action = useAction();
  // biome-ignore lint/correctness/useExhaustiveDependencies: load once
  useEffect(() => {
    void action.run(async () => setData(await load()));
  }, []);
  return {
    data,
    action,
    change: (run) =>
      void action.run(async () => {
        await run();
        setData(await load());
      }),
  };
}

export const formText = (event: FormEvent<HTMLFormElement>, name: string) =>
  String(new FormData(event.currentTarget).get(name) ?? '').trim();

export function Section({ id, title, children, error }: { id: string; title: string; children: ReactNode; error: string | null }) {
  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      {children}
      <ErrorLine message={error} />
    </section>
  );
}
