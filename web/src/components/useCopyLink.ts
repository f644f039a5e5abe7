import { useEffect, useState } from 'react';

export type CopyState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'copied' }
  | { readonly kind: 'failed'; readonly url: string };

const CONFIRMATION_MS = 4000;

/** Copies the meeting link to the clipboard; the state says how it went, for a few seconds. */
export function useCopyLink(url: string): [CopyState, () => void] {
  const [state, setState] = useState<CopyState>({ kind: 'idle' });

  useEffect(() => {
    if (state.kind === 'idle') return;
    const timer = setTimeout(() => setState({ kind: 'idle' }), CONFIRMATION_MS);
    return () => clearTimeout(timer);
  }, [state]);

  const copy = () => {
    if (!navigator.clipboard?.writeText) {
      setState({ kind: 'failed', url });
      return;
    }
    navigator.clipboard.writeText(url).then(
      () => setState({ kind: 'copied' }),
      () => setState({ kind: 'failed', url }),
    );
  };
  return [state, copy];
}
